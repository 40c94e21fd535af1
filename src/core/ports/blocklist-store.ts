import type { BlocklistEntry, BlocklistKind } from '../model/blocklist.js';

export type BlocklistFields = Pick<BlocklistEntry, 'comment' | 'eventInfo' | 'orgName'>;

/** Event and organisation blocklists (EventBlocklist / OrgBlocklist models; spec §6.7). */
export interface BlocklistStore {
  isBlocked(kind: BlocklistKind, uuid: string): Promise<boolean>;
  list(kind: BlocklistKind): Promise<BlocklistEntry[]>;
  find(kind: BlocklistKind, ref: { readonly id: number } | { readonly uuid: string }): Promise<BlocklistEntry | undefined>;
  /** Adds the entry unless the uuid is already listed; false when it was. */
  add(kind: BlocklistKind, uuid: string, fields: BlocklistFields, created: string): Promise<boolean>;
  update(kind: BlocklistKind, id: number, fields: Partial<BlocklistFields>): Promise<void>;
  delete(kind: BlocklistKind, id: number): Promise<void>;
}
