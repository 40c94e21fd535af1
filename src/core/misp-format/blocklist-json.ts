import type { BlocklistEntry } from '../model/blocklist.js';

/** A blocklist row in MISP's wire form (EventBlocklist / OrgBlocklist columns, ids as strings). */
export function toMispBlocklistEntry(e: BlocklistEntry): Record<string, unknown> {
  return e.kind === 'event'
    ? { id: String(e.id), event_uuid: e.uuid, created: e.created, event_info: e.eventInfo, comment: e.comment, event_orgc: e.orgName }
    : { id: String(e.id), org_uuid: e.uuid, created: e.created, org_name: e.orgName, comment: e.comment };
}

export const blocklistModel = (e: Pick<BlocklistEntry, 'kind'>): string => (e.kind === 'event' ? 'EventBlocklist' : 'OrgBlocklist');
