import type { CorrelationExclusion, CorrelationJob } from '../ports/correlation-store.js';
import type { RelatedAttributeLink, RelatedEventSummary } from '../model/correlation.js';

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
