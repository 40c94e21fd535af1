import type { RequestContext } from '../context.js';
import type { MispEvent } from '../model/event.js';
import type { SightingDetail } from '../model/sighting.js';
import type { Stores } from '../ports/stores.js';
import { sightingAccess } from './sighting-policy.js';
import { decorateSightings } from './sighting-read.js';

/** An event with the attributes shown to this reader (id → uuid); sightings of the others are left out. */
export interface ShownEvent {
  readonly event: MispEvent;
  readonly attributeUuids: ReadonlyMap<number, string>;
}

/**
 * The sightings of events' attributes as the actor may see them (Sighting::attachToEvent), grouped by attribute id.
 * One statement per distinct set of orgs whose sightings the reader may see (the sighting policy gives each event
 * one: all of them for its own org, the reader's org otherwise), not one per event.
 */
export async function sightingsOfEvents(
  ctx: RequestContext, stores: Pick<Stores, 'sightings' | 'eventReads'>, shown: readonly ShownEvent[],
): Promise<Map<number, SightingDetail[]>> {
  const out = new Map<number, SightingDetail[]>();
  const access = sightingAccess(ctx, stores);
  const groups = new Map<string, { orgs: readonly number[] | undefined; eventIds: number[] }>();
  for (const { event } of shown) {
    const orgs = await access.visibleOrgs(event);
    if (orgs?.length === 0) continue;
    const key = orgs === undefined ? 'all' : orgs.join(',');
    const group = groups.get(key);
    if (group) group.eventIds.push(event.id);
    else groups.set(key, { orgs, eventIds: [event.id] });
  }
  const sightings = (await Promise.all([...groups.values()].map((g) => stores.sightings.ofEvents(g.eventIds, g.orgs)))).flat();
  if (sightings.length === 0) return out;
  const attributes = new Map<number, { event: MispEvent; attribute: { uuid: string } }>();
  for (const { event, attributeUuids } of shown) for (const [id, uuid] of attributeUuids) attributes.set(id, { event, attribute: { uuid } });
  for (const d of await decorateSightings(ctx, stores, sightings, attributes)) {
    const list = out.get(d.attributeId);
    if (list) list.push(d);
    else out.set(d.attributeId, [d]);
  }
  return out;
}
