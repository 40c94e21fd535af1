import type { PackProgress, PackUpdateResult } from '../core/knowledge-pack-update.js';
import { loadNoticelistPack } from '../core/noticelists/load-noticelists.js';
import { noticelistUpdateMessage, updateNoticelists } from '../core/noticelists/noticelist-update.js';
import type { Storage } from '../core/ports/stores.js';
import { loadTaxonomyPack } from '../core/taxonomies/load-taxonomies.js';
import { taxonomyUpdateMessage, updateTaxonomies } from '../core/taxonomies/taxonomy-update.js';
import { loadWarninglistPack } from '../core/warninglists/load-warninglists.js';
import { updateWarninglists, warninglistUpdateMessage } from '../core/warninglists/warninglist-update.js';
import { createStorage } from '../storage/create-storage.js';
import { loadConfig } from './config.js';

export type KnowledgePackKind = 'taxonomies' | 'warninglists' | 'noticelists';

export const KNOWLEDGE_PACK_KINDS: readonly KnowledgePackKind[] = ['taxonomies', 'warninglists', 'noticelists'];

export interface KnowledgePackReport {
  readonly kind: KnowledgePackKind;
  /** MISP's update message ("All taxonomy libraries are up to date already." …). */
  readonly message: string;
  readonly result: PackUpdateResult;
  readonly ms: number;
}

/**
 * `cairn update <kind>`: imports the taxonomies, warninglists and/or noticelists of the data packs into the
 * database, exactly as the `taxonomies|warninglists|noticelists/update` endpoints do (only new or newer items are written, each in its own
 * transaction). Without `target` it opens the database named by the environment (CAIRN_DATABASE_URL,
 * CAIRN_DATA_PACKS) and closes it afterwards.
 *
 * A running server keeps its warninglist matcher until its next warninglist change; restart it (or call
 * warninglists/update through the API, which rebuilds it) after a CLI import of warninglists.
 *
 * @example
 *   const report = await importKnowledgePacks('all', (line) => console.log(line));
 *   for (const r of report) console.log(`${r.kind}: ${r.message} (${r.ms} ms)`);
 */
export async function importKnowledgePacks(
  kind: KnowledgePackKind | 'all',
  progress: PackProgress = () => {},
  target?: { readonly storage: Storage; readonly dataPacks: string },
): Promise<KnowledgePackReport[]> {
  const kinds = kind === 'all' ? KNOWLEDGE_PACK_KINDS : [kind];
  if (!KNOWLEDGE_PACK_KINDS.includes(kinds[0]!)) throw new Error(`unknown knowledge pack "${kind}" (taxonomies, warninglists, noticelists or all)`);
  let storage = target?.storage;
  let dataPacks = target?.dataPacks;
  let close: (() => Promise<void>) | undefined;
  if (!storage || !dataPacks) {
    const config = loadConfig();
    dataPacks ??= config.dataPacks;
    if (!storage) {
      const opened = await createStorage(config.databaseUrl);
      storage = opened;
      close = () => opened.close();
    }
  }
  try {
    const reports: KnowledgePackReport[] = [];
    for (const k of kinds) {
      const started = performance.now();
      progress(`${k}: reading ${dataPacks}`);
      const result = await importOne(k, storage, dataPacks, progress);
      const message = k === 'taxonomies' ? taxonomyUpdateMessage(result) : k === 'warninglists' ? warninglistUpdateMessage(result) : noticelistUpdateMessage(result);
      const ms = Math.round(performance.now() - started);
      progress(`${k}: ${message} (${ms} ms)`);
      reports.push({ kind: k, message, result, ms });
    }
    return reports;
  } finally {
    await close?.();
  }
}

function importOne(kind: KnowledgePackKind, storage: Storage, dataPacks: string, progress: PackProgress): Promise<PackUpdateResult> {
  switch (kind) {
    case 'taxonomies':
      return updateTaxonomies(storage, loadTaxonomyPack(dataPacks), progress);
    case 'warninglists':
      return updateWarninglists(storage, loadWarninglistPack(dataPacks), progress);
    case 'noticelists':
      return updateNoticelists(storage, loadNoticelistPack(dataPacks), progress);
  }
}
