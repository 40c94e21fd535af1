import type { RequestContext } from '../context.js';
import type { MispEvent } from '../model/event.js';
import type { SightingDetail } from '../model/sighting.js';
import type { Stores } from '../ports/stores.js';
import { sightingAccess } from './sighting-policy.js';
import { decorateSightings } from './sighting-read.js';

/**
 * The sightings of an event's attributes as the actor may see them (Sighting::attachToEvent), grouped by attribute id.
 * `attributeUuids` holds the attributes shown to this reader; sightings of the others are left out.
 */
export async function sightingsOfEvent(
  ctx: RequestContext, stores: Pick<Stores, 'sightings' | 'eventReads'>, event: MispEvent, attributeUuids: ReadonlyMap<number, string>,
): Promise<Map<number, SightingDetail[]>> {
  const out = new Map<number, SightingDetail[]>();
  const sightings = await stores.sightings.ofEvent(event.id, await sightingAccess(ctx, stores).visibleOrgs(event));
  if (sightings.length === 0) return out;
  const shown = new Map([...attributeUuids].map(([id, uuid]) => [id, { event, attribute: { uuid } }]));
  for (const d of await decorateSightings(ctx, stores, sightings, shown)) {
    const list = out.get(d.attributeId);
    if (list) list.push(d);
    else out.set(d.attributeId, [d]);
  }
  return out;
}
