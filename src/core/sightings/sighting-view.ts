import type { RequestContext } from '../context.js';
import type { MispEvent } from '../model/event.js';
import type { SightingDetail } from '../model/sighting.js';
import type { Stores } from '../ports/stores.js';

/** Plugin.Sightings_policy values (spec §4.3, Sighting::createConditions). */
const POLICY = { EventOwner: 0, Reporter: 1, Everyone: 2, HostOrg: 3 } as const;

/**
 * Which orgs' sightings of `event` the actor sees: all for site admins and the owner org; otherwise, under policy 0
 * only their own, under 1 all once they reported one themselves, under 2 all, under 3 their own and the host org's.
 * `undefined` means every org; an empty list means none.
 */
async function visibleOrgs(ctx: RequestContext, stores: Pick<Stores, 'sightings'>, event: MispEvent): Promise<readonly number[] | undefined> {
  const { actor, settings } = ctx;
  if (actor.isSiteAdmin || event.orgId === actor.org.id) return undefined;
  switch (settings.num('Plugin.Sightings_policy')) {
    case POLICY.Reporter: return (await stores.sightings.hasReported(event.id, actor.org.id)) ? undefined : [];
    case POLICY.Everyone: return undefined;
    case POLICY.HostOrg: return [actor.org.id, settings.num('MISP.host_org_id')];
    default: return [actor.org.id];
  }
}

/**
 * The sightings of an event's attributes as the actor may see them (Sighting::attachToEvent), grouped by attribute id:
 * each with its attribute's uuid, its `Organisation` when MISP.showorg is on, and other orgs' identity removed under
 * Plugin.Sightings_anonymise.
 */
export async function sightingsOfEvent(
  ctx: RequestContext, stores: Pick<Stores, 'sightings' | 'eventReads'>, event: MispEvent, attributeUuids: ReadonlyMap<number, string>,
): Promise<Map<number, SightingDetail[]>> {
  const out = new Map<number, SightingDetail[]>();
  const orgIds = await visibleOrgs(ctx, stores, event);
  const sightings = await stores.sightings.ofEvent(event.id, orgIds);
  if (sightings.length === 0) return out;
  const showOrg = ctx.settings.bool('MISP.showorg');
  const anonymise = ctx.settings.bool('Plugin.Sightings_anonymise');
  const orgs = showOrg ? await stores.eventReads.organisations([...new Set(sightings.map((s) => s.orgId))]) : new Map();
  for (const s of sightings) {
    const attributeUuid = attributeUuids.get(s.attributeId);
    if (attributeUuid === undefined) continue; // its attribute is not shown to this reader
    const hidden = anonymise && s.orgId !== ctx.actor.org.id;
    const org = orgs.get(s.orgId);
    const detail: SightingDetail = {
      ...s, attributeUuid,
      ...(org && !hidden ? { organisation: { id: org.id, uuid: org.uuid, name: org.name } } : {}),
      ...(hidden ? { orgHidden: true } : {}),
    };
    const list = out.get(s.attributeId);
    if (list) list.push(detail);
    else out.set(s.attributeId, [detail]);
  }
  return out;
}
