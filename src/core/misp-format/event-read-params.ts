import { ACTIVE_AND_DELETED, ACTIVE_ONLY, type DeletedStates } from '../acl/event-visibility.js';
import { EVENT_SORT_FIELDS, type EventIndexFilter, type EventIndexPage, type EventSortField, type Many } from '../ports/event-read-store.js';
import { isUuid } from '../util/uuid.js';
import { filterId, NO_ROW, readBool, readInt } from './scalars.js';

/**
 * Readers for the parameters of the event read endpoints (spec §3.1–§3.2), as MISP's controllers read them:
 * named URL parameters and JSON bodies alike, PHP's loose scalars, `|`-separated lists and `!` negation.
 */

type Params = Readonly<Record<string, unknown>>;

/**
 * events/view `deleted` (EventsController::view): absent/0 active only; 1 (or true) both; a list as given
 * (`deleted[]:0/deleted[]:1`, `[0, 1]`, "only" meaning 1); any other scalar only the soft-deleted ones.
 */
export function readDeletedParam(raw: unknown): DeletedStates {
  if (raw === undefined || raw === null) return ACTIVE_ONLY;
  if (Array.isArray(raw)) {
    const states = new Set<0 | 1>();
    for (const v of raw) states.add(v === 'only' || readInt(v) === 1 || v === true ? 1 : 0);
    return [...states].sort();
  }
  const flag = readBool(raw);
  if (flag === true) return ACTIVE_AND_DELETED;
  if (flag === false) return ACTIVE_ONLY;
  return [1];
}

/** Splits a filter value into pieces: a JSON list, or a string with `|` between alternatives. */
function pieces(v: unknown): string[] {
  const list = Array.isArray(v) ? v : typeof v === 'string' ? v.split('|') : typeof v === 'number' ? [String(v)] : [];
  return list.map((p) => (typeof p === 'number' ? String(p) : typeof p === 'string' ? p.trim() : '')).filter((p) => p !== '');
}

/** `!x` goes to `exclude`, anything else to `include`; `map` may reject a piece (undefined). */
export function readMany<T>(v: unknown, map: (piece: string) => T | undefined): Many<T> | undefined {
  const include: T[] = [];
  const exclude: T[] = [];
  for (const p of pieces(v)) {
    const negated = p.startsWith('!');
    const value = map(negated ? p.slice(1) : p);
    if (value !== undefined) (negated ? exclude : include).push(value);
  }
  if (include.length === 0 && exclude.length === 0) return undefined;
  return { ...(include.length ? { include } : {}), ...(exclude.length ? { exclude } : {}) };
}

const UNITS: Record<string, number> = { d: 86_400, h: 3_600, m: 60, s: 1 };

/**
 * `Event::resolveTimeDelta`: a Unix timestamp, a relative `7d`/`12h`/`30m`/`10s` (now − N), or a date text.
 */
export function readTimePoint(v: unknown, now: number): number | undefined {
  const n = readInt(v);
  if (n !== undefined) return n;
  if (typeof v !== 'string') return undefined;
  const rel = /^(\d+)([dhms])$/i.exec(v.trim());
  if (rel) return now - Number(rel[1]) * UNITS[rel[2]!.toLowerCase()]!;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/** A single lower bound, or a `[from, until]` pair (PyMISP sends a tuple for timestamp ranges). */
function readTimeRange(v: unknown, now: number): { from?: number; until?: number } | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (Array.isArray(v) && v.length >= 2) {
    const from = readTimePoint(v[0], now);
    const until = readTimePoint(v[1], now);
    return { ...(from !== undefined ? { from } : {}), ...(until !== undefined ? { until } : {}) };
  }
  const from = readTimePoint(v, now);
  return from === undefined ? undefined : { from };
}

/** Event dates compare as `YYYY-MM-DD`; PyMISP's `date_from` arrives as a Unix timestamp. */
function readDate(v: unknown): string | undefined {
  const n = readInt(v);
  if (n !== undefined && n > 99_999_999) return new Date(n * 1000).toISOString().slice(0, 10);
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v.trim()) ? v.trim().slice(0, 10) : undefined;
}

const intPiece = (p: string): number | undefined => {
  const n = readInt(p);
  return n === undefined ? undefined : filterId(n);
};

/** What the events/index request asks for before the service resolves org and tag names (spec §3.1). */
export interface EventIndexParams {
  readonly filter: EventIndexFilter;
  /** `org`: ids, names or uuids of the creator org. */
  readonly orgs?: Many<string>;
  /** `tag`/`tags`: names or ids; one `a&b` piece means all of them. */
  readonly tags?: Many<string> & { readonly allOf?: boolean };
  readonly email?: string;
  /** `hasproposal`: true/false filters, undefined (or 2) does not. */
  readonly hasProposal?: boolean;
  readonly minimal: boolean;
  readonly page: EventIndexPage;
}

/** The filters MISP's events/index knows (EventsController::index `$overrideAbleParams`). */
const FILTERS = [
  'all', 'attribute', 'published', 'eventid', 'datefrom', 'dateuntil', 'org', 'eventinfo', 'tag', 'tags', 'distribution',
  'sharinggroup', 'analysis', 'threatlevel', 'email', 'hasproposal', 'timestamp', 'publishtimestamp', 'publish_timestamp',
  'minimal', 'value',
];

/**
 * Collects filters the way `EventsController::index` does: named parameters `search<name>:`, then body keys
 * `<name>` or `search<name>` (case-insensitive), plus paging `limit`, `page`, `sort`, `direction`.
 */
export function collectIndexParams(named: Params, body: unknown): { filters: Map<string, unknown>; paging: Map<string, unknown> } {
  const filters = new Map<string, unknown>();
  const paging = new Map<string, unknown>();
  const take = (k: string, v: unknown, fromBody: boolean) => {
    const key = k.toLowerCase();
    if (key.startsWith('search') && FILTERS.includes(key.slice(6))) filters.set(key.slice(6), v);
    else if (fromBody && FILTERS.includes(key)) filters.set(key, v);
    else if (['limit', 'page', 'sort', 'direction', 'minimal'].includes(key)) (key === 'minimal' ? filters : paging).set(key, v);
  };
  for (const [k, v] of Object.entries(named)) take(k, v, false);
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    for (const [k, v] of Object.entries(body as Params)) if (v !== null && v !== undefined) take(k, v, true);
  }
  return { filters, paging };
}

/** Parses events/index input (named parameters and body) into filters and paging. `now` resolves relative times. */
export function readEventIndexParams(named: Params, body: unknown, now: number): EventIndexParams {
  const { filters: f, paging: p } = collectIndexParams(named, body);
  const filter: Record<string, unknown> = {};
  const eventIds = pieces(f.get('eventid'));
  if (eventIds.length) {
    const ids = readMany(eventIds, (x) => (isUuid(x) ? undefined : filterId(readInt(x) ?? NO_ROW)));
    const uuids = readMany(eventIds, (x) => (isUuid(x) ? x.toLowerCase() : undefined));
    if (ids) filter.ids = ids;
    if (uuids) filter.uuids = uuids;
  }
  const rawPublished = f.get('published');
  const published = Array.isArray(rawPublished) && rawPublished.length === 1 ? rawPublished[0] : rawPublished;
  const bothPublished = readInt(published) === 2 || (Array.isArray(published) && published.length > 1);
  if (published !== undefined && published !== '' && !bothPublished) filter.published = readBool(published) ?? false;
  const info = readMany(f.get('eventinfo'), (x) => x);
  if (info) filter.info = info;
  const dateFrom = readDate(f.get('datefrom'));
  const dateUntil = readDate(f.get('dateuntil'));
  if (dateFrom) filter.dateFrom = dateFrom;
  if (dateUntil) filter.dateUntil = dateUntil;
  const timestamp = readTimeRange(f.get('timestamp'), now);
  const publishTimestamp = readTimeRange(f.get('publish_timestamp') ?? f.get('publishtimestamp'), now);
  if (timestamp) filter.timestamp = timestamp;
  if (publishTimestamp) filter.publishTimestamp = publishTimestamp;
  for (const [param, key] of [['distribution', 'distribution'], ['analysis', 'analysis'], ['threatlevel', 'threatLevel'], ['sharinggroup', 'sharingGroupIds']] as const) {
    const m = readMany(f.get(param), intPiece);
    if (m) filter[key] = m;
  }
  // `attribute` is a substring search with negation, `value` an exact match; both must hold when both are sent.
  const attribute = readMany(f.get('attribute'), (x) => `%${x.toLowerCase()}%`);
  const values = pieces(f.get('value'));
  const attributeValues = [...(attribute ? [attribute] : []), ...(values.length ? [{ include: values }] : [])];
  if (attributeValues.length) filter.attributeValues = attributeValues;
  const minimal = readBool(f.get('minimal')) === true;
  if (minimal) filter.hasAttributes = true;
  const rawTags = f.get('tags') ?? f.get('tag');
  const tagPieces = pieces(rawTags);
  const allOf = tagPieces.length === 1 && tagPieces[0]!.includes('&');
  const tags = readMany(allOf ? tagPieces[0]!.split('&') : tagPieces, (x) => x);
  const orgs = readMany(f.get('org'), (x) => x);
  const hasProposal = readInt(f.get('hasproposal'));
  const email = typeof f.get('email') === 'string' ? (f.get('email') as string).trim() : '';
  return {
    filter: filter as EventIndexFilter,
    ...(orgs ? { orgs } : {}),
    ...(tags ? { tags: { ...tags, allOf } } : {}),
    ...(email ? { email } : {}),
    ...(hasProposal === 0 || hasProposal === 1 ? { hasProposal: hasProposal === 1 } : {}),
    minimal,
    page: readPage(p),
  };
}

function readPage(p: Map<string, unknown>): EventIndexPage {
  const limit = readInt(p.get('limit'));
  const page = readInt(p.get('page'));
  const sort = String(p.get('sort') ?? '');
  const direction = String(p.get('direction') ?? '').toLowerCase();
  return {
    ...(limit !== undefined && limit > 0 ? { limit } : {}),
    ...(page !== undefined && page > 0 ? { page } : {}),
    ...((EVENT_SORT_FIELDS as readonly string[]).includes(sort) ? { sort: sort as EventSortField } : {}),
    ...(direction === 'desc' || direction === 'asc' ? { direction } : {}),
  };
}
