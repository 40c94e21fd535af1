import { resolve } from 'node:path';

/** The data packs unit tests read: CAIRN_DATA_PACKS, else shared/misp-data beside the checkout. */
export const TEST_DATA_PACKS: string = process.env.CAIRN_DATA_PACKS ?? resolve(import.meta.dirname, '../../../../shared/misp-data');
