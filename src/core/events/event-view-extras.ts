import { carriesFile } from '../attachments/attachment-payload.js';
import { galaxiesJsonFor, loadGalaxyClustersForTags } from '../galaxies/galaxy-event-view.js';
import type { RequestContext } from '../context.js';
import type { AttributeDetail, EventDetail } from '../model/event.js';
import type { ProposalDetail } from '../model/proposal.js';
import type { Stores } from '../ports/stores.js';
import { withProposers } from '../proposals/proposal-read.js';
import { sightingsOfEvents } from '../sightings/sighting-view.js';
import { pushTo } from '../util/multimap.js';

/**
 * The parts of events/view that live beside the event graph (Event::fetchEvent, spec §2.2–§2.3, §2.7, §2.9):
 * proposals (new-attribute ones on the event, change/deletion ones on their attribute), sightings per attribute and
 * the files of attachment / malware-sample attributes as base64 `data`, and the `Galaxy` lists of cluster tags. A
 * handful more queries whatever the number and size of the events.
 */

export interface EventExtrasOptions {
  /** `metadata:1`: none of these. */
  readonly metadata?: boolean | undefined;
  /** `noShadowAttributes:1`. */
  readonly noShadowAttributes?: boolean | undefined;
  /** `noSightings:1`. */
  readonly noSightings?: boolean | undefined;
  /** `includeAttachments:0` leaves `data` out; REST reads include it by default (EventsController::view). */
  readonly includeAttachments?: boolean | undefined;
  /** `excludeGalaxy:1`: empty `Galaxy` lists (Event::__attachGalaxies; sync pulls ask for it, spec §6.8). */
  readonly excludeGalaxy?: boolean | undefined;
}

export type EventExtrasDeps = Pick<Stores, 'eventReads' | 'proposals' | 'sightings' | 'attachments' | 'galaxies' | 'identity'>;

/**
 * The extras of many events at once (a restSearch batch; events/view passes one): one statement per kind for all of
 * them, not one per event.
 */
export async function withEventExtras(
  ctx: RequestContext, stores: EventExtrasDeps, details: readonly EventDetail[], opts: EventExtrasOptions,
): Promise<EventDetail[]> {
  if (opts.metadata || details.length === 0) return [...details];
  const attributesOf = (d: EventDetail) => [...d.attributes, ...d.objects.flatMap((o) => o.attributes)];
  const all = details.flatMap(attributesOf);
  const tagNames = details.flatMap((d) => [...d.tags, ...attributesOf(d).flatMap((a) => a.tags)]).map((l) => l.tag.name);
  const [proposals, sightings, files, galaxyLookup] = await Promise.all([
    opts.noShadowAttributes ? [] : stores.proposals.liveOfEvents(details.map((d) => d.event.id)).then((ps) => withProposers(stores, ps)),
    opts.noSightings ? new Map() : sightingsOfEvents(ctx, stores, details.map((d) => ({
      event: d.event, attributeUuids: new Map(attributesOf(d).map((a) => [a.id, a.uuid])),
    }))),
    opts.includeAttachments === false ? new Map<number, Uint8Array>()
      : stores.attachments.load(all.filter((a) => carriesFile(a.type)).map((a) => a.id)),
    // `Galaxy` on the events and their attributes: the clusters behind their misp-galaxy tags (Event::__attachGalaxies).
    opts.excludeGalaxy ? { byTagName: new Map(), orgs: new Map() } : loadGalaxyClustersForTags(ctx, stores, tagNames),
  ]);
  // new-attribute proposals (old id 0) belong to their event, the others to the attribute they change or delete
  const onEvent = new Map<number, ProposalDetail[]>();
  const byAttribute = new Map<number, ProposalDetail[]>();
  for (const p of proposals) pushTo(p.oldId === 0 ? onEvent : byAttribute, p.oldId === 0 ? p.eventId : p.oldId, p);
  // a new object only for attributes that gain something: a 50,000-attribute event is mostly plain rows
  const extend = (a: AttributeDetail): AttributeDetail => {
    const proposed = byAttribute.get(a.id);
    const seen = sightings.get(a.id);
    const file = files.get(a.id);
    const galaxies = galaxyLookup.byTagName.size && a.tags.length ? galaxiesJsonFor(galaxyLookup, a.tags, 'attribute') : [];
    if (!proposed && !seen && !file && galaxies.length === 0) return a;
    return {
      ...a, proposals: proposed ?? [],
      ...(seen ? { sightings: seen } : {}),
      ...(file ? { data: Buffer.from(file).toString('base64') } : {}),
      ...(galaxies.length ? { galaxies } : {}),
    };
  };
  return details.map((detail) => ({
    ...detail, proposals: onEvent.get(detail.event.id) ?? [],
    ...(galaxyLookup.byTagName.size ? { galaxies: galaxiesJsonFor(galaxyLookup, detail.tags, 'event') } : {}),
    attributes: detail.attributes.map(extend),
    objects: detail.objects.map((o) => ({ ...o, attributes: o.attributes.map(extend) })),
  }));
}

/** attributes/view's `data` (AttributesController::view fetches with `withAttachments` over REST). */
export async function withAttributeFile(stores: Pick<Stores, 'attachments'>, a: AttributeDetail): Promise<AttributeDetail> {
  if (!carriesFile(a.type)) return a;
  const file = (await stores.attachments.load([a.id])).get(a.id);
  return file ? { ...a, data: Buffer.from(file).toString('base64') } : a;
}
