import type { DeletedStates, EventViewer } from '../acl/event-visibility.js';
import type { RequestContext } from '../context.js';
import { assembleChildren, type EventReadDeps, type TagViewOptions, visibleTags } from '../events/event-view.js';
import { withEventExtras } from '../events/event-view-extras.js';
import { withCorrelations } from '../correlation/correlation-view.js';
import type { Stores } from '../ports/stores.js';
import { type Attribute, type EventDetail, type MispEvent, type OrgSummary, orgSummaryOf, type TagLink } from '../model/event.js';
import type { SharingGroupDetail } from '../model/sharing-group.js';
import type { EventChildren } from '../ports/event-read-store.js';
import {
  sharingGroupIdsUsed, sharingGroupsForViewer, withoutUnloadableGroups,
} from '../sharing-groups/sharing-group-embed.js';

/**
 * Events as restSearch returns them (`Event::fetchEvent` with restSearch's options, spec §2.2, §3.14): the same
 * visibility, assembly and tag rules as events/view (src/core/events/event-view.ts), loaded for a batch of events
 * with one query per kind of child instead of one set per event. Proposals, sightings and files
 * (`withEventExtras`) and correlations (`withCorrelations`) are added for the whole batch too, by the functions
 * events/view uses for its one event.
 */

export interface EventBatchOptions extends TagViewOptions {
  readonly deleted: DeletedStates;
  /** No attributes, objects, proposals or reports (`metadata`). */
  readonly metadata: boolean;
  /** Leave `SharingGroup` blocks out and keep elements whose group the reader cannot load (`sgReferenceOnly`). */
  readonly sgReferenceOnly: boolean;
  /** Only attributes with these `to_ids` values are shown (`to_ids` filters the event's content, Event::fetchEvent). */
  readonly toIds?: readonly boolean[] | undefined;
  /** Attributes carrying one of these tags are left out (`tags` NOT list → `blockedAttributeTags`). */
  readonly blockedTagIds?: ReadonlySet<number> | undefined;
  /** `enforceWarninglist`: drops attributes for which this answers true. */
  readonly listed?: ((type: string, value: string) => boolean) | undefined;
  readonly includeAttachments: boolean;
  /** `RelatedEvent` (on by default in MISP's fetchEvent) and `RelatedAttribute` lists. */
  readonly includeEventCorrelations: boolean;
  readonly includeGranularCorrelations: boolean;
}

export type EventBatchDeps = EventReadDeps & Pick<Stores, 'correlations'>;

const NO_CHILDREN: EventChildren = { attributes: [], objects: [], references: [] };

function byEvent<T extends { eventId: number }>(rows: readonly T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of rows) {
    const list = out.get(r.eventId);
    if (list) list.push(r);
    else out.set(r.eventId, [r]);
  }
  return out;
}

/** The attribute filters restSearch applies inside events: to_ids, blocked tags and warninglists. */
function keepAttribute(a: Attribute, tags: ReadonlyMap<number, readonly TagLink[]>, opts: EventBatchOptions): boolean {
  if (opts.toIds?.length === 1 && a.toIds !== opts.toIds[0]) return false;
  if (opts.blockedTagIds?.size && (tags.get(a.id) ?? []).some((l) => opts.blockedTagIds!.has(l.tag.id))) return false;
  if (opts.listed && opts.listed(a.type, a.value2 === '' ? a.value1 : `${a.value1}|${a.value2}`)) return false;
  return true;
}

/** `event_creator_email` of each event the reader may see it for (site admins; perm_audit users of the creator org). */
async function creatorEmails(ctx: RequestContext, stores: EventBatchDeps, events: readonly MispEvent[]): Promise<Map<number, string>> {
  const { actor } = ctx;
  const wanted = events.filter((e) => actor.isSiteAdmin || (e.orgcId === actor.org.id && actor.role.perms.perm_audit));
  if (wanted.length === 0) return new Map();
  const users = await stores.identity.findUsers([...new Set(wanted.map((e) => e.userId))]);
  const email = new Map(users.map((u) => [u.id, u.email]));
  const out = new Map<number, string>();
  for (const e of wanted) {
    const found = email.get(e.userId);
    if (found !== undefined) out.set(e.id, found);
  }
  return out;
}

/** Full event details for `events` (already known visible), in the given order. */
export async function loadEventDetails(
  ctx: RequestContext, stores: EventBatchDeps, viewer: EventViewer, events: readonly MispEvent[], opts: EventBatchOptions,
): Promise<EventDetail[]> {
  if (events.length === 0) return [];
  const ids = events.map((e) => e.id);
  const [orgs, eventTags, children, attributeTags, emails, reportHits] = await Promise.all([
    stores.eventReads.organisations(events.flatMap((e) => [e.orgId, e.orgcId])),
    stores.tags.eventTags(ids),
    opts.metadata ? NO_CHILDREN : stores.eventReads.loadChildren(viewer, { eventIds: ids }, opts.deleted),
    opts.metadata ? new Map<number, TagLink[]>() : stores.tags.attributeTagsOfEvents(ids),
    creatorEmails(ctx, stores, events),
    // `EventReport`, as events/view shows it (Event::fetchEvent attaches reports for restSearch too)
    opts.metadata ? [] : stores.eventReports.listVisible(viewer, { eventIds: ids, deleted: opts.deleted }),
  ]);
  const reports = byEvent(reportHits.map((h) => h.report));
  const attributes = byEvent(children.attributes.filter((a) => keepAttribute(a, attributeTags, opts)));
  const objects = byEvent(children.objects);
  const references = byEvent(children.references);
  let groups: ReadonlyMap<number, SharingGroupDetail> = new Map();
  if (!opts.sgReferenceOnly) {
    const used = events.flatMap((e) => sharingGroupIdsUsed(e, {
      attributes: attributes.get(e.id) ?? [], objects: objects.get(e.id) ?? [], references: [],
    }));
    groups = await sharingGroupsForViewer(ctx, stores, viewer, [...new Set(used)]);
  }
  const org = (id: number): OrgSummary => orgSummaryOf(orgs, id);
  const details: EventDetail[] = [];
  for (const event of events) {
    let own: EventChildren = {
      attributes: attributes.get(event.id) ?? [], objects: objects.get(event.id) ?? [], references: references.get(event.id) ?? [],
    };
    if (!opts.sgReferenceOnly) own = withoutUnloadableGroups(own, groups);
    const assembled = assembleChildren(own, attributeTags, opts);
    const email = emails.get(event.id);
    const detail: EventDetail = {
      event, org: org(event.orgId), orgc: org(event.orgcId), tags: visibleTags(eventTags.get(event.id), opts),
      attributes: assembled.attributes, objects: assembled.objects, reports: reports.get(event.id) ?? [],
      ...(opts.sgReferenceOnly ? {} : { sharingGroups: groups }),
      ...(email !== undefined ? { creatorEmail: email } : {}),
    };
    details.push(detail);
  }
  const extended = await withEventExtras(ctx, stores, details, { metadata: opts.metadata, includeAttachments: opts.includeAttachments });
  return withCorrelations(ctx, stores, viewer, extended, {
    includeEventCorrelations: opts.includeEventCorrelations, includeGranularCorrelations: opts.includeGranularCorrelations && !opts.metadata,
  });
}
