import type { Attribute } from '../model/event.js';
import type { Stores } from '../ports/stores.js';
import { attachmentPayload, type AttachmentSource } from './attachment-payload.js';

/** One saved attribute row and the input it came from. */
export interface SavedAttachmentRow {
  readonly id: number;
  readonly row: Pick<Attribute, 'type' | 'value1'>;
  readonly source: AttachmentSource | undefined;
}

/**
 * Stores the files sent with freshly written attributes (MispAttribute::afterSave → saveBase64EncodedAttachment):
 * one batch for the whole request, nothing for attributes that carry no file or sent none.
 */
export async function storeAttachments(stores: Pick<Stores, 'attachments'>, saved: readonly SavedAttachmentRow[]): Promise<void> {
  const modified = new Date();
  const items = saved.flatMap((s) => {
    const data = attachmentPayload(s.row, s.source, modified);
    return data ? [{ attributeId: s.id, data }] : [];
  });
  if (items.length > 0) await stores.attachments.save(items);
}
