import type { CorrelationExclusion, CorrelationJob } from '../ports/correlation-store.js';
import type { RelatedAttributeLink, RelatedEventSummary } from '../model/correlation.js';
import { joinValue } from '../attributes/composite.js';

/** Correlation data in MISP's wire form (spec §2.2 RelatedEvent, §5.5 RelatedAttribute, §3.12 exclusions). */

type Json = Record<string, unknown>;
const s = (n: number): string => String(n);

/** `{"Event": {...}}` element of `RelatedEvent` (Event::getRelatedEvents' field list). */
export function toMispRelatedEvent(r: RelatedEventSummary): Json {
  const e = r.event;
  return {
    Event: {
      id: s(e.id), date: e.date, threat_level_id: s(e.threatLevelId), info: e.info, published: e.published, uuid: e.uuid,
      analysis: s(e.analysis), timestamp: s(e.timestamp), distribution: s(e.distribution), org_id: s(e.orgId),
      orgc_id: s(e.orgcId),
      Org: { id: s(r.org.id), name: r.org.name, uuid: r.org.uuid },
      Orgc: { id: s(r.orgc.id), name: r.orgc.name, uuid: r.orgc.uuid },
    },
  };
}

/** An attribute's `RelatedAttribute` element as JSONConverterTool reshapes it. */
export function toMispRelatedAttribute(l: RelatedAttributeLink): Json {
  return { id: s(l.attributeId), value: l.value, org_id: s(l.orgcId), info: l.info, event_id: s(l.eventId) };
}

/**
 * An element of an attribute's `RelatedAttribute` in attributes/restSearch with `includeCorrelations`: the related
 * attribute's fields MispAttribute::fetchAttributes asks for, with its `Event` (Correlation::getRelatedAttributes).
 */
export function toMispSearchRelatedAttribute(l: RelatedAttributeLink): Json {
  const a = l.attribute;
  const e = l.event;
  if (!a || !e) return toMispRelatedAttribute(l);
  return {
    id: s(a.id), event_id: s(a.eventId), object_id: s(a.objectId), object_relation: a.objectRelation, category: a.category,
    type: a.type, value: joinValue(a.value1, a.value2), uuid: a.uuid, timestamp: s(a.timestamp), distribution: s(a.distribution),
    sharing_group_id: s(a.sharingGroupId), to_ids: a.toIds, comment: a.comment,
    Event: {
      id: s(e.id), uuid: e.uuid, threat_level_id: s(e.threatLevelId), analysis: s(e.analysis), info: e.info,
      extends_uuid: e.extendsUuid, distribution: s(e.distribution), sharing_group_id: s(e.sharingGroupId), published: e.published,
      date: e.date, orgc_id: s(e.orgcId), org_id: s(e.orgId),
    },
  };
}

/** `{"CorrelationExclusion": {...}}` (CRUD views of CorrelationExclusionsController). */
export function toMispCorrelationExclusion(e: CorrelationExclusion): { CorrelationExclusion: Json } {
  return { CorrelationExclusion: { id: s(e.id), value: e.value, from_json: e.fromJson, comment: e.comment } };
}

/** One entry of jobs/getGenerateCorrelationProgress: MISP's `job_status` and `progress`, plus Cairn's counters. */
export function toMispCorrelationJob(j: CorrelationJob): Json {
  const status = { queued: 'Waiting', running: 'Running', completed: 'Completed', failed: 'Failed' }[j.status] ?? 'Unknown';
  return {
    job_status: status, progress: j.progress, processed: s(j.processed), total: s(j.total), message: j.message,
    date_created: s(j.started), date_modified: s(j.finished || j.started),
  };
}
