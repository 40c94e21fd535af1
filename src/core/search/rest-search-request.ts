import { ACTIVE_ONLY, type DeletedStates } from '../acl/event-visibility.js';
import { formatIpv6, parseIpv6 } from '../attributes/ip-address.js';
import { notFound } from '../errors.js';
import { filterId } from '../misp-format/scalars.js';
import { type ExportFormat, exportFormat, type SearchScope } from '../export/export-formats.js';
import { isUuid } from '../util/uuid.js';
import { type OutputOptions, readOutput } from './rest-search-output.js';
import {
  invalidFilter, mapTerms, readCount, readDateRange, readDay, readDeleted, readFlags, readIntTerms, readOption, readRange,
  readTerms, readTextTerms, textTerm,
} from './rest-search-grammar.js';
import {
  type AttributeCriteria, type EventCriteria, ORDER_FIELDS, type ObjectCriteria, type SearchOrder, type SearchWindow,
  type Terms,
} from './search-query.js';

export type { OutputOptions } from './rest-search-output.js';

/**
 * A restSearch request after validation (spec §3.14): the scope, the export format, the filters with names still
 * unresolved (orgs and tags are looked up by the service), paging and output options. Mirrors
 * `Event::restSearchFilterMassage`, `Event::filterEventIds` and `MispAttribute::buildFilterConditions`.
 */

export interface SearchFilters {
  readonly event: EventCriteria;
  readonly attribute: AttributeCriteria;
  readonly object: ObjectCriteria;
  /** `org`: ids, names or uuids of the creator org. */
  readonly orgs?: Terms<string>;
  /** `tags` / `tag` / `event_tags`: names (LIKE) or ids. */
  readonly tags?: Terms<string>;
  readonly tagsEventOnly: boolean;
  /** `uuid`: the row's own uuid or its event's (event scope: also any of the event's attributes). */
  readonly uuids?: Terms<string>;
  readonly wildcard?: string;
  readonly deleted: DeletedStates;
  readonly deletedRequested: boolean;
}

export interface RestSearchRequest {
  readonly scope: SearchScope;
  readonly format: ExportFormat;
  readonly filters: SearchFilters;
  readonly window: SearchWindow;
  readonly output: OutputOptions;
}

type Params = Readonly<Record<string, unknown>>;

/** `set_filter_value`: IPv6 values are compressed before matching, as MISP stores them. */
function compressIpv6(v: string): string {
  const words = v.includes(':') ? parseIpv6(v) : undefined;
  return words ? formatIpv6(words) : v;
}

/** `set_filter_type`: asking for email-src or email-dst also finds `email` attributes. */
function withEmail(t: Terms<string> | undefined): Terms<string> | undefined {
  if (!t) return undefined;
  const add = (list: readonly string[]) =>
    (list.some((x) => x === 'email-src' || x === 'email-dst') && !list.includes('email') ? [...list, 'email'] : list);
  return { or: add(t.or), and: t.and, not: add(t.not) };
}

function readOrder(raw: unknown, scope: SearchScope): SearchOrder | undefined {
  const rule = Array.isArray(raw) ? raw[0] : typeof raw === 'string' ? raw.split(',')[0] : undefined;
  if (typeof rule !== 'string') return undefined;
  const [path = '', dir = 'asc'] = rule.trim().split(/\s+/);
  const field = (path.includes('.') ? path.slice(path.indexOf('.') + 1) : path).toLowerCase();
  // findOrder: an unknown column makes MISP ignore the whole order.
  if (!(ORDER_FIELDS[scope] as readonly string[]).includes(field)) return undefined;
  return { field, direction: dir.toLowerCase() === 'desc' ? 'desc' : 'asc' };
}

/**
 * The order when the request names none. MISP sets none (`fetchAttributes`: `order => []`), so rows come in whatever
 * order its plan reads them. Cairn reads attributes by id, except when an attribute time window is given: then by
 * (timestamp, id), the order of the `type, timestamp` and `timestamp` indexes, so `limit` stops after `limit` rows
 * of the window instead of sorting all of it first (performance.md §4.2 metric 3c).
 */
function defaultOrder(scope: SearchScope, attribute: AttributeCriteria): SearchOrder | undefined {
  return scope === 'attributes' && attribute.timestamp ? { field: 'timestamp', direction: 'asc' } : undefined;
}

function readEventIds(raw: unknown): Pick<EventCriteria, 'ids' | 'uuids'> {
  const t = readTerms(raw === 'all' ? undefined : raw, 'eventid');
  if (!t) return {};
  const ids = (list: readonly string[]) => list.filter((x) => !isUuid(x)).map((x) => {
    if (!/^\d+$/.test(x)) throw invalidFilter('eventid');
    return filterId(Number(x));
  });
  const uuids = (list: readonly string[]) => list.filter(isUuid).map((x) => x.toLowerCase());
  return {
    ids: { or: ids(t.or), and: ids(t.and), not: ids(t.not) },
    uuids: { or: uuids(t.or), and: uuids(t.and), not: uuids(t.not) },
  };
}

function readUuids(raw: unknown): Terms<string> | undefined {
  const t = readTerms(raw, 'uuid');
  if (!t) return undefined;
  const check = (list: readonly string[]) => list.map((x) => {
    if (!isUuid(x)) throw invalidFilter('uuid');
    return x.toLowerCase();
  });
  return { or: check(t.or), and: check(t.and), not: check(t.not) };
}

function eventCriteria(p: Params, scope: SearchScope, now: number): EventCriteria {
  const date = readDateRange(p.date, now);
  const from = readDay(p.from, 'from') ?? date?.from;
  const to = readDay(p.to, 'to') ?? date?.until;
  // In event scope `timestamp` is the event's; in attribute and object scope it is the attribute's.
  const timestamp = readRange(p.event_timestamp, now, 'event_timestamp')
    ?? (scope === 'events' ? readRange(p.timestamp, now, 'timestamp') : undefined);
  const publishTimestamp = readRange(p.publish_timestamp, now, 'publish_timestamp') ?? readRange(p.last, now, 'last');
  const published = readFlags(p.published, 'published');
  const threat = readIntTerms(p.threat_level_id, 'threat_level_id');
  const info = readTextTerms(p.eventinfo, 'eventinfo');
  const sg = scope === 'attributes' ? undefined : readIntTerms(p.sharinggroup, 'sharinggroup');
  return {
    ...readEventIds(p.eventid ?? p.event_ids),
    ...(info ? { info } : {}),
    ...(published && published.length === 1 ? { published } : {}),
    ...(from ? { dateFrom: from } : {}),
    ...(to ? { dateUntil: to } : {}),
    ...(timestamp ? { timestamp } : {}),
    ...(publishTimestamp ? { publishTimestamp } : {}),
    ...(threat?.or.length ? { threatLevelIds: threat.or } : {}),
    ...(sg ? { sharingGroupIds: sg } : {}),
  };
}

function attributeCriteria(p: Params, scope: SearchScope, now: number): AttributeCriteria {
  const value = readTextTerms(p.value, 'value', compressIpv6);
  const value1 = readTextTerms(p.value1, 'value1');
  const value2 = readTextTerms(p.value2, 'value2');
  const typeTerms = withEmail(readTerms(p.type, 'type'));
  const category = readTextTerms(p.category, 'category');
  const objectRelation = readTextTerms(p.object_relation, 'object_relation');
  const comment = readTextTerms(p.comment, 'comment');
  const toIds = readFlags(p.to_ids, 'to_ids');
  const timestamp = readRange(p.attribute_timestamp, now, 'attribute_timestamp')
    ?? (scope !== 'events' ? readRange(p.timestamp, now, 'timestamp') : undefined);
  const sg = scope === 'attributes' ? readIntTerms(p.sharinggroup, 'sharinggroup') : undefined;
  const firstSeen = scope === 'attributes' ? seenRange(p.first_seen, now, 'first_seen', 'from') : undefined;
  const lastSeen = scope === 'attributes' ? seenRange(p.last_seen, now, 'last_seen', 'until') : undefined;
  return {
    ...(value ? { value } : {}),
    ...(value1 ? { value1 } : {}),
    ...(value2 ? { value2 } : {}),
    ...(typeTerms ? { type: mapTerms(typeTerms, textTerm) } : {}),
    ...(category ? { category } : {}),
    ...(objectRelation ? { objectRelation } : {}),
    ...(comment ? { comment } : {}),
    ...(toIds && toIds.length === 1 ? { toIds } : {}),
    ...(timestamp ? { timestamp } : {}),
    ...(sg ? { sharingGroupIds: sg } : {}),
    ...(firstSeen ? { firstSeen } : {}),
    ...(lastSeen ? { lastSeen } : {}),
  };
}

/**
 * `setTimestampSeenConditions`: first_seen/last_seen are µs; a single first_seen is a lower bound, a single
 * last_seen an upper bound, a pair bounds both ways.
 */
function seenRange(raw: unknown, now: number, name: string, single: 'from' | 'until') {
  const r = readRange(raw, now, name);
  if (!r) return undefined;
  if (Array.isArray(raw)) return { from: (r.from ?? 0) * 1_000_000, until: (r.until ?? 0) * 1_000_000 };
  return { [single]: (r.from ?? 0) * 1_000_000 };
}

function objectCriteria(p: Params, scope: SearchScope, now: number): ObjectCriteria {
  const name = readTextTerms(p.object_name, 'object_name');
  const templateUuid = readTextTerms(p.object_template_uuid, 'object_template_uuid');
  const templateVersion = readTextTerms(p.object_template_version, 'object_template_version');
  const firstSeen = scope === 'objects' ? seenRange(p.first_seen, now, 'first_seen', 'from') : undefined;
  const lastSeen = scope === 'objects' ? seenRange(p.last_seen, now, 'last_seen', 'until') : undefined;
  return {
    ...(name ? { name } : {}),
    ...(templateUuid ? { templateUuid } : {}),
    ...(templateVersion ? { templateVersion } : {}),
    ...(firstSeen ? { firstSeen } : {}),
    ...(lastSeen ? { lastSeen } : {}),
  };
}

/** `searchall` / `quickFilter`: the value when `searchall` is a flag, else the search text itself. */
function readWildcard(p: Params): string | undefined {
  const quick = p.quickFilter ?? p.quickfilter;
  const all = quick !== undefined && quick !== '' ? quick : p.searchall;
  if (all === undefined || all === null || all === '' || all === false || all === 0 || all === '0') return undefined;
  const text = (all === true || all === 1 || all === '1') && typeof p.value === 'string' ? p.value : all;
  if (typeof text !== 'string' && typeof text !== 'number') throw invalidFilter('searchall');
  return String(text);
}

/** The format named by `returnFormat` (default json), or MISP's 404 "Invalid output format.". */
function readFormat(raw: unknown, scope: SearchScope): ExportFormat {
  const name = raw === undefined || raw === null || raw === '' ? 'json' : raw;
  const f = typeof name === 'string' ? exportFormat(name.trim().toLowerCase(), scope) : undefined;
  if (!f) throw notFound('Invalid output format.');
  return f;
}

/**
 * Validates harvested parameters into a request. Restrictive formats get `to_ids = 1` and `published = 1` unless
 * the request set them; `ignore` lifts both (spec §3.14 last paragraph).
 */
export function readRestSearchRequest(scope: SearchScope, params: Params, now: number): RestSearchRequest {
  const format = readFormat(params.returnFormat, scope);
  let p: Record<string, unknown> = { ...params };
  if (p.tag !== undefined && p.tags === undefined) p.tags = p.tag;
  if (readOption(p.ignore, 'ignore')) p = { ...p, to_ids: [0, 1], published: [0, 1] };
  if (format.restrictive) p = { to_ids: 1, published: 1, ...p };
  // AttackExport::$additional_params override the request: no correlations, sharing groups by reference.
  if (format.name === 'attack') p = { ...p, includeEventCorrelations: 0, includeGranularCorrelations: 0, sgReferenceOnly: 1 };
  const deleted = readDeleted(p.deleted);
  const tagsEventOnly = (p.tags === undefined || p.tags === '') && p.event_tags !== undefined;
  const tags = readTerms(tagsEventOnly ? p.event_tags : p.tags, tagsEventOnly ? 'event_tags' : 'tags');
  const orgs = readTerms(p.org, 'org');
  const uuids = readUuids(p.uuid);
  const wildcard = readWildcard(p);
  const limit = readCount(p.limit, 'limit');
  const page = readCount(p.page, 'page');
  const attribute = attributeCriteria(p, scope, now);
  const order = readOrder(p.order, scope) ?? defaultOrder(scope, attribute);
  return {
    scope,
    format,
    filters: {
      event: eventCriteria(p, scope, now),
      attribute,
      object: objectCriteria(p, scope, now),
      ...(orgs ? { orgs } : {}),
      ...(tags ? { tags } : {}),
      tagsEventOnly,
      ...(uuids ? { uuids } : {}),
      ...(wildcard !== undefined ? { wildcard } : {}),
      deleted: deleted ?? ACTIVE_ONLY,
      deletedRequested: deleted !== undefined,
    },
    window: {
      ...(limit ? { limit } : {}),
      ...(page ? { page } : {}),
      ...(order ? { order } : {}),
    },
    output: readOutput(p),
  };
}
