import type { RequestContext } from '../context.js';
import type { EventIndexParams } from '../misp-format/event-read-params.js';
import { filterId } from '../misp-format/scalars.js';
import { type MispEvent, type OrgSummary, orgSummaryOf, type TagLink } from '../model/event.js';
import type { EventIndexFilter, Many, SharingGroupSummary } from '../ports/event-read-store.js';
import type { Stores } from '../ports/stores.js';
import { isUuid } from '../util/uuid.js';
import { viewerFor } from './event-view.js';

export type EventIndexDeps = Pick<Stores, 'eventReads' | 'tags' | 'identity' | 'delegations'>;

/** One events/index row before rendering (spec §2.12). */
export interface EventIndexEntry {
  readonly event: MispEvent;
  readonly org: OrgSummary;
  readonly orgc: OrgSummary;
  readonly sharingGroup: SharingGroupSummary | null;
  /** Exportable event tags only, as MISP's index shows. */
  readonly tags: readonly TagLink[];
}

export interface EventIndexResult {
  readonly entries: readonly EventIndexEntry[];
  /** Matches before paging: MISP's `X-Result-Count`. */
  readonly total: number;
}

const EMPTY: EventIndexResult = { entries: [], total: 0 };

/**
 * events/index (`EventsController::__indexRestResponse`, spec §3.1, §2.12): the visible events matching the
 * filters, one page of them, with orgs, sharing group and exportable tags. Org and tag names are resolved
 * first; a positive filter naming nothing that exists matches nothing, as in MISP.
 */
export async function listEventIndex(ctx: RequestContext, stores: EventIndexDeps, params: EventIndexParams): Promise<EventIndexResult> {
  const resolved = await resolveFilter(ctx, stores, params);
  if (!resolved) return EMPTY;
  const viewer = await viewerFor(ctx, stores);
  const { events, total } = await stores.eventReads.listEvents(viewer, resolved, params.page);
  if (events.length === 0) return { entries: [], total };
  const ids = events.map((e) => e.id);
  const [orgs, sharingGroups, tags] = await Promise.all([
    stores.eventReads.organisations(events.flatMap((e) => [e.orgId, e.orgcId])),
    params.minimal ? new Map<number, SharingGroupSummary>() : stores.eventReads.sharingGroupSummaries(events.map((e) => e.sharingGroupId)),
    params.minimal ? new Map<number, TagLink[]>() : stores.tags.eventTags(ids),
  ]);
  const org = (id: number): OrgSummary => orgSummaryOf(orgs, id);
  const entries = events.map((event): EventIndexEntry => ({
    event, org: org(event.orgId), orgc: org(event.orgcId),
    sharingGroup: sharingGroups.get(event.sharingGroupId) ?? null,
    tags: (tags.get(event.id) ?? []).filter((l) => l.tag.exportable),
  }));
  return { entries, total };
}

/** Turns names into ids; undefined when the request can match nothing. */
async function resolveFilter(ctx: RequestContext, stores: EventIndexDeps, p: EventIndexParams): Promise<EventIndexFilter | undefined> {
  let filter: EventIndexFilter = p.filter;
  if (p.hasProposal !== undefined) filter = { ...filter, hasProposal: p.hasProposal };
  if (p.orgs && ctx.settings.bool('MISP.showorg')) {
    const orgcIds = await resolveOrgs(stores, p.orgs);
    if (!orgcIds) return undefined;
    filter = { ...filter, orgcIds };
  }
  if (p.tags) {
    const tagIds = await resolveTags(stores, p.tags);
    if (!tagIds) return undefined;
    filter = { ...filter, tagIds };
  }
  if (p.email) {
    const userId = await resolveEmail(ctx, stores, p.email);
    if (userId === undefined) return undefined;
    filter = { ...filter, userId };
  }
  return filter;
}

/** `org`: ids as given, uuids and names looked up; an unknown positive name or uuid matches nothing. */
async function resolveOrgs(stores: EventIndexDeps, orgs: Many<string>): Promise<Many<number> | undefined> {
  const one = async (piece: string): Promise<number | undefined> => {
    if (/^\d+$/.test(piece)) return filterId(Number(piece));
    const found = await stores.identity.findOrganisation(isUuid(piece) ? { uuid: piece.toLowerCase() } : { name: piece });
    return found?.id;
  };
  const include = await Promise.all((orgs.include ?? []).map(one));
  if (include.some((id) => id === undefined)) return undefined;
  const exclude = (await Promise.all((orgs.exclude ?? []).map(one))).filter((id): id is number => id !== undefined);
  return {
    ...(include.length ? { include: include as number[] } : {}),
    ...(exclude.length ? { exclude } : {}),
  };
}

/** `tags`: names (case-insensitive) or ids; when no positive tag exists the request matches nothing. */
async function resolveTags(stores: EventIndexDeps, tags: Many<string> & { allOf?: boolean }): Promise<EventIndexFilter['tagIds'] | undefined> {
  const all = [...(tags.include ?? []), ...(tags.exclude ?? [])];
  const byName = await stores.tags.findByNames(all.filter((t) => !/^\d+$/.test(t)));
  const idOf = (t: string): number | undefined => (/^\d+$/.test(t) ? filterId(Number(t)) : byName.get(t.toLowerCase())?.id);
  const include = (tags.include ?? []).map(idOf).filter((id): id is number => id !== undefined);
  const exclude = (tags.exclude ?? []).map(idOf).filter((id): id is number => id !== undefined);
  if (tags.include?.length && include.length === 0) return undefined;
  if (tags.allOf && include.length < (tags.include?.length ?? 0)) return undefined;
  return { ...(include.length ? { include } : {}), ...(exclude.length ? { exclude } : {}), allOf: tags.allOf ?? false };
}

/** `email`: others may only ask for their own events; site admins name any user. */
async function resolveEmail(ctx: RequestContext, stores: EventIndexDeps, email: string): Promise<number | undefined> {
  if (email.toLowerCase() === ctx.actor.user.email.toLowerCase()) return ctx.actor.user.id;
  if (!ctx.actor.isSiteAdmin) return undefined;
  return (await stores.identity.findUser({ email: email.toLowerCase() }))?.id;
}
