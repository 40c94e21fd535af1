import type { Proposal, ProposalDetail } from '../model/proposal.js';
import { microToIso } from './scalars.js';

/**
 * Proposals in MISP's wire form (spec §2.9). Each endpoint selects its own column list, so the shape names the
 * endpoint: `saved` for shadowAttributes/add|edit, `view`, `index` (with org and uuids), `event` (inside events/view).
 */
export type ProposalShape = 'saved' | 'view' | 'index' | 'event';

type Json = Record<string, unknown>;

const FIELDS: Record<ProposalShape, readonly string[]> = {
  saved: ['id', 'old_id', 'event_id', 'type', 'category', 'value', 'comment', 'to_ids', 'uuid', 'event_org_id', 'email', 'deleted', 'timestamp', 'first_seen', 'last_seen'],
  view: ['id', 'old_id', 'event_id', 'type', 'category', 'uuid', 'to_ids', 'value', 'comment', 'org_id', 'first_seen', 'last_seen'],
  index: ['id', 'old_id', 'event_id', 'type', 'category', 'uuid', 'to_ids', 'value', 'comment', 'org_id', 'timestamp', 'first_seen', 'last_seen', 'deleted', 'proposal_to_delete', 'disable_correlation'],
  event: ['id', 'type', 'category', 'value', 'to_ids', 'uuid', 'event_uuid', 'event_id', 'old_id', 'comment', 'org_id', 'proposal_to_delete', 'timestamp', 'first_seen', 'last_seen'],
};

function columns(p: Proposal): Json {
  return {
    id: String(p.id), old_id: String(p.oldId), event_id: String(p.eventId), type: p.type, category: p.category,
    value: p.value2 === '' ? p.value1 : `${p.value1}|${p.value2}`, comment: p.comment, to_ids: p.toIds, uuid: p.uuid, event_uuid: p.eventUuid,
    event_org_id: String(p.eventOrgId), email: p.email, org_id: String(p.orgId), deleted: p.deleted,
    timestamp: String(p.timestamp), proposal_to_delete: p.proposalToDelete, disable_correlation: p.disableCorrelation,
    first_seen: p.firstSeen ? microToIso(p.firstSeen) : null, last_seen: p.lastSeen ? microToIso(p.lastSeen) : null,
  };
}

/** The bare proposal fields of one endpoint (wrap in `{ShadowAttribute: …}` where MISP does). */
export function toMispProposal(p: Proposal | ProposalDetail, shape: ProposalShape): Json {
  const all = columns(p);
  const out: Json = {};
  for (const f of FIELDS[shape]) out[f] = all[f];
  if (!('org' in p)) return out;
  if (shape === 'index') {
    out.org_uuid = p.org.uuid;
    if (p.oldId !== 0) out.old_uuid = p.uuid;
    out.event_uuid = p.eventUuid;
    out.Org = { name: p.org.name, uuid: p.org.uuid };
  } else if (shape === 'event') {
    out.Org = { id: String(p.org.id), name: p.org.name, uuid: p.org.uuid, local: p.org.local };
  }
  return out;
}
