import type { Kysely } from 'kysely';
import type { AttachmentStore } from '../../core/ports/attachment-store.js';
import type { Database } from '../db-schema.js';

/** Ids per `in (…)` list when loading files. */
const ID_CHUNK = 1000;

/** Kysely implementation of the attachment port: `attribute_attachments`, one row per attribute (0011-attachments). */
export function createAttachmentStore(db: Kysely<Database>): AttachmentStore {
  return {
    async save(items) {
      for (const item of items) {
        // one row each: files are large, and a replace must drop the old bytes first
        await db.deleteFrom('attribute_attachments').where('attribute_id', '=', item.attributeId).execute();
        await db.insertInto('attribute_attachments').values({ attribute_id: item.attributeId, data: item.data }).execute();
      }
    },

    async load(attributeIds) {
      const out = new Map<number, Uint8Array>();
      const ids = [...new Set(attributeIds)];
      for (let k = 0; k < ids.length; k += ID_CHUNK) {
        const rows = await db.selectFrom('attribute_attachments').selectAll()
          .where('attribute_id', 'in', ids.slice(k, k + ID_CHUNK)).execute();
        for (const r of rows) out.set(r.attribute_id, r.data);
      }
      return out;
    },
  };
}
