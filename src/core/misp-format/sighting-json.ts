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

/** The parts of a sightings/restSearch row (src/core/sightings/sighting-search.ts) the wire form needs. */
export interface SightingSearchOutput {
  readonly sighting: SightingDetail;
  readonly attribute: { readonly id: number; readonly uuid: string; readonly type: string; readonly category: string; readonly toIds: boolean; readonly value: string };
  readonly event: { readonly id: number; readonly uuid: string; readonly orgcId: number; readonly orgId: number; readonly info: string };
  readonly eventOrgcName: string;
}

/**
 * One sightings/restSearch result (Sighting::getSightings): the sighting's columns and the attribute `value`,
 * `attribute_uuid`/`event_uuid` with includeUuid, `Attribute` with includeAttribute, `Event` (with `Orgc.name`) with
 * includeEvent, and the reporting `Organisation` unless anonymised.
 */
export function toMispSightingSearchRow(r: SightingSearchOutput, opts: { includeAttribute: boolean; includeEvent: boolean; includeUuid: boolean }): Record<string, unknown> {
  const out = toMispSighting(r.sighting);
  delete out.attribute_uuid;
  delete out.Organisation;
  out.value = r.attribute.value;
  if (opts.includeUuid) {
    out.attribute_uuid = r.attribute.uuid;
    out.event_uuid = r.event.uuid;
  }
  if (opts.includeAttribute) {
    const a = r.attribute;
    out.Attribute = { id: String(a.id), value: a.value, uuid: a.uuid, type: a.type, category: a.category, to_ids: a.toIds };
  }
  if (opts.includeEvent) {
    const e = r.event;
    out.Event = { id: String(e.id), uuid: e.uuid, orgc_id: String(e.orgcId), org_id: String(e.orgId), info: e.info, Orgc: { name: r.eventOrgcName } };
  }
  const org = r.sighting.organisation;
  if (org && !r.sighting.orgHidden) out.Organisation = { id: String(org.id), uuid: org.uuid, name: org.name };
  return { Sighting: out };
}

/** CsvExport::__sightingsHandler: the row flattened, `Event.x` as `event_x` and `Attribute.x` as `attribute_x`. */
export function sightingCsvColumns(opts: { includeAttribute: boolean; includeEvent: boolean }): string[] {
  return [
    'id', 'attribute_id', 'event_id', 'org_id', 'date_sighting', 'uuid', 'source', 'type',
    ...(opts.includeAttribute ? ['attribute_uuid', 'attribute_type', 'attribute_category', 'attribute_to_ids', 'attribute_value'] : []),
    ...(opts.includeEvent ? ['event_uuid', 'event_orgc_id', 'event_org_id', 'event_info', 'event_Orgc_name'] : []),
  ];
}

export function flattenSightingRow(row: Record<string, unknown>): Record<string, unknown> {
  const s = { ...(row.Sighting as Record<string, unknown>) };
  for (const [prefix, key] of [['event', 'Event'], ['attribute', 'Attribute']] as const) {
    const nested = s[key];
    if (typeof nested !== 'object' || nested === null) continue;
    for (const [k, v] of Object.entries(nested)) {
      if (typeof v === 'object' && v !== null) {
        const [k2, v2] = Object.entries(v)[0] ?? [];
        if (k2 !== undefined) s[`${prefix}_${k}_${k2}`] = v2;
      } else s[`${prefix}_${k}`] = v;
    }
  }
  return s;
}
