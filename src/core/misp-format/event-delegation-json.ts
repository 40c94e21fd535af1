import type { EventDelegation } from '../model/event-delegation.js';
import type { OrgSummary } from '../model/event.js';

/**
 * An event delegation request as MISP returns it (EventDelegationsController): ids as strings like every MISP
 * id (PyMISP compares `org_id` with an organisation's id); the index leaves out a
 * "recipient decides" distribution (-1) and an unset sharing group, and adds Org / RequesterOrg / Event.
 */
export function toMispEventDelegation(d: EventDelegation, extra?: {
  readonly org?: OrgSummary; readonly requesterOrg?: OrgSummary;
  readonly event?: { readonly id: number; readonly uuid: string; readonly info: string };
}): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: String(d.id), org_id: String(d.orgId), requester_org_id: String(d.requesterOrgId), event_id: String(d.eventId),
    message: d.message, distribution: String(d.distribution), sharing_group_id: String(d.sharingGroupId),
  };
  if (!extra) return { EventDelegation: out };
  if (d.distribution === -1) delete out.distribution;
  if (d.sharingGroupId === 0) delete out.sharing_group_id;
  const org = (o: OrgSummary | undefined) => o && { id: String(o.id), name: o.name, uuid: o.uuid };
  if (extra.org) out.Org = org(extra.org);
  if (extra.requesterOrg) out.RequesterOrg = org(extra.requesterOrg);
  if (extra.event) out.Event = { id: String(extra.event.id), uuid: extra.event.uuid, info: extra.event.info };
  return { EventDelegation: out };
}
