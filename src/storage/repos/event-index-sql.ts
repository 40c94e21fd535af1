import { type RawBuilder, sql, type SqlBool } from 'kysely';
import type { EventViewer } from '../../core/acl/event-visibility.js';
import type { EventIndexFilter, Many } from '../../core/ports/event-read-store.js';
import type { Dialect } from '../dialect.js';
import { attributeObjectGateSql, childVisibleSql, eventVisibleSql } from './event-visibility-sql.js';

/**
 * The WHERE clauses of events/index (`EventsController::__setIndexFilterConditions`, spec §3.1) over the
 * `events` table, visibility included. Returned as a list the caller ANDs together.
 */
export function eventIndexConditions(v: EventViewer, f: EventIndexFilter, dialect: Dialect): RawBuilder<SqlBool>[] {
  const e = (name: string) => sql.ref<string>(`events.${name}`);
  const out: RawBuilder<SqlBool>[] = [eventVisibleSql(v, 'events')];
  out.push(...eventRefConditions(f), ...many(e('orgc_id'), f.orgcIds));
  out.push(...many(e('distribution'), f.distribution), ...many(e('analysis'), f.analysis));
  out.push(...many(e('threat_level_id'), f.threatLevel), ...many(e('sharing_group_id'), f.sharingGroupIds));
  if (f.published !== undefined) out.push(sql<SqlBool>`${e('published')} = ${f.published ? 1 : 0}`);
  if (f.userId !== undefined) out.push(sql<SqlBool>`${e('user_id')} = ${f.userId}`);
  if (f.hasAttributes) out.push(sql<SqlBool>`${e('attribute_count')} > 0`);
  if (f.hasProposal !== undefined) {
    const pending = sql<SqlBool>`exists (select 1 from shadow_attributes sa where sa.event_id = ${e('id')} and sa.deleted = 0)`;
    out.push(f.hasProposal ? pending : sql<SqlBool>`not ${pending}`);
  }
  if (f.dateFrom !== undefined) out.push(sql<SqlBool>`${e('date')} >= ${f.dateFrom}`);
  if (f.dateUntil !== undefined) out.push(sql<SqlBool>`${e('date')} <= ${f.dateUntil}`);
  out.push(...range(e('timestamp'), f.timestamp), ...range(e('publish_timestamp'), f.publishTimestamp));
  if (f.info?.include?.length) {
    out.push(anyOf(f.info.include.map((s) => dialect.ilike(e('info'), `%${s}%`))));
  }
  for (const s of f.info?.exclude ?? []) out.push(sql<SqlBool>`not ${dialect.ilike(e('info'), `%${s}%`)}`);
  if (f.tagIds) out.push(...tagConditions(f.tagIds));
  for (const m of f.attributeValues ?? []) out.push(...attributeValueConditions(v, m, dialect));
  return out;
}

function many<T extends string | number>(column: RawBuilder<unknown>, m: Many<T> | undefined): RawBuilder<SqlBool>[] {
  if (!m) return [];
  const out: RawBuilder<SqlBool>[] = [];
  if (m.include) out.push(m.include.length ? sql<SqlBool>`${column} in (${sql.join(m.include)})` : sql<SqlBool>`1 = 0`);
  if (m.exclude?.length) out.push(sql<SqlBool>`${column} not in (${sql.join(m.exclude)})`);
  return out;
}

function range(column: RawBuilder<unknown>, r: { from?: number; until?: number } | undefined): RawBuilder<SqlBool>[] {
  const out: RawBuilder<SqlBool>[] = [];
  if (r?.from !== undefined) out.push(sql<SqlBool>`${column} >= ${r.from}`);
  if (r?.until !== undefined) out.push(sql<SqlBool>`${column} <= ${r.until}`);
  return out;
}

/**
 * `eventid` mixes ids and uuids; wanted ones are OR-ed across both kinds. (MISP ANDs the id and uuid lists,
 * so a mixed list matches nothing there; nobody relies on that.)
 */
function eventRefConditions(f: EventIndexFilter): RawBuilder<SqlBool>[] {
  const include: RawBuilder<SqlBool>[] = [];
  if (f.ids?.include?.length) include.push(sql<SqlBool>`events.id in (${sql.join(f.ids.include)})`);
  if (f.uuids?.include?.length) include.push(sql<SqlBool>`events.uuid in (${sql.join(f.uuids.include)})`);
  const out = include.length ? [anyOf(include)] : [];
  if (f.ids?.exclude?.length) out.push(sql<SqlBool>`events.id not in (${sql.join(f.ids.exclude)})`);
  if (f.uuids?.exclude?.length) out.push(sql<SqlBool>`events.uuid not in (${sql.join(f.uuids.exclude)})`);
  return out;
}

const anyOf = (parts: RawBuilder<SqlBool>[]): RawBuilder<SqlBool> => sql<SqlBool>`(${sql.join(parts, sql` or `)})`;

/** MISP matches tags on the event only here (index), unlike restSearch which also looks at attributes. */
function tagConditions(t: Many<number> & { allOf?: boolean }): RawBuilder<SqlBool>[] {
  const out: RawBuilder<SqlBool>[] = [];
  if (t.include) {
    if (t.include.length === 0) out.push(sql<SqlBool>`1 = 0`);
    else if (t.allOf) {
      out.push(sql<SqlBool>`(select count(distinct et.tag_id) from event_tags et
        where et.event_id = events.id and et.tag_id in (${sql.join(t.include)})) = ${new Set(t.include).size}`);
    } else {
      out.push(sql<SqlBool>`events.id in (select et.event_id from event_tags et where et.tag_id in (${sql.join(t.include)}))`);
    }
  }
  if (t.exclude?.length) {
    out.push(sql<SqlBool>`events.id not in (select et.event_id from event_tags et where et.tag_id in (${sql.join(t.exclude)}))`);
  }
  return out;
}

/**
 * `__filterOnAttributeValue`: events having (or not having) a live attribute the viewer can see whose value1
 * or value2 matches one of the patterns.
 */
function attributeValueConditions(v: EventViewer, m: Many<string>, dialect: Dialect): RawBuilder<SqlBool>[] {
  const matching = (patterns: readonly string[]) => sql`select a.event_id from attributes a
    inner join events ae on ae.id = a.event_id
    left join objects ao on ao.id = a.object_id
    where a.deleted = 0 and ${eventVisibleSql(v, 'ae')} and ${childVisibleSql(v, 'a', 'ae')}
      and ${attributeObjectGateSql(v, 'a', 'ao', 'ae')}
      and ${anyOf(patterns.flatMap((p) => [dialect.ilike(sql.ref<string>('a.value1'), p), dialect.ilike(sql.ref<string>('a.value2'), p)]))}`;
  const out: RawBuilder<SqlBool>[] = [];
  if (m.include) out.push(m.include.length ? sql<SqlBool>`events.id in (${matching(m.include)})` : sql<SqlBool>`1 = 0`);
  if (m.exclude?.length) out.push(sql<SqlBool>`events.id not in (${matching(m.exclude)})`);
  return out;
}
