/** What a blocklist refuses: event uuids, creator organisation uuids, or galaxy cluster uuids (spec §6.7). */
export type BlocklistKind = 'event' | 'org' | 'cluster';

/** One blocklist entry; `info`/`orgName` are MISP's event_info+event_orgc, cluster_info+cluster_orgc, or org_name. */
export interface BlocklistEntry {
  readonly id: number;
  readonly kind: BlocklistKind;
  readonly uuid: string;
  /** MISP datetime text. */
  readonly created: string;
  readonly comment: string;
  /** `event_info` (the event's info) or `cluster_info` (the cluster's value); organisation entries have none. */
  readonly info: string;
  /** `event_orgc` / `cluster_orgc` (creator org name) or `org_name`. */
  readonly orgName: string;
}
