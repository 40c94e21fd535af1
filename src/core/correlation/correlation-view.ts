import type { EventViewer } from '../acl/event-visibility.js';
import type { RequestContext } from '../context.js';
import type { RelatedAttributeLink, RelatedEventSummary } from '../model/correlation.js';
import { type Attribute, type AttributeDetail, type EventDetail, type MispEvent, type OrgSummary, orgSummaryOf } from '../model/event.js';
import type { RelatedRow } from '../ports/correlation-store.js';
import type { Stores } from '../ports/stores.js';
import { correlationSettings } from './correlation-settings.js';

/** events/view parameters about correlations (EventsController::view, spec §2.2, §5.5). */
export interface CorrelationViewOptions {
  /** `includeEventCorrelations` (on by default): the `RelatedEvent` list. */
  readonly includeEventCorrelations?: boolean | undefined;
  /** `includeGranularCorrelations`: a `RelatedAttribute` list on every correlated attribute. */
  readonly includeGranularCorrelations?: boolean | undefined;
}

export type CorrelationViewDeps = Pick<Stores, 'correlations' | 'eventReads'>;

/**
 * Adds `RelatedEvent` and, when asked, `RelatedAttribute` to events as the viewer sees them (Event::fetchEvent with
 * getRelatedEvents / getRelatedAttributes, spec §5.5). A correlation is shown only when the viewer may see both
 * attributes under the attribute-scope rule of spec §4.3, and every related event is loaded through the event
 * read store with the viewer's visibility filter, so an event the viewer cannot see is never named — stricter than
 * MISP, which skips the attribute checks for RelatedEvent and ignores MISP.unpublishedprivate there.
 * A few queries for all the events together (a restSearch batch; events/view passes one), whatever the number of
 * correlations; `RelatedAttribute`, asked for with `includeGranularCorrelations`, reads its rows per event.
 */
export async function withCorrelations(
  ctx: RequestContext, stores: CorrelationViewDeps, viewer: EventViewer, details: readonly EventDetail[], opts: CorrelationViewOptions,
): Promise<EventDetail[]> {
  const cs = correlationSettings(ctx.settings);
  const wantEvents = opts.includeEventCorrelations !== false;
  const wantGranular = opts.includeGranularCorrelations === true;
  if (cs.disabled || (!wantEvents && !wantGranular) || details.length === 0) return [...details];
  const viewed = details.map((d) => ({ id: d.event.id, orgId: d.event.orgId }));
  const [eventIds, rows] = await Promise.all([
    wantEvents ? stores.correlations.relatedEventIdsOf(viewer, viewed) : new Map<number, number[]>(),
    wantGranular ? Promise.all(viewed.map((v) => stores.correlations.relatedRows(viewer, v, cs.maxPerEvent))) : viewed.map((): RelatedRow[] => []),
  ]);
  const wanted = new Set<number>();
  for (const ids of eventIds.values()) for (const id of ids) wanted.add(id);
  for (const list of rows) for (const r of list) wanted.add(r.relatedEventId);
  if (wanted.size === 0) return details.map((d) => (wantEvents ? { ...d, relatedEvents: [] } : d));
  const { events } = await stores.eventReads.listEvents(viewer, { ids: { include: [...wanted] } }, { sort: 'date', direction: 'desc' });
  const visible = new Map(events.map((e) => [e.id, e]));
  const orgs = wantEvents ? await stores.eventReads.organisations(events.flatMap((e) => [e.orgId, e.orgcId])) : new Map<number, OrgSummary>();
  return Promise.all(details.map(async (detail, k) => {
    let out: EventDetail = detail;
    if (wantEvents) {
      const listed = new Set(eventIds.get(detail.event.id) ?? []);
      const relatedEvents: RelatedEventSummary[] = events.filter((e) => listed.has(e.id)).map((e) => ({
        event: e, org: orgSummaryOf(orgs, e.orgId), orgc: orgSummaryOf(orgs, e.orgcId),
      }));
      out = { ...out, relatedEvents };
    }
    return wantGranular ? withRelatedAttributes(stores, out, rows[k]!, visible) : out;
  }));
}

async function withRelatedAttributes(
  stores: CorrelationViewDeps, detail: EventDetail, rows: readonly RelatedRow[], visible: ReadonlyMap<number, MispEvent>,
): Promise<EventDetail> {
  const kept = rows.filter((r) => visible.has(r.relatedEventId));
  const values = await stores.correlations.values(kept.map((r) => r.valueId));
  const links = new Map<number, RelatedAttributeLink[]>();
  for (const r of kept) {
    const e = visible.get(r.relatedEventId)!;
    const link: RelatedAttributeLink = {
      attributeId: r.relatedAttributeId, eventId: e.id, value: values.get(r.valueId) ?? '', orgcId: e.orgcId, info: e.info, date: e.date,
    };
    const list = links.get(r.attributeId);
    if (list) list.push(link);
    else links.set(r.attributeId, [link]);
  }
  const extend = (a: AttributeDetail): AttributeDetail => {
    const related = links.get(a.id);
    return related ? { ...a, relatedAttributes: related } : a;
  };
  return {
    ...detail,
    attributes: detail.attributes.map(extend),
    objects: detail.objects.map((o) => ({ ...o, attributes: o.attributes.map(extend) })),
  };
}

/**
 * attributes/restSearch `includeCorrelations` (MispAttribute::fetchAttributes, Correlation::getRelatedAttributes with
 * event data): for attributes the viewer already sees, the correlated attributes it may also see, each with its
 * event. Four queries for a whole page.
 */
export async function relatedAttributesOf(
  ctx: RequestContext, stores: CorrelationViewDeps, viewer: EventViewer, attributes: readonly Attribute[],
): Promise<Map<number, RelatedAttributeLink[]>> {
  const cs = correlationSettings(ctx.settings);
  const out = new Map<number, RelatedAttributeLink[]>();
  if (cs.disabled || attributes.length === 0) return out;
  const rows = await stores.correlations.relatedRowsOf(viewer, attributes.map((a) => ({ id: a.id, eventId: a.eventId })), cs.maxPerEvent);
  if (rows.length === 0) return out;
  const [{ events }, related, values] = await Promise.all([
    stores.eventReads.listEvents(viewer, { ids: { include: [...new Set(rows.map((r) => r.relatedEventId))] } }, {}),
    stores.correlations.attributesByIds(rows.map((r) => r.relatedAttributeId)),
    stores.correlations.values(rows.map((r) => r.valueId)),
  ]);
  const eventById = new Map(events.map((e) => [e.id, e]));
  const attributeById = new Map(related.map((a) => [a.id, a]));
  for (const r of rows) {
    const event = eventById.get(r.relatedEventId);
    const attribute = attributeById.get(r.relatedAttributeId);
    if (!event || !attribute) continue;
    const link: RelatedAttributeLink = {
      attributeId: attribute.id, eventId: event.id, value: values.get(r.valueId) ?? '', orgcId: event.orgcId, info: event.info,
      date: event.date, attribute, event,
    };
    const list = out.get(r.attributeId);
    if (list) list.push(link);
    else out.set(r.attributeId, [link]);
  }
  return out;
}
