import type { BlocklistEntry, BlocklistKind } from '../model/blocklist.js';

/** A blocklist row in MISP's wire form (EventBlocklist / OrgBlocklist / GalaxyClusterBlocklist columns, ids as strings). */
export function toMispBlocklistEntry(e: BlocklistEntry): Record<string, unknown> {
  const id = String(e.id);
  switch (e.kind) {
    case 'event': return { id, event_uuid: e.uuid, created: e.created, event_info: e.info, comment: e.comment, event_orgc: e.orgName };
    case 'cluster': return { id, cluster_uuid: e.uuid, created: e.created, cluster_info: e.info, comment: e.comment, cluster_orgc: e.orgName };
    default: return { id, org_uuid: e.uuid, created: e.created, org_name: e.orgName, comment: e.comment };
  }
}

const MODELS: Record<BlocklistKind, string> = { event: 'EventBlocklist', org: 'OrgBlocklist', cluster: 'GalaxyClusterBlocklist' };

/** The model name MISP wraps a blocklist row in. */
export const blocklistModel = (e: Pick<BlocklistEntry, 'kind'>): string => MODELS[e.kind];
