import type { RequestContext } from '../context.js';
import type { MispEvent } from '../model/event.js';
import type { Sighting } from '../model/sighting.js';
import type { Stores } from '../ports/stores.js';

/** Plugin.Sightings_policy values (spec §4.3, Sighting::createConditions). */
const POLICY = { EventOwner: 0, Reporter: 1, Everyone: 2, HostOrg: 3 } as const;

/** Which sightings of a visible event the actor may see; answers are cached per event for one request. */
export interface SightingAccess {
  /** The orgs whose sightings of `event` the actor sees: `undefined` every org, `[]` none. */
  visibleOrgs(event: MispEvent): Promise<readonly number[] | undefined>;
  allows(event: MispEvent, sighting: Pick<Sighting, 'orgId'>): Promise<boolean>;
}

/**
 * Sighting::createConditions / filterSightingsByAttributeACL: site admins and the event's owner org see every
 * sighting; otherwise policy 0 shows only the actor's own org's, 1 all once the org reported one itself, 2 all,
 * 3 the actor's org's and the host org's. The event itself must already be visible to the actor.
 */
export function sightingAccess(ctx: RequestContext, stores: Pick<Stores, 'sightings'>): SightingAccess {
  const { actor, settings } = ctx;
  const cache = new Map<number, Promise<readonly number[] | undefined>>();
  const compute = async (event: MispEvent): Promise<readonly number[] | undefined> => {
    if (actor.isSiteAdmin || event.orgId === actor.org.id) return undefined;
    switch (settings.num('Plugin.Sightings_policy')) {
      case POLICY.Reporter: return (await stores.sightings.hasReported(event.id, actor.org.id)) ? undefined : [];
      case POLICY.Everyone: return undefined;
      case POLICY.HostOrg: return [actor.org.id, settings.num('MISP.host_org_id')];
      default: return [actor.org.id];
    }
  };
  const visibleOrgs = (event: MispEvent) => {
    let v = cache.get(event.id);
    if (!v) cache.set(event.id, (v = compute(event)));
    return v;
  };
  return {
    visibleOrgs,
    async allows(event, sighting) {
      const orgs = await visibleOrgs(event);
      return orgs === undefined || orgs.includes(sighting.orgId);
    },
  };
}
