import { type RawBuilder, sql, type SqlBool } from 'kysely';
import type { EventViewer } from '../../core/acl/event-visibility.js';
import type {
  AttributeCriteria, EventCriteria, ObjectCriteria, Range, SearchQuery, TagCriteria, Terms, TextTerm,
} from '../../core/search/search-query.js';
import { valueHash } from '../../core/correlation/correlation-keys.js';
import { type Dialect, intIn, uuidIn } from '../dialect.js';
import { attributeObjectGateSql, childVisibleSql, deletedStateSql, eventVisibleSql } from './event-visibility-sql.js';

/**
 * Compiles a restSearch `SearchQuery` (src/core/search/search-query.ts) into WHERE clauses over the aliases
 * `e` (events), `a` (attributes) and `o` (objects), for the three scopes of spec §3.14. Visibility (spec §4.2,
 * §4.3) is always part of the result: the same SQL rules as events/view, from event-visibility-sql.ts.
 * Attribute filters in event scope select events having a visible attribute that matches — one subquery per filter,
 * as `Event::filterEventIds` builds them.
 */

type Cond = RawBuilder<SqlBool>;
export type Scope = 'events' | 'attributes' | 'objects';

const TRUE: Cond = sql<SqlBool>`1 = 1`;
const FALSE: Cond = sql<SqlBool>`1 = 0`;
const ref = (c: string) => sql.ref<string>(c);
const anyOf = (parts: readonly Cond[]): Cond => (parts.length === 0 ? FALSE : parts.length === 1 ? parts[0]! : sql<SqlBool>`(${sql.join(parts, sql` or `)})`);
export const allOf = (parts: readonly Cond[]): Cond => (parts.length === 0 ? TRUE : parts.length === 1 ? parts[0]! : sql<SqlBool>`(${sql.join(parts, sql` and `)})`);
const not = (c: Cond): Cond => sql<SqlBool>`not ${c}`;

/** How a text column compares: `ci` values use the value hash index, `exact` is a plain `=`, `text` ignores case. */
type Mode = 'ci' | 'exact' | 'text';

interface TextColumn {
  readonly column: string;
  readonly mode: Mode;
  /** Extra condition that makes the partial value2 index usable (`value2 <> ''`). */
  readonly guard?: Cond;
}

function matchAny(c: TextColumn, terms: readonly TextTerm[], d: Dialect): Cond {
  const exact = terms.filter((t) => !t.like).map((t) => t.value);
  const parts: Cond[] = [];
  if (exact.length) {
    if (c.mode === 'ci') parts.push(allOf([hashIn(c.column, exact, d), d.ciEquals(c.column, exact)]));
    else if (c.mode === 'exact') parts.push(sql<SqlBool>`${ref(c.column)} in (${sql.join(exact)})`);
    else parts.push(d.ciEquals(c.column, exact));
  }
  for (const t of terms.filter((x) => x.like)) {
    parts.push(c.mode === 'ci' ? d.ciLike(c.column, t.value) : d.ilike(ref(c.column), t.value));
  }
  const m = anyOf(parts);
  return c.guard ? allOf([c.guard, m]) : m;
}

/** `generic_add_filter` over one or more columns: OR any term on any column, AND every term, NOT no term. */
function textTerms(columns: readonly TextColumn[], t: Terms<TextTerm> | undefined, d: Dialect): Cond[] {
  if (!t) return [];
  const out: Cond[] = [];
  const onAny = (terms: readonly TextTerm[]) => anyOf(columns.map((c) => matchAny(c, terms, d)));
  if (t.or.length) out.push(onAny(t.or));
  for (const term of t.and) out.push(onAny([term]));
  for (const term of t.not) out.push(not(onAny([term])));
  return out;
}

function intTerms(columns: readonly string[], t: Terms<number> | undefined): Cond[] {
  if (!t) return [];
  const out: Cond[] = [];
  const inAny = (ids: readonly number[]) => anyOf(columns.map((c) => sql<SqlBool>`${ref(c)} in (${sql.join(ids)})`));
  if (t.or.length) out.push(inAny(t.or));
  for (const id of t.and) out.push(inAny([id]));
  if (t.not.length) out.push(not(inAny(t.not)));
  return out;
}

function range(column: string, r: Range | undefined): Cond[] {
  const out: Cond[] = [];
  if (r?.from !== undefined) out.push(sql<SqlBool>`${ref(column)} >= ${r.from}`);
  if (r?.until !== undefined) out.push(sql<SqlBool>`${ref(column)} <= ${r.until}`);
  return out;
}

const flags = (column: string, values: readonly boolean[] | undefined): Cond[] =>
  (values?.length === 1 ? [sql<SqlBool>`${ref(column)} = ${values[0] ? 1 : 0}`] : []);

/** Filters on the event row `e`. */
export function eventCriteriaSql(c: EventCriteria, d: Dialect): Cond[] {
  const out: Cond[] = [];
  const wanted: Cond[] = [];
  if (c.ids?.or.length) wanted.push(sql<SqlBool>`e.id in (${sql.join(c.ids.or)})`);
  if (c.uuids?.or.length) wanted.push(sql<SqlBool>`e.uuid in (${sql.join(c.uuids.or)})`);
  if (wanted.length) out.push(anyOf(wanted));
  if (c.ids?.not.length) out.push(sql<SqlBool>`e.id not in (${sql.join(c.ids.not)})`);
  if (c.uuids?.not.length) out.push(sql<SqlBool>`e.uuid not in (${sql.join(c.uuids.not)})`);
  out.push(...intTerms(['e.orgc_id'], c.orgcIds), ...intTerms(['e.sharing_group_id'], c.sharingGroupIds));
  out.push(...textTerms([{ column: 'e.info', mode: 'text' }], c.info, d));
  out.push(...flags('e.published', c.published));
  if (c.dateFrom !== undefined) out.push(sql<SqlBool>`e.date >= ${c.dateFrom}`);
  if (c.dateUntil !== undefined) out.push(sql<SqlBool>`e.date <= ${c.dateUntil}`);
  out.push(...range('e.timestamp', c.timestamp), ...range('e.publish_timestamp', c.publishTimestamp));
  if (c.threatLevelIds?.length) out.push(sql<SqlBool>`e.threat_level_id in (${sql.join(c.threatLevelIds)})`);
  return out;
}

/**
 * Candidates of an exact, case-insensitive match on a value column: its hash column (`value1_hash`, `value2_hash`,
 * migration 0024) holds `valueHash` of each value, so the lookup reads fixed-size index entries; the caller re-checks
 * the whole value (`Dialect.ciEquals`), which also rules out hash collisions. `value2_hash` is null where value2 is
 * empty, which its partial index leaves out.
 */
function hashIn(column: string, values: readonly string[], d: Dialect): Cond {
  const hashes = [...new Set(values.map(valueHash))];
  const col = `${column}_hash`;
  return column.endsWith('value2') ? allOf([sql<SqlBool>`${ref(col)} is not null`, intIn(d, ref(col), hashes)]) : intIn(d, ref(col), hashes);
}

/** Attributes (table alias `alias`) whose value1 or value2 equals one of `values`, case-insensitively, through the hash indexes. */
export function valueEquals(alias: string, values: readonly string[], d: Dialect): Cond {
  return allOf([
    sql<SqlBool>`${ref(`${alias}.id`)} in (select x.id from attributes x where ${hashIn('x.value1', values, d)}
      union all select x.id from attributes x where ${hashIn('x.value2', values, d)})`,
    anyOf([d.ciEquals(`${alias}.value1`, values), allOf([sql<SqlBool>`${ref(`${alias}.value2`)} <> ''`, d.ciEquals(`${alias}.value2`, values)])]),
  ]);
}

/**
 * `value`: attributes whose value1 or value2 matches. Exact values are looked up in the two hash indexes as a union
 * (an OR across the two columns would make SQLite scan the table) and checked whole on the rows the search reads
 * anyway; patterns are conditions on those rows (a pattern has no index on SQLite, and only a literal prefix has
 * one on PostgreSQL, which it combines across the two columns itself).
 */
function valueTerms(t: Terms<TextTerm> | undefined, d: Dialect): Cond[] {
  if (!t) return [];
  const v2 = sql<SqlBool>`a.value2 <> ''`;
  const matching = (terms: readonly TextTerm[]): Cond => {
    const exact = terms.filter((x) => !x.like).map((x) => x.value);
    const parts = terms.filter((x) => x.like).map((x) => anyOf([d.ciLike('a.value1', x.value), allOf([v2, d.ciLike('a.value2', x.value)])]));
    if (exact.length > 0) parts.unshift(valueEquals('a', exact, d));
    return anyOf(parts);
  };
  const out: Cond[] = [];
  if (t.or.length) out.push(matching(t.or));
  for (const term of t.and) out.push(matching([term]));
  for (const term of t.not) out.push(not(matching([term])));
  return out;
}

/** Each attribute filter as its own condition on the attribute row `a` (joined to `e`). */
export function attributeCriteriaSql(c: AttributeCriteria, d: Dialect): Cond[] {
  const v1: TextColumn = { column: 'a.value1', mode: 'ci' };
  const v2: TextColumn = { column: 'a.value2', mode: 'ci', guard: sql<SqlBool>`a.value2 <> ''` };
  const exact = (column: string): TextColumn => ({ column, mode: 'exact' });
  return [
    ...valueTerms(c.value, d), ...textTerms([v1], c.value1, d), ...textTerms([v2], c.value2, d),
    ...textTerms([exact('a.type')], c.type, d), ...textTerms([exact('a.category')], c.category, d),
    ...textTerms([exact('a.object_relation')], c.objectRelation, d),
    ...textTerms([{ column: 'a.comment', mode: 'text' }], c.comment, d),
    ...flags('a.to_ids', c.toIds), ...range('a.timestamp', c.timestamp),
    ...range('a.first_seen', c.firstSeen), ...range('a.last_seen', c.lastSeen),
    ...intTerms(['e.sharing_group_id', 'a.sharing_group_id'], c.sharingGroupIds),
  ];
}

/** Filters on the object row `o`. */
export function objectCriteriaSql(c: ObjectCriteria, d: Dialect): Cond[] {
  const exact = (column: string): TextColumn => ({ column, mode: 'exact' });
  return [
    ...textTerms([exact('o.name')], c.name, d), ...textTerms([exact('o.template_uuid')], c.templateUuid, d),
    ...textTerms([exact('o.template_version')], c.templateVersion, d),
    ...range('o.first_seen', c.firstSeen), ...range('o.last_seen', c.lastSeen),
  ];
}

/** Attribute scope rule over `a` joined to `e` and `o` (MispAttribute::buildConditions, spec §4.3). */
export function attributeVisibleSql(v: EventViewer, q: SearchQuery): Cond {
  return allOf([
    eventVisibleSql(v, 'e'), childVisibleSql(v, 'a', 'e'), attributeObjectGateSql(v, 'a', 'o', 'e'),
    deletedStateSql(v, 'a', q.deleted, 'e'),
  ]);
}

/**
 * `select a.event_id` (or `a.object_id`) of visible attributes in the wanted deletion states that satisfy `cond`:
 * the building block of "event / object has such an attribute".
 */
function attributesWhere(v: EventViewer, q: SearchQuery, cond: Cond, column: 'event_id' | 'object_id'): RawBuilder<unknown> {
  return sql`select a.${sql.raw(column)} from attributes a inner join events e on e.id = a.event_id
    left join objects o on o.id = a.object_id where ${attributeVisibleSql(v, q)} and ${cond}`;
}

/** `event_tags` rows carrying one of `ids`, by event. */
const eventsTagged = (ids: readonly number[]) => sql`select et.event_id from event_tags et where et.tag_id in (${sql.join(ids)})`;
const attributesTagged = (ids: readonly number[]) =>
  sql`select at.attribute_id from attribute_tags at where at.tag_id in (${sql.join(ids)})`;

/*
 * "Carries the tag, itself or through its event" is written as ONE `in (… union all …)` rather than an OR of two
 * `in` subqueries: both databases then drive the query from the (usually few) tagged rows — SQLite as a rowid list,
 * PostgreSQL as a semi-join — where an OR made SQLite pick another filter's index (e.g. `type`, thousands of rows)
 * and PostgreSQL test every row of the table against two hashed subplans.
 */

/** `event has the tag, or one of its visible attributes has it` — event-scope OR and AND semantics. */
function eventCarries(v: EventViewer, q: SearchQuery, ids: readonly number[], eventOnly: boolean): Cond {
  if (eventOnly) return sql<SqlBool>`e.id in (${eventsTagged(ids)})`;
  return sql<SqlBool>`e.id in (${eventsTagged(ids)}
    union all ${attributesWhere(v, q, sql<SqlBool>`a.id in (${attributesTagged(ids)})`, 'event_id')})`;
}

/**
 * Attribute scope: the attribute or its event carries the tag (`MispAttribute::set_filter_tags`). `driving`: the
 * condition is ANDed into the WHERE clause and may drive the scan, in id order (`Dialect.idIn`).
 */
function attributeCarries(ids: readonly number[], eventOnly: boolean, driving?: Dialect): Cond {
  if (eventOnly) return sql<SqlBool>`a.event_id in (${eventsTagged(ids)})`;
  const tagged = sql`${attributesTagged(ids)} union all select x.id from attributes x where x.event_id in (${eventsTagged(ids)})`;
  return driving ? driving.idIn(ref('a.id'), tagged) : sql<SqlBool>`a.id in (${tagged})`;
}

/** Object scope: the object's event carries the tag, or one of the object's visible attributes does. */
function objectCarries(v: EventViewer, q: SearchQuery, ids: readonly number[], eventOnly: boolean): Cond {
  if (eventOnly) return sql<SqlBool>`o.event_id in (${eventsTagged(ids)})`;
  return sql<SqlBool>`o.id in (select x.id from objects x where x.event_id in (${eventsTagged(ids)})
    union all ${attributesWhere(v, q, sql<SqlBool>`a.id in (${attributesTagged(ids)})`, 'object_id')})`;
}

/**
 * Tag filters (spec §3.14): OR — carried by the row or its event; AND — every group carried; NOT — in event scope
 * the event itself does not carry it (attributes carrying it are dropped from the output by the service), in
 * attribute scope neither the attribute nor its event carries it.
 */
export function tagCriteriaSql(scope: Scope, v: EventViewer, q: SearchQuery, t: TagCriteria | undefined, d: Dialect): Cond[] {
  if (!t) return [];
  const out: Cond[] = [];
  // Only the first condition drives (`out` is still empty): PostgreSQL tests a second `= any(array(…))` row by row
  // against the whole array (it hashes constant arrays only); two popular tags ANDed took 10.7 s instead of 0.24 s.
  const carries = (ids: readonly number[]) => (scope === 'events' ? eventCarries(v, q, ids, t.eventOnly)
    : scope === 'attributes' ? attributeCarries(ids, t.eventOnly, out.length === 0 ? d : undefined) : objectCarries(v, q, ids, t.eventOnly));
  if (t.or.length) out.push(t.or.every((id) => id < 0) ? FALSE : carries(t.or));
  for (const group of t.and) out.push(group.length === 0 || group.every((id) => id < 0) ? FALSE : carries(group));
  if (t.not.length) {
    const onEvent = scope === 'attributes' ? 'a.event_id' : scope === 'objects' ? 'o.event_id' : 'e.id';
    out.push(sql<SqlBool>`${ref(onEvent)} not in (${eventsTagged(t.not)})`);
    if (scope === 'attributes' && !t.eventOnly) out.push(sql<SqlBool>`a.id not in (${attributesTagged(t.not)})`);
  }
  return out;
}

/** `uuid` (spec §3.14): the row's own uuid or its event's; in event scope also one of its attributes'. */
export function uuidSql(scope: Scope, v: EventViewer, q: SearchQuery, d: Dialect): Cond[] {
  const u = q.uuids;
  if (!u) return [];
  const matches = (list: readonly string[]): Cond => {
    const parts: Cond[] = [sql<SqlBool>`e.uuid in (${sql.join(list)})`];
    if (scope === 'objects') parts.push(sql<SqlBool>`o.uuid in (${sql.join(list)})`);
    const ofAttribute = uuidIn(d, sql.ref('a.uuid'), list);
    if (scope === 'attributes') parts.push(ofAttribute);
    if (scope === 'events') parts.push(sql<SqlBool>`e.id in (${attributesWhere(v, q, ofAttribute, 'event_id')})`);
    return anyOf(parts);
  };
  const out: Cond[] = [];
  if (u.or.length) out.push(matches(u.or));
  for (const x of u.and) out.push(matches([x]));
  if (u.not.length) out.push(not(matches(u.not)));
  return out;
}

/** `searchall` / `quickFilter`: event info, attribute value1/value2/comment, or a tag whose name matches. */
export function wildcardSql(scope: Scope, v: EventViewer, q: SearchQuery, d: Dialect): Cond[] {
  const w = q.wildcard;
  if (!w) return [];
  const p = w.pattern;
  const onAttribute = anyOf([d.ciLike('a.value1', p), d.ciLike('a.value2', p), d.ilike(ref('a.comment'), p)]);
  const parts: Cond[] = [d.ilike(ref('e.info'), p)];
  if (scope === 'attributes') parts.push(onAttribute);
  else if (scope === 'events') parts.push(sql<SqlBool>`e.id in (${attributesWhere(v, q, onAttribute, 'event_id')})`);
  else parts.push(sql<SqlBool>`o.id in (${attributesWhere(v, q, onAttribute, 'object_id')})`);
  if (w.tagIds.length) parts.push(scope === 'attributes' ? attributeCarries(w.tagIds, false) : scope === 'events'
    ? eventCarries(v, q, w.tagIds, false) : objectCarries(v, q, w.tagIds, false));
  return [anyOf(parts)];
}

/**
 * The WHERE clause of one scope: visibility, then (unless the wildcard replaces them) every filter. In event scope
 * attribute and object filters become "has such an attribute / object" subqueries.
 */
export function scopeWhere(scope: Scope, v: EventViewer, q: SearchQuery, d: Dialect): Cond {
  const out: Cond[] = [];
  if (scope === 'events') out.push(eventVisibleSql(v, 'e'));
  else if (scope === 'attributes') out.push(attributeVisibleSql(v, q));
  else out.push(eventVisibleSql(v, 'e'), childVisibleSql(v, 'o', 'e'), deletedStateSql(v, 'o', q.deleted, 'e'));
  // The filters that select the rows shown inside events still apply in wildcard mode (Event::fetchEvent).
  out.push(...flags('e.published', q.event.published));
  if (q.wildcard) {
    out.push(...wildcardSql(scope, v, q, d));
    if (scope === 'attributes') out.push(...flags('a.to_ids', q.attribute.toIds));
    return allOf(out);
  }
  out.push(...eventCriteriaSql({ ...q.event, published: undefined }, d), ...uuidSql(scope, v, q, d), ...tagCriteriaSql(scope, v, q, q.tags, d));
  const attribute = attributeCriteriaSql(q.attribute, d);
  const object = objectCriteriaSql(q.object, d);
  if (scope === 'attributes') {
    out.push(...attribute, ...object);
  } else if (scope === 'objects') {
    out.push(...object, ...attribute.map((c) => sql<SqlBool>`o.id in (${attributesWhere(v, q, c, 'object_id')})`));
  } else {
    const hasAttribute = (c: Cond) => sql<SqlBool>`e.id in (${attributesWhere(v, q, c, 'event_id')})`;
    out.push(...attribute.map(hasAttribute));
    if (q.deletedRequested) out.push(hasAttribute(TRUE));
    if (object.length) {
      out.push(sql<SqlBool>`e.id in (select o.event_id from objects o inner join events e on e.id = o.event_id
        where ${childVisibleSql(v, 'o', 'e')} and ${deletedStateSql(v, 'o', q.deleted, 'e')} and ${allOf(object)})`);
    }
  }
  return allOf(out);
}
