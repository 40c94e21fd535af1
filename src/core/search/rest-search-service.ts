import type { EventViewer } from '../acl/event-visibility.js';
import { carriesFile } from '../attachments/attachment-payload.js';
import { withDecayScores } from '../decaying/decay-search.js';
import type { RequestContext } from '../context.js';
import { type TagViewOptions, viewerFor, visibleTags } from '../events/event-view.js';
import { withFeedCorrelations } from '../feeds/feed-correlations.js';
import { buffered, type ExportContext, type ExportSource, type AttributeItem, type ObjectItem } from '../export/export-items.js';
import type { Chunk } from '../util/utf8-join.js';
import { exporterFor } from '../export/exporters.js';
import { loadGalaxyMatrix } from '../galaxies/attack-matrix.js';
import type { RelatedAttributeLink } from '../model/correlation.js';
import { type Attribute, type AttributeDetail, type EventDetail, type MispEvent, type ObjectDetail, type OrgSummary, type TagLink, withTags } from '../model/event.js';
import type { SightingDetail } from '../model/sighting.js';
import { sightingsOfEvents } from '../sightings/sighting-view.js';
import type { AttributeSearchRow, ObjectSearchRow } from '../ports/search-store.js';
import type { Stores } from '../ports/stores.js';
import { loadEventDetails } from './event-batch.js';
import type { RestSearchRequest } from './rest-search-request.js';
import { resolveSearchQuery } from './rest-search-resolve.js';
import type { SearchQuery } from './search-query.js';

/**
 * restSearch (spec §3.14, §8.1): resolves the request into a `SearchQuery`, reads the first page of results and
 * counts the matches for `X-Result-Count` (no count query when that first page already holds them all; with
 * `limit`, attribute and object counts stop at `page × limit`), then streams the results page by page through the
 * format's exporter. Everything that can fail with a MISP error happens before the body starts, so a client never
 * gets a 200 followed by a broken stream.
 */

export interface RestSearchEnv {
  /** The enabled warninglists, for `enforceWarninglist`. */
  readonly warninglists?: () => Promise<{ isListed(type: string, value: string): boolean }>;
  /**
   * `includeCorrelations` in attribute scope: the RelatedAttribute lists of a page of attributes, by attribute id,
   * each link with the related attribute and its event (correlation-view.ts `relatedAttributesOf`).
   */
  readonly relatedAttributes?: (viewer: EventViewer, attributes: readonly Attribute[]) => Promise<ReadonlyMap<number, readonly RelatedAttributeLink[]>>;
}

export interface RestSearchResponse {
  readonly contentType: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: AsyncIterable<Chunk>;
}

/**
 * Rows per database page: events are loaded with their children, so fewer of them per page. Attribute pages stay
 * small: a page's rows live through a scavenge or two while they are rendered, so larger pages filled the heap with
 * promoted garbage (a 1M-attribute export grew the process by 100 MB more at 5,000 rows, ADR 0008); keyset pages
 * cost little each.
 */
const EVENT_PAGE = 100;
const ATTRIBUTE_PAGE = 500;
const OBJECT_PAGE = 1000;
/** A `limit` up to this is read as one database page: the page is then the whole window, and nothing is counted. */
const LARGEST_WINDOW_PAGE = 10_000;
/**
 * Events whose attribute counts add up to this are loaded together (`Event::clusterEventIds`), a few statements per
 * batch: small for the same reason. 1M-attribute events JSON export on SQLite (events of ~100 attributes): 500 took
 * 21.8 s, 1,000 19.8 s with the same memory growth (75 MB), 2,000 17.7 s but 94 MB, too near the 100 MB bound.
 */
const ATTRIBUTES_PER_BATCH = 1000;

interface Plan {
  readonly ctx: RequestContext;
  readonly stores: Stores;
  readonly viewer: EventViewer;
  readonly query: SearchQuery;
  readonly request: RestSearchRequest;
  readonly tagView: TagViewOptions;
  readonly listed?: ((type: string, value: string) => boolean) | undefined;
  readonly blockedTagIds: ReadonlySet<number>;
  readonly env: RestSearchEnv;
}

/** Splits a page of events into batches of at most ATTRIBUTES_PER_BATCH attributes (a larger event goes alone). */
function batches(events: readonly MispEvent[]): MispEvent[][] {
  const out: MispEvent[][] = [];
  let current: MispEvent[] = [];
  let size = 0;
  for (const e of events) {
    if (current.length && size + e.attributeCount > ATTRIBUTES_PER_BATCH) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(e);
    size += e.attributeCount;
  }
  if (current.length) out.push(current);
  return out;
}

async function* eventStream(p: Plan, rows: AsyncIterable<readonly MispEvent[]>): AsyncGenerator<readonly EventDetail[]> {
  const { output } = p.request;
  for await (const page of rows) {
    for (const batch of batches(page)) {
      const details = await loadEventDetails(p.ctx, p.stores, p.viewer, batch, {
        ...p.tagView, deleted: p.query.deleted, metadata: output.metadata, sgReferenceOnly: output.sgReferenceOnly,
        toIds: p.query.attribute.toIds, blockedTagIds: p.blockedTagIds, listed: p.listed, includeAttachments: output.withAttachments,
        includeEventCorrelations: output.includeEventCorrelations, includeGranularCorrelations: output.includeGranularCorrelations,
      });
      yield output.includeFeedCorrelations && !output.metadata
        ? await Promise.all(details.map((d) => withFeedCorrelations(p.ctx, p.stores, d))) : details;
    }
  }
}

/** Which event data an attribute-scope format reads beyond the attribute itself. */
function needs(p: Plan): { eventTags: boolean; orgs: boolean } {
  const { format, output } = p.request;
  return {
    eventTags: output.includeEventTags || output.includeContext || format.name === 'csv',
    orgs: output.includeContext || ['csv', 'bro', 'zeek'].includes(format.name),
  };
}

/** `includeSightings`: the sightings of a page's attributes as the reader may see them. */
async function sightingsOf(p: Plan, page: readonly AttributeSearchRow[]): Promise<Map<number, SightingDetail[]>> {
  const byEvent = new Map<number, { event: MispEvent; attributeUuids: Map<number, string> }>();
  for (const r of page) {
    const entry = byEvent.get(r.event.id) ?? { event: r.event, attributeUuids: new Map<number, string>() };
    entry.attributeUuids.set(r.attribute.id, r.attribute.uuid);
    byEvent.set(r.event.id, entry);
  }
  return sightingsOfEvents(p.ctx, p.stores, [...byEvent.values()]);
}

/**
 * Attribute-scope results with their tags (one query per page), event tags and orgs when the format needs them,
 * files with `withAttachments`, sightings with `includeSightings` and, through `RestSearchEnv.relatedAttributes`,
 * correlations with `includeCorrelations`.
 */
async function* attributeStream(p: Plan, rows: AsyncIterable<readonly AttributeSearchRow[]>): AsyncGenerator<readonly AttributeItem[]> {
  const need = needs(p);
  const { output } = p.request;
  for await (const page of rows) {
    const ids = page.map((r) => r.attribute.id);
    const eventIds = [...new Set(page.map((r) => r.event.id))];
    const [tags, eventTags, orgs, files, sightings, related] = await Promise.all([
      p.stores.tags.attributeTags(ids),
      need.eventTags ? p.stores.tags.eventTags(eventIds) : new Map<number, TagLink[]>(),
      need.orgs ? p.stores.eventReads.organisations(page.flatMap((r) => [r.event.orgId, r.event.orgcId])) : new Map<number, OrgSummary>(),
      output.withAttachments
        ? p.stores.attachments.load(page.filter((r) => carriesFile(r.attribute.type)).map((r) => r.attribute.id))
        : new Map<number, Uint8Array>(),
      output.includeSightings ? sightingsOf(p, page) : new Map<number, SightingDetail[]>(),
      output.includeCorrelations && p.env.relatedAttributes
        ? p.env.relatedAttributes(p.viewer, page.map((r) => r.attribute)) : new Map<number, readonly RelatedAttributeLink[]>(),
    ]);
    const items: AttributeItem[] = [];
    for (const { attribute, event, object } of page) {
      const value = attribute.value2 === '' ? attribute.value1 : `${attribute.value1}|${attribute.value2}`;
      if (p.listed?.(attribute.type, value)) continue;
      const file = files.get(attribute.id);
      const seen = sightings.get(attribute.id);
      const links = related.get(attribute.id);
      const detail = withTags(attribute, visibleTags(tags.get(attribute.id), p.tagView));
      items.push({
        attribute: file || seen || links ? {
          ...detail,
          ...(file ? { data: Buffer.from(file).toString('base64') } : {}),
          ...(seen ? { sightings: seen } : {}),
          ...(links ? { relatedAttributes: links } : {}),
        } : detail,
        event, object, eventTags: visibleTags(eventTags.get(event.id), p.tagView), org: orgs.get(event.orgId), orgc: orgs.get(event.orgcId),
      });
    }
    yield items;
  }
}

async function* objectStream(p: Plan, rows: AsyncIterable<readonly ObjectSearchRow[]>): AsyncGenerator<readonly ObjectItem[]> {
  for await (const page of rows) {
    if (p.request.output.metadata) {
      yield page.map(({ object, event }) => ({ object: { ...object, attributes: [], references: [] }, event }));
      continue;
    }
    const scope = { eventIds: [...new Set(page.map((r) => r.event.id))], objectIds: page.map((r) => r.object.id) };
    const children = await p.stores.eventReads.loadChildren(p.viewer, scope, p.query.deleted);
    const tags = await p.stores.tags.attributeTags(children.attributes.map((a) => a.id));
    const byObject = new Map<number, AttributeDetail[]>();
    for (const a of children.attributes) {
      const list = byObject.get(a.objectId) ?? [];
      list.push(withTags(a, visibleTags(tags.get(a.id), p.tagView)));
      byObject.set(a.objectId, list);
    }
    yield page.map(({ object, event }) => {
      const detail: ObjectDetail = { ...object, attributes: byObject.get(object.id) ?? [], references: [] };
      return { object: detail, event };
    });
  }
}

/** Whether the attribute filter includes exact (non-wildcard) values, which bound the result to their matches. */
const filtersByExactValues = (q: SearchQuery): boolean => {
  const v = q.attribute.value;
  return v !== undefined && v.or.length > 0 && v.or.every((t) => !t.like);
};

/** The first page of `pages` (undefined when there is none) and all of them again, the first one replayed. */
async function peek<T>(pages: AsyncIterable<T>): Promise<{ first: T | undefined; all: AsyncIterable<T> }> {
  const it = pages[Symbol.asyncIterator]();
  const head = await it.next();
  async function* all(): AsyncGenerator<T> {
    if (head.done) return;
    yield head.value;
    for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
  }
  return { first: head.done ? undefined : head.value, all: all() };
}

/** Rows the window returns out of `total` matches. */
function returned(total: number, r: RestSearchRequest): number {
  const { limit, page } = r.window;
  if (!limit) return total;
  return Math.max(0, Math.min(limit, total - ((page ?? 1) - 1) * limit));
}

/** Counting stops here when only the window's rows matter: `page × limit` rows tell how many the page returns. */
const cap = (r: RestSearchRequest): number | undefined => (r.window.limit ? (r.window.page ?? 1) * r.window.limit : undefined);

/**
 * The results as the exporter reads them and the `X-Result-Count` (spec §8.1): every matching event in event scope,
 * the rows returned in attribute and object scope. When the first page is shorter than a database page (and than
 * the window) it holds every match, so nothing is counted.
 */
async function sourceAndCount(p: Plan): Promise<{ source: ExportSource; count: number }> {
  const { request: r, stores, viewer, query } = p;
  // A first page shorter than a database page and than the window is all the window returns.
  const short = (n: number, pageSize: number) => n < pageSize && (!r.window.limit || n < r.window.limit);
  // Attributes and objects: a window of up to LARGEST_WINDOW_PAGE rows is read as one page, which is then all the
  // window returns — its length is the count, whatever the page number.
  const { limit } = r.window;
  const whole = limit !== undefined && limit <= LARGEST_WINDOW_PAGE;
  const pageOf = (size: number) => (whole ? limit : size);
  if (r.scope === 'events') {
    const { first, all } = await peek(stores.search.events(viewer, query, r.window, EVENT_PAGE));
    const n = first?.length ?? 0;
    // Events count every match, not the window: a short first page tells only when it is the first page.
    const count = short(n, EVENT_PAGE) && (r.window.page ?? 1) === 1 ? n : await stores.search.countEvents(viewer, query);
    return { source: { scope: 'events', pages: eventStream(p, all) }, count };
  }
  if (r.scope === 'attributes') {
    let counted: Promise<number> | undefined;
    const total = () => (counted ??= stores.search.countAttributes(viewer, query, cap(r)));
    // Exact values (a list of indicators) match few rows each: one large page saves re-running the value lookups for
    // a second page and for the count.
    const size = filtersByExactValues(query) ? LARGEST_WINDOW_PAGE : ATTRIBUTE_PAGE;
    const { first, all } = await peek(stores.search.attributes(viewer, query, r.window, pageOf(size), whole ? undefined : total));
    const n = first?.length ?? 0;
    const count = whole || short(n, size) ? n : returned(await total(), r);
    return { source: { scope: 'attributes', pages: attributeStream(p, all) }, count };
  }
  const { first, all } = await peek(stores.search.objects(viewer, query, r.window, pageOf(OBJECT_PAGE)));
  const n = first?.length ?? 0;
  const count = whole || short(n, OBJECT_PAGE) ? n : returned(await stores.search.countObjects(viewer, query, cap(r)), r);
  return { source: { scope: 'objects', pages: objectStream(p, all) }, count };
}

/** `returnFormat: count`: the rows the window returns, counted without reading them. */
async function countOnly(p: Plan): Promise<number> {
  const { request: r, stores, viewer, query } = p;
  const total = r.scope === 'events' ? await stores.search.countEvents(viewer, query)
    : r.scope === 'attributes' ? await stores.search.countAttributes(viewer, query, cap(r)) : await stores.search.countObjects(viewer, query, cap(r));
  return returned(total, r);
}

async function instanceName(ctx: RequestContext, stores: Stores): Promise<string> {
  const hostOrg = ctx.settings.num('MISP.host_org_id');
  const org = hostOrg > 0 ? await stores.identity.findOrganisation({ id: hostOrg }) : undefined;
  return org ? `${org.name} MISP` : 'MISP';
}

function filename(r: RestSearchRequest): string | undefined {
  if (r.scope !== 'events') return undefined;
  const ids = r.filters.event.ids?.or ?? [];
  const uuids = r.filters.event.uuids?.or ?? [];
  const one = ids.length + uuids.length === 1 ? String(ids[0] ?? uuids[0]) : 'list';
  return `misp.event.${one}.${r.format.extension}`;
}

export async function restSearch(ctx: RequestContext, stores: Stores, request: RestSearchRequest, env: RestSearchEnv = {}): Promise<RestSearchResponse> {
  const viewer = await viewerFor(ctx, stores);
  const query = await resolveSearchQuery(stores, request);
  const { actor } = ctx;
  const tagView: TagViewOptions = {
    includeAllTags: request.output.includeAllTags,
    // Event::fetchEvent hides local tags from sync users unless asked otherwise.
    excludeLocalTags: request.output.excludeLocalTags || (actor.role.perms.perm_sync && !actor.isSiteAdmin),
  };
  const listed = request.output.enforceWarninglist && env.warninglists ? await env.warninglists() : undefined;
  const plan: Plan = {
    ctx, stores, viewer, query, request, tagView, env, listed: listed && ((t, v) => listed.isListed(t, v)),
    blockedTagIds: new Set(request.scope === 'events' ? query.tags?.not ?? [] : []),
  };
  const name = filename(request);
  const headers = (count: number): Record<string, string> => ({
    'X-Result-Count': String(count), 'X-Export-Module-Used': request.format.name, 'X-Response-Format': request.format.responseType,
    ...(name ? { 'Content-Disposition': `attachment; filename="${name}"` } : {}),
  });
  if (request.format.name === 'count') {
    const n = await countOnly(plan);
    return { contentType: request.format.contentType, headers: headers(n), body: (async function* count() { yield String(n); })() };
  }
  const exporter = exporterFor(request.format.name)!;
  const exportCtx: ExportContext = {
    output: request.output, baseUrl: ctx.baseUrl, now: ctx.now,
    nidsSid: actor.user.nidsSid || ctx.settings.num('MISP.nids_sid'),
    instanceName: ['bro', 'zeek'].includes(request.format.name) ? await instanceName(ctx, stores) : 'MISP',
    setting: (n) => ctx.settings.get(n),
    ...(request.format.name === 'attack' ? { attackMatrix: await loadGalaxyMatrix(ctx, stores, request.output.attackGalaxy) } : {}),
  };
  const { source, count } = await sourceAndCount(plan);
  const results = request.output.decay ? await withDecayScores(ctx, stores, source, request.output.decay) : source;
  return { contentType: request.format.contentType, headers: headers(count), body: buffered(exporter(results, exportCtx)) };
}
