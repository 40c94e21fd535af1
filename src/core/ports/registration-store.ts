/**
 * MISP's `inbox` table (app/Model/Inbox.php) as used by self-registration: `type = 'registration'` rows whose
 * `data` holds the request (spec §3.9, §3.13 users/register).
 */
export interface InboxItem {
  readonly id: number;
  readonly uuid: string;
  readonly title: string;
  readonly type: string;
  readonly ip: string;
  readonly userAgent: string;
  readonly userAgentSha256: string;
  readonly comment: string;
  readonly deleted: boolean;
  readonly timestamp: number;
  readonly storeAsFile: boolean;
  /** The decoded `data` JSON. */
  readonly data: Record<string, unknown>;
}

export type NewInboxItem = Omit<InboxItem, 'id' | 'deleted' | 'storeAsFile'>;

export interface RegistrationStore {
  addInboxItem(item: NewInboxItem): Promise<InboxItem>;
  /** Live items of `type`, oldest first; `search` is a case-insensitive substring of data, user agent or ip. */
  listInboxItems(type: string, search?: string): Promise<InboxItem[]>;
  /** Live items of `type` with these ids or uuids. */
  findInboxItems(type: string, refs: readonly (number | string)[]): Promise<InboxItem[]>;
  deleteInboxItem(id: number): Promise<void>;
}
