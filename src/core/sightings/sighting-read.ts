import type { RequestContext } from '../context.js';
import { badRequest, notAllowed, notFound, saveFailed } from '../errors.js';
import { viewerFor } from '../events/event-view.js';
import type { Attribute, MispEvent, OrgSummary } from '../model/event.js';
import type { Sighting, SightingDetail } from '../model/sighting.js';
import type { SightingFilter } from '../ports/sighting-store.js';
import type { Stores } from '../ports/stores.js';
import { fetchOrg } from '../sharing-groups/sharing-group-service.js';
import { parseRef } from '../util/uuid.js';
import { sightingAccess } from './sighting-policy.js';

/**
 * The read and delete side of the sightings controller (SightingsController, Sighting::listSightings; spec §3.6):
 * listSightings, index, view and delete. A sighting is shown only when its attribute is visible to the actor and
 * the sightings policy lets the actor see that org's sightings of the event (src/core/sightings/sighting-policy.ts).
 */

/** The sightings store reads at most this many rows per query. */
export const SIGHTING_PAGE = 5_000;

export type SightingContext = 'attribute' | 'event';

/** A visible attribute with its event: the unit every sighting is checked against. */
export interface SightedAttribute {
  readonly attribute: Attribute;
  readonly event: MispEvent;
}

/** The visible, non-deleted attributes among `ids`, with their events, in two queries. */
export async function visibleAttributes(ctx: RequestContext, stores: Stores, ids: readonly number[]): Promise<Map<number, SightedAttribute>> {
  const out = new Map<number, SightedAttribute>();
  if (ids.length === 0) return out;
  const viewer = await viewerFor(ctx, stores);
  const attributes = await stores.eventReads.listAttributes(viewer, { ids }, { limit: ids.length, page: 1 });
  const eventIds = [...new Set(attributes.map((a) => a.eventId))];
  const { events } = await stores.eventReads.listEvents(viewer, { ids: { include: eventIds } }, {});
  const byId = new Map(events.map((e) => [e.id, e]));
  for (const attribute of attributes) {
    const event = byId.get(attribute.eventId);
    if (event) out.set(attribute.id, { attribute, event });
  }
  return out;
}

/**
 * Keeps the sightings the actor may see, decorated as inside events: the attribute's uuid, the reporting org when
 * MISP.showorg is on, and another org's identity removed under Plugin.Sightings_anonymise.
 */
export async function decorateSightings(ctx: RequestContext, stores: Pick<Stores, 'sightings' | 'eventReads'>, sightings: readonly Sighting[],
  attributes: ReadonlyMap<number, { readonly event: MispEvent; readonly attribute: Pick<Attribute, 'uuid'> }>): Promise<SightingDetail[]> {
  const access = sightingAccess(ctx, stores);
  const kept: Array<{ s: Sighting; a: { readonly attribute: Pick<Attribute, 'uuid'> } }> = [];
  for (const s of sightings) {
    const a = attributes.get(s.attributeId);
    if (a && await access.allows(a.event, s)) kept.push({ s, a });
  }
  const showOrg = ctx.settings.bool('MISP.showorg');
  const anonymise = ctx.settings.bool('Plugin.Sightings_anonymise');
  const orgs: Map<number, OrgSummary> = showOrg ? await stores.eventReads.organisations([...new Set(kept.map(({ s }) => s.orgId))]) : new Map();
  return kept.map(({ s, a }) => {
    const hidden = anonymise && s.orgId !== ctx.actor.org.id;
    const org = orgs.get(s.orgId);
    return {
      ...s, attributeUuid: a.attribute.uuid,
      ...(org && !hidden ? { organisation: { id: org.id, uuid: org.uuid, name: org.name } } : {}),
      ...(hidden ? { orgHidden: true } : {}),
    };
  });
}

/** Reads every sighting matching `filter` (keyset pages) and keeps the visible ones. */
async function visibleSightings(ctx: RequestContext, stores: Stores, filter: SightingFilter): Promise<SightingDetail[]> {
  const out: SightingDetail[] = [];
  for (let after = 0; ;) {
    const page = await stores.sightings.search(filter, after, SIGHTING_PAGE);
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    const attributes = await visibleAttributes(ctx, stores, [...new Set(page.map((s) => s.attributeId))]);
    out.push(...await decorateSightings(ctx, stores, page, attributes));
    if (page.length < SIGHTING_PAGE) break;
  }
  return out;
}

const parseIds = (raw: unknown): number[] => {
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[,|]/) : [raw];
  return list.map((v) => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN))
    .filter((n) => Number.isSafeInteger(n) && n > 0);
};

/**
 * sightings/listSightings (Sighting::listSightings): the sightings of visible attributes or events, optionally of
 * one org (id or uuid), newest first. No visible attribute or event is MISP's 405 "Invalid object.".
 */
export async function listSightings(ctx: RequestContext, stores: Stores,
  q: { readonly id: unknown; readonly context: unknown; readonly orgId?: unknown }): Promise<SightingDetail[]> {
  const context = q.context ?? 'attribute';
  if (context !== 'attribute' && context !== 'event') throw badRequest(`Invalid context '${String(context)}'.`);
  const ids = parseIds(q.id);
  const viewer = await viewerFor(ctx, stores);
  let filter: SightingFilter;
  if (context === 'attribute') {
    const visible = await stores.eventReads.listAttributes(viewer, { ids }, { limit: Math.max(ids.length, 1), page: 1 });
    filter = { attributeIds: visible.map((a) => a.id) };
  } else {
    const { events } = ids.length ? await stores.eventReads.listEvents(viewer, { ids: { include: ids } }, {}) : { events: [] };
    filter = { eventIds: events.map((e) => e.id) };
  }
  if ((filter.attributeIds ?? filter.eventIds)!.length === 0) throw notAllowed('Invalid object.');
  if (q.orgId !== undefined && q.orgId !== null && q.orgId !== '' && q.orgId !== false && q.orgId !== 0 && q.orgId !== '0') {
    const org = await fetchOrg(stores, q.orgId);
    filter = { ...filter, orgIds: { include: org ? [org.id] : [] } };
  }
  const sightings = await visibleSightings(ctx, stores, filter);
  return sightings.sort((a, b) => b.dateSighting - a.dateSighting || b.id - a.id);
}

/** sightings/index[/{event_id}]: every sighting the actor may see, of one event or of all. */
export async function sightingIndex(ctx: RequestContext, stores: Stores, rawEventId: string | undefined): Promise<SightingDetail[]> {
  const eventIds = rawEventId === undefined ? undefined : parseIds(rawEventId);
  return visibleSightings(ctx, stores, eventIds ? { eventIds } : {});
}

async function findSighting(stores: Stores, raw: unknown): Promise<Sighting | undefined> {
  const ref = parseRef(raw);
  return ref ? stores.sightings.find(ref) : undefined;
}

/** sightings/view/{id|uuid}: one sighting, if the actor may see it; else 404 "Invalid sighting.". */
export async function viewSighting(ctx: RequestContext, stores: Stores, raw: unknown): Promise<SightingDetail> {
  const s = await findSighting(stores, raw);
  const [detail] = s ? await decorateSightings(ctx, stores, [s], await visibleAttributes(ctx, stores, [s.attributeId])) : [];
  if (!detail) throw notFound('Invalid sighting.');
  return detail;
}

/**
 * sightings/delete/{id|uuid} (ACLComponent::canDeleteSighting): site admins any sighting, users with
 * perm_modify_org their own org's. Anything else looks absent (404 "Invalid sighting.").
 */
export async function deleteSighting(ctx: RequestContext, stores: Stores, raw: unknown): Promise<number> {
  const s = await findSighting(stores, raw);
  const { actor } = ctx;
  const allowed = s && (actor.isSiteAdmin || (actor.role.perms.perm_modify_org && s.orgId === actor.org.id));
  if (!s || !allowed) throw notFound('Invalid sighting.');
  if (!(await stores.sightings.delete(s.id))) throw saveFailed('Could not delete Sighting', 'Could not delete the Sighting.');
  return s.id;
}
