import { createHash } from 'node:crypto';
import type { Attribute } from '../model/event.js';
import { zipEncrypted } from './zip-crypto.js';

/**
 * Which attributes carry a file and what is stored for them (spec §2.3): `attachment` keeps the file as sent,
 * `malware-sample` keeps MISP's password-protected zip (`<md5>` plus `<md5>.filename.txt`, password `infected`) so
 * that a sample is never stored or served in the clear.
 */

/** MispAttribute::UPLOAD_DEFINITIONS + ZIPPED_DEFINITION. */
export const ATTACHMENT_TYPES: ReadonlySet<string> = new Set(['attachment', 'malware-sample']);
export const MALWARE_SAMPLE_PASSWORD = 'infected';

export const carriesFile = (type: string): boolean => ATTACHMENT_TYPES.has(type);

/** The part of an attribute input that carries a file: base64 `data` and PyMISP's `encrypt` request. */
export interface AttachmentSource {
  readonly data?: string | undefined;
  readonly encrypt?: boolean | undefined;
}

/**
 * The bytes to store for a saved attribute row, or undefined when it carries no file. With `encrypt` a malware
 * sample is zipped as MispAttribute::onDemandEncrypt does; the row's value is already `<filename>|<md5>`
 * (attribute-build.ts `sentValue`). Without it the payload is stored as sent: a sample re-sent by PyMISP or a
 * sync peer is already MISP's zip.
 */
export function attachmentPayload(
  row: Pick<Attribute, 'type' | 'value1'>, source: AttachmentSource | undefined, modified: Date = new Date(),
): Buffer | undefined {
  if (!source?.data || !carriesFile(row.type)) return undefined;
  const content = Buffer.from(source.data, 'base64');
  if (row.type !== 'malware-sample' || !source.encrypt) return content;
  const md5 = createHash('md5').update(content).digest('hex');
  return zipEncrypted([
    { name: md5, content },
    { name: `${md5}.filename.txt`, content: Buffer.from(row.value1, 'utf8') },
  ], MALWARE_SAMPLE_PASSWORD, { modified });
}
