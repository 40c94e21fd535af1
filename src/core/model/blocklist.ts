/** What a blocklist refuses: event uuids, or creator organisation uuids (spec §6.7). */
export type BlocklistKind = 'event' | 'org';

/** One blocklist entry; `info`/`orgName` are MISP's event_info+event_orgc, or org_name. */
export interface BlocklistEntry {
  readonly id: number;
  readonly kind: BlocklistKind;
  readonly uuid: string;
  /** MISP datetime text. */
  readonly created: string;
  readonly comment: string;
  /** Event blocklist: `event_info`. */
  readonly eventInfo: string;
  /** Event blocklist: `event_orgc`; organisation blocklist: `org_name`. */
  readonly orgName: string;
}
