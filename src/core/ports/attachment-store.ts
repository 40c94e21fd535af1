/**
 * The files of `attachment` and `malware-sample` attributes (spec §2.3), kept in the database beside the
 * attribute so that a write and its file commit or roll back together (docs/adr/0005-attachments.md).
 */
export interface AttachmentStore {
  /** Stores or replaces the file of each attribute. */
  save(items: readonly { readonly attributeId: number; readonly data: Uint8Array }[]): Promise<void>;
  /** The files of those attributes that have one, in one query per chunk of ids. */
  load(attributeIds: readonly number[]): Promise<Map<number, Uint8Array>>;
}
