import type { BlocklistEntry, BlocklistKind } from '../model/blocklist.js';

/** How {@link BlocklistStore.blockedAmong} names a check that hit: its kind and lower-cased uuid. */
export const blockKey = (kind: BlocklistKind, uuid: string): string => `${kind}:${uuid.toLowerCase()}`;

export type BlocklistFields = Pick<BlocklistEntry, 'comment' | 'info' | 'orgName'>;

/** Event, organisation and galaxy cluster blocklists (EventBlocklist / OrgBlocklist / GalaxyClusterBlocklist; spec §6.7). */
export interface BlocklistStore {
  isBlocked(kind: BlocklistKind, uuid: string): Promise<boolean>;
  /**
   * Which of these checks hit their blocklist, as {@link blockKey}s, in one statement per few hundred checks (events/add
   * checks each event and its creator org).
   */
  blockedAmong(checks: readonly { readonly kind: BlocklistKind; readonly uuid: string }[]): Promise<Set<string>>;
  list(kind: BlocklistKind): Promise<BlocklistEntry[]>;
  find(kind: BlocklistKind, ref: { readonly id: number } | { readonly uuid: string }): Promise<BlocklistEntry | undefined>;
  /** Adds the entry unless the uuid is already listed; false when it was. */
  add(kind: BlocklistKind, uuid: string, fields: BlocklistFields, created: string): Promise<boolean>;
  update(kind: BlocklistKind, id: number, fields: Partial<BlocklistFields>): Promise<void>;
  delete(kind: BlocklistKind, id: number): Promise<void>;
}
