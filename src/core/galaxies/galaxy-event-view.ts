import type { RequestContext } from '../context.js';
import { clusterMeta, toMispCluster, toMispGalaxy, toMispRelation, GENERIC_MISP_ORGANISATION } from '../misp-format/galaxy-json.js';
import { toMispOrganisation } from '../misp-format/identity-json.js';
import type { TagLink } from '../model/event.js';
import type { Organisation } from '../model/organisation.js';
import type { Stores } from '../ports/stores.js';
import { clusterViewer } from './cluster-access.js';
import { loadClusterDetails } from './cluster-details.js';
import { type ClusterDetail, GALAXY_TAG_RE } from './galaxy-model.js';

/**
 * The `Galaxy` lists of events/view and of its attributes (Event::__attachGalaxies, spec §2.6): the clusters whose
 * `tag_name` is among the galaxy tags attached, grouped under their galaxy. Built in two steps so an event with many
 * attributes costs one lookup: `loadGalaxyClustersForTags` once with every tag name of the event, then
 * `galaxiesJsonFor` per event / attribute tag list.
 *
 * @example
 * const lookup = await loadGalaxyClustersForTags(ctx, stores, allTagLinks.map((l) => l.tag.name));
 * event.Galaxy = galaxiesJsonFor(lookup, eventTagLinks, 'event');
 * attribute.Galaxy = galaxiesJsonFor(lookup, attributeTagLinks, 'attribute');
 */

type Json = Record<string, unknown>;

export interface GalaxyClusterLookup {
  /** By lower-cased tag name. */
  readonly byTagName: ReadonlyMap<string, ClusterDetail>;
  readonly orgs: ReadonlyMap<number, Organisation>;
}

/** Tag::RE_GALAXY: MISP sets `is_galaxy` from the name; tags created elsewhere may lack the flag. */
const isGalaxyTag = (l: TagLink): boolean => l.tag.isGalaxy || GALAXY_TAG_RE.test(l.tag.name);

/** Clusters visible to the caller whose tag name is one of `tagNames` (case-insensitive), fully loaded. */
export type GalaxyLookupDeps = Pick<Stores, 'galaxies' | 'identity' | 'eventReads'>;

export async function loadGalaxyClustersForTags(ctx: RequestContext, stores: GalaxyLookupDeps, tagNames: readonly string[]): Promise<GalaxyClusterLookup> {
  const names = [...new Set(tagNames.filter((n) => GALAXY_TAG_RE.test(n)).map((n) => n.toLowerCase()))];
  if (names.length === 0) return { byTagName: new Map(), orgs: new Map() };
  const viewer = await clusterViewer(ctx, stores);
  const clusters = await stores.galaxies.findClusters({ tagNames: names }, viewer);
  const { details, orgs } = await loadClusterDetails(stores, clusters, viewer);
  const byTagName = new Map<string, ClusterDetail>();
  for (const d of details) if (!byTagName.has(d.cluster.tagName.toLowerCase())) byTagName.set(d.cluster.tagName.toLowerCase(), d);
  return { byTagName, orgs };
}

const orgJson = (orgs: ReadonlyMap<number, Organisation>, id: number): Json => {
  const o = orgs.get(id);
  return o ? toMispOrganisation(o) : GENERIC_MISP_ORGANISATION;
};

/** One cluster as it sits inside an event's or attribute's Galaxy (GalaxyCluster::postprocess). */
function clusterJson(lookup: GalaxyClusterLookup, d: ClusterDetail, link: TagLink, target: 'event' | 'attribute'): Json {
  return {
    ...toMispCluster(d.cluster),
    GalaxyClusterRelation: d.relations.map(toMispRelation),
    Org: orgJson(lookup.orgs, d.cluster.orgId),
    Orgc: orgJson(lookup.orgs, d.cluster.orgcId),
    ...(d.targeting.length ? { TargetingClusterRelation: d.targeting.map(toMispRelation) } : {}),
    meta: clusterMeta(d.elements),
    tag_id: String(link.tag.id),
    [target === 'event' ? 'event_tag_id' : 'attribute_tag_id']: String(link.linkId),
    local: link.local,
    relationship_type: link.relationshipType !== '' ? link.relationshipType : false,
  };
}

/** The `Galaxy` list for one tag list: galaxies in order of first use, each with its attached clusters. */
export function galaxiesJsonFor(lookup: GalaxyClusterLookup, links: readonly TagLink[], target: 'event' | 'attribute'): Json[] {
  const galaxies = new Map<number, Json & { GalaxyCluster: Json[] }>();
  for (const link of links) {
    if (!isGalaxyTag(link)) continue;
    const d = lookup.byTagName.get(link.tag.name.toLowerCase());
    if (!d || !d.galaxy) continue;
    let g = galaxies.get(d.galaxy.id);
    if (!g) {
      g = { ...toMispGalaxy(d.galaxy), GalaxyCluster: [] };
      galaxies.set(d.galaxy.id, g);
    }
    g.GalaxyCluster.push(clusterJson(lookup, d, link, target));
  }
  return [...galaxies.values()];
}

/**
 * Convenience for a single tag list: `galaxiesForTags(ctx, stores, event.tags, 'event')`. Prefer the two-step
 * form for an event and all its attributes.
 */
export async function galaxiesForTags(ctx: RequestContext, stores: GalaxyLookupDeps, links: readonly TagLink[], target: 'event' | 'attribute'): Promise<Json[]> {
  const lookup = await loadGalaxyClustersForTags(ctx, stores, links.filter(isGalaxyTag).map((l) => l.tag.name));
  return galaxiesJsonFor(lookup, links, target);
}
