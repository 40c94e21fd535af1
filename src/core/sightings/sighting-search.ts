import type { RequestContext } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import { isRecord } from '../misp-format/input-readers.js';
import type { Attribute, MispEvent, OrgSummary } from '../model/event.js';
import type { SightingDetail } from '../model/sighting.js';
import type { Many } from '../ports/event-read-store.js';
import type { SightingFilter } from '../ports/sighting-store.js';
import type { Stores } from '../ports/stores.js';
import { readOption, readRange } from '../search/rest-search-grammar.js';
import { fetchOrg } from '../sharing-groups/sharing-group-service.js';
import { decorateSightings, SIGHTING_PAGE, type SightedAttribute, visibleAttributes } from './sighting-read.js';

/**
 * sightings/restSearch[/{context}[/{id}]] (Sighting::restSearch, spec §3.6): sightings in a time window (default
 * the last 30 days; `from`+`to` or `last`), of one attribute or event (`context` + `id`/`uuid`), of orgs (`org_id`,
 * `!` excludes), by type and source; `includeAttribute`, `includeEvent` and `includeUuid` add context. Read in
 * keyset pages, every sighting checked against attribute visibility and the sightings policy.
 */

export const SIGHTING_FORMATS = ['json', 'csv'] as const;
export type SightingFormat = (typeof SIGHTING_FORMATS)[number];

export interface SightingSearch {
  readonly filter: SightingFilter;
  readonly format: SightingFormat;
  readonly includeAttribute: boolean;
  readonly includeEvent: boolean;
  readonly includeUuid: boolean;
}

/** One result: the sighting as the actor sees it, with the attribute and event it belongs to. */
export interface SightingSearchRow {
  readonly sighting: SightingDetail;
  readonly attribute: Attribute;
  readonly event: MispEvent;
  readonly eventOrgc: OrgSummary | undefined;
}

const DEFAULT_WINDOW = '30d';

const present = (v: unknown) => v !== undefined && v !== null && v !== '';
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

function readIds(raw: unknown): number[] {
  return list(raw).map((v) => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n)) throw badRequest(`Invalid ID \`${String(v)}\` provided.`);
    return n;
  });
}

async function readOrgs(stores: Stores, raw: unknown): Promise<Many<number>> {
  const include: number[] = [];
  const exclude: number[] = [];
  for (const v of list(raw)) {
    const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v : '';
    const negate = text.startsWith('!');
    const org = await fetchOrg(stores, negate ? text.slice(1) : text);
    // An unknown org matches nothing (MISP: org_id = -1), never everything.
    if (negate) { if (org) exclude.push(org.id); } else include.push(org ? org.id : -1);
  }
  return { ...(include.length ? { include } : {}), ...(exclude.length ? { exclude } : {}) };
}

/** The request's filters (body, then `context`/`id` from the path), with MISP's errors for bad ones. */
export async function readSightingSearch(ctx: RequestContext, stores: Stores, body: unknown, passed: readonly string[]): Promise<SightingSearch> {
  const b = isRecord(body) ? (isRecord(body.request) ? body.request : body) : {};
  const context = present(b.context) ? b.context : passed[0];
  const id = present(b.id) ? b.id : passed[1];
  if (present(context) && context !== 'attribute' && context !== 'event') throw badRequest(`Invalid context ${String(context)}.`);
  if (present(context) && !present(id) && !present(b.uuid)) throw badRequest('An ID or UUID must be provided if the context is set.');
  const format = (present(b.returnFormat) ? String(b.returnFormat) : 'json') as SightingFormat;
  if (!SIGHTING_FORMATS.includes(format)) throw notFound('Invalid output format.');

  const range = present(b.from) && present(b.to)
    ? readRange([b.from, b.to], ctx.now, 'from')
    : readRange(present(b.last) ? b.last : DEFAULT_WINDOW, ctx.now, 'last');
  let filter: SightingFilter = { ...(range?.from !== undefined ? { from: range.from } : {}), ...(range?.until !== undefined ? { until: range.until } : {}) };
  if (present(b.type)) filter = { ...filter, types: readIds(b.type) };
  if (present(b.source)) filter = { ...filter, sources: list(b.source).map(String) };
  if (present(b.org_id)) filter = { ...filter, orgIds: await readOrgs(stores, b.org_id) };
  if (present(context) && present(id)) {
    const ids = readIds(id);
    filter = { ...filter, ...(context === 'attribute' ? { attributeIds: ids } : { eventIds: ids }) };
  }
  if (present(context) && present(b.uuid)) {
    const uuids = list(b.uuid).map(String);
    if (context === 'attribute') filter = { ...filter, attributeUuids: uuids };
    else {
      const events = await Promise.all(uuids.map((uuid) => stores.eventWrites.findEvent({ uuid })));
      filter = { ...filter, eventIds: events.flatMap((e) => (e ? [e.id] : [])) };
    }
  }
  return {
    filter, format,
    includeAttribute: readOption(b.includeAttribute, 'includeAttribute'),
    includeEvent: readOption(b.includeEvent, 'includeEvent'),
    includeUuid: readOption(b.includeUuid, 'includeUuid'),
  };
}

/** The visible matching sightings, by id, one page at a time. */
export async function* searchSightings(ctx: RequestContext, stores: Stores, filter: SightingFilter): AsyncGenerator<SightingSearchRow[]> {
  for (let after = 0; ;) {
    const page = await stores.sightings.search(filter, after, SIGHTING_PAGE);
    if (page.length === 0) return;
    after = page[page.length - 1]!.id;
    const attributes: Map<number, SightedAttribute> = await visibleAttributes(ctx, stores, [...new Set(page.map((s) => s.attributeId))]);
    const details = await decorateSightings(ctx, stores, page, attributes);
    const orgcs = await stores.eventReads.organisations([...new Set([...attributes.values()].map((a) => a.event.orgcId))]);
    yield details.map((sighting) => {
      const { attribute, event } = attributes.get(sighting.attributeId)!;
      return { sighting, attribute, event, eventOrgc: orgcs.get(event.orgcId) };
    });
    if (page.length < SIGHTING_PAGE) return;
  }
}
