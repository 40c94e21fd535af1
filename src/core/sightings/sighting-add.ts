import { ACTIVE_ONLY } from '../acl/event-visibility.js';
import type { RequestContext } from '../context.js';
import { viewerFor } from '../events/event-view.js';
import { asList, isRecord, readText } from '../misp-format/input-readers.js';
import { readInt } from '../misp-format/scalars.js';
import type { Attribute } from '../model/event.js';
import { type Sighting, SightingType } from '../model/sighting.js';
import type { Storage } from '../ports/stores.js';
import { newUuid, parseRef } from '../util/uuid.js';

/** sightings/add's outcome: the last sighting saved, or MISP's reason (answered with HTTP 200, spec §3.6). */
export type SightingAddResult = { readonly ok: true; readonly sighting: Sighting } | { readonly ok: false; readonly reason: string };

/** Attributes fetched per value; a value seen in more attributes than this is sighted on the newest ones only. */
const MAX_ATTRIBUTES_PER_VALUE = 10_000;

/** `date` + `time` (`Y-m-d` and `H:i:s`, UTC), else `timestamp`, else now (SightingsController::add). */
function readTimestamp(b: Record<string, unknown>, now: number): number | undefined {
  const date = readText(b.date);
  const time = readText(b.time);
  if (date && time) {
    const ms = Date.parse(`${date}T${time}Z`);
    return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
  }
  if (b.timestamp === undefined || b.timestamp === null || b.timestamp === '') return now;
  return readInt(b.timestamp);
}

/** Visible live attributes whose value1 or value2 equals one of `values` (MISP compares case-insensitively). */
async function attributesWithValues(ctx: RequestContext, storage: Storage, values: readonly string[]): Promise<Attribute[]> {
  const viewer = await viewerFor(ctx, storage);
  const found = new Map<number, Attribute>();
  for (const value of values) {
    const lower = value.toLowerCase();
    const hits = await storage.eventReads.listAttributes(viewer, { value }, { limit: MAX_ATTRIBUTES_PER_VALUE, page: 1 });
    for (const a of hits) if (a.value1.toLowerCase() === lower || a.value2.toLowerCase() === lower) found.set(a.id, a);
  }
  return [...found.values()];
}

/**
 * sightings/add[/{attribute id|uuid}] (SightingsController::add, Sighting::saveSightings; spec §3.6): sights one
 * attribute the actor may see, named in the path or by `uuid`/`id`, or every visible attribute carrying one of
 * `value`/`values`. Type 2 (expiration) replaces the org's previous expiration of the attribute.
 */
export async function addSightings(ctx: RequestContext, storage: Storage, rawId: string | undefined, body: unknown): Promise<SightingAddResult> {
  let b = isRecord(body) ? body : {};
  if (isRecord(b.Sighting)) b = b.Sighting;
  const type = b.type === undefined || b.type === null ? 0 : readInt(b.type);
  if (type === undefined || ![0, 1, 2].includes(type)) {
    return { ok: false, reason: 'Invalid type, please change it before you POST 1000000 sightings.' };
  }
  if (isRecord(b.filters) || (Array.isArray(b.filters) && b.filters.length > 0)) {
    return { ok: false, reason: 'Sighting filters are not supported by this server; send the attribute id, uuid or values.' };
  }
  const timestamp = readTimestamp(b, ctx.now);
  if (timestamp === undefined) return { ok: false, reason: 'Invalid timestamp.' };
  const id = rawId ?? readText(b.uuid) ?? readText(b.id);
  const values = (b.value !== undefined ? [b.value] : asList(b.values)).map(readText).filter((v): v is string => v !== undefined && v !== '');
  let attributes: Attribute[];
  if (id !== undefined && id !== '') {
    const ref = parseRef(id);
    const hit = ref && await storage.eventReads.findAttribute(await viewerFor(ctx, storage), ref, ACTIVE_ONLY);
    attributes = hit ? [hit.attribute] : [];
  } else {
    if (values.length === 0) return { ok: false, reason: 'No valid attributes found.' };
    attributes = await attributesWithValues(ctx, storage, values);
  }
  if (attributes.length === 0) return { ok: false, reason: 'No valid attributes found that match the criteria.' };
  const source = (readText(b.source) ?? '').trim();
  const saved = await storage.transaction(async (tx) => {
    if (type === SightingType.Expiration) await tx.sightings.deleteOrgSightingsOfType(ctx.actor.org.id, type, attributes.map((a) => a.id));
    return tx.sightings.insert(attributes.map((a) => ({
      uuid: newUuid(), attributeId: a.id, eventId: a.eventId, orgId: ctx.actor.org.id, dateSighting: timestamp, source, type,
    })));
  });
  return { ok: true, sighting: saved[saved.length - 1]! };
}
