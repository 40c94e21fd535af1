import type { Sighting, SightingDetail } from '../model/sighting.js';

/**
 * A sighting in MISP's wire form (spec §2.7): every column as a string, plus `attribute_uuid` and `Organisation`
 * inside events; `org_id` is left out when Plugin.Sightings_anonymise hides it.
 */
export function toMispSighting(s: Sighting | SightingDetail): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: String(s.id), attribute_id: String(s.attributeId), event_id: String(s.eventId), org_id: String(s.orgId),
    date_sighting: String(s.dateSighting), uuid: s.uuid, source: s.source, type: String(s.type),
  };
  if (!('attributeUuid' in s)) return out;
  if (s.orgHidden) delete out.org_id;
  out.attribute_uuid = s.attributeUuid;
  if (s.organisation) out.Organisation = { id: String(s.organisation.id), uuid: s.organisation.uuid, name: s.organisation.name };
  return out;
}
