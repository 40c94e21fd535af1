import { type Kysely, type RawBuilder, sql, type SqlBool } from 'kysely';
import type {
  AttributeRef, CorrelationIndexStore, CorrelationSubject, IndexScope, IpRangeEntry, ValueHolder,
} from '../../core/ports/correlation-store.js';
import { type ArrayRow, arrayRows } from '../array-rows.js';
import type { Database } from '../db-schema.js';
import { bulkInsertNew, type BulkColumn, type Dialect, intIn } from '../dialect.js';
import type { StoredValueHashes } from '../stored-value-hashes.js';
import { chunks } from '../chunks.js';

/** Ids per statement for lists passed as one JSON / array parameter: bounds the size of one round trip. */
const CHUNK = 10_000;

const unique = <T>(items: readonly T[]): T[] => [...new Set(items)];

/** Attributes grouped by event: correlation tables are keyed event first, so deletes are key-prefix scans. */
function byEvent(refs: readonly AttributeRef[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const r of refs) {
    const list = out.get(r.eventId);
    if (list) list.push(r.id);
    else out.set(r.eventId, [r.id]);
  }
  return out;
}

const CORRELATION_COLUMNS: readonly BulkColumn[] = [
  'event_id', 'attribute_id', '1_attribute_id', 'value_id', '1_event_id', '1_object_id', '1_org_id', '1_distribution',
  '1_sharing_group_id', '1_object_distribution', '1_object_sharing_group_id', '1_event_distribution',
  '1_event_sharing_group_id',
].map((name) => ({ name, type: name === 'value_id' ? 'int8' : 'int4' }));

/**
 * What the engine reads of an attribute, its event and its object, as an array row (array-rows.ts): recorrelation
 * reads every attribute through here, and building a 17-property row object per attribute cost more than reading it.
 */
const SUBJECT_SELECT = sql`a.id, a.event_id, a.object_id, a.type, a.value1, a.value2, a.distribution, a.sharing_group_id,
  a.deleted, a.disable_correlation, e.org_id, e.distribution, e.sharing_group_id, e.disable_correlation,
  o.id, o.distribution, o.sharing_group_id
  from attributes a inner join events e on e.id = a.event_id left join objects o on o.id = a.object_id`;

function subjectFromArray(r: ArrayRow): CorrelationSubject {
  const objectId = r[2] as number;
  return {
    id: r[0] as number, eventId: r[1] as number, objectId, type: r[3] as string, value1: r[4] as string,
    value2: r[5] as string, distribution: r[6] as number, sharingGroupId: r[7] as number, deleted: r[8] === 1,
    disableCorrelation: r[9] === 1,
    event: { orgId: r[10] as number, distribution: r[11] as number, sharingGroupId: r[12] as number, disableCorrelation: r[13] === 1 },
    object: objectId !== 0 && r[14] !== null ? { distribution: (r[15] as number | null) ?? 0, sharingGroupId: (r[16] as number | null) ?? 0 } : null,
  };
}

/**
 * Kysely implementation of the correlation index (spec §1.5). Every method is a fixed number of statements per
 * chunk of ten thousand ids; lists travel as one parameter (`intIn`, `bulkInsertNew`).
 */
/** The advisory lock key of correlation writes on PostgreSQL (`serializeWrites`): "cair" in ASCII. */
const CORRELATION_WRITES_LOCK = 0x63_61_69_72;

export function createCorrelationIndexStore(db: Kysely<Database>, d: Dialect, stored?: StoredValueHashes): CorrelationIndexStore {
  const inList = (column: string, values: readonly number[]) => intIn(d, sql.ref(column), values);

  const subjects = async (where: (ids: number[]) => RawBuilder<SqlBool>, ids: readonly number[]) => {
    const out: CorrelationSubject[] = [];
    for (const part of chunks(unique(ids), CHUNK)) {
      for (const r of await arrayRows(db, sql`select ${SUBJECT_SELECT} where ${where(part)} order by a.id`)) out.push(subjectFromArray(r));
    }
    return out;
  };

  /** Removes the rows matching `source` (rows FROM some attributes) and their mirror rows (the rows pointing AT them). */
  const removeRows = async (source: RawBuilder<SqlBool>) => {
    await sql`delete from correlations where (event_id, attribute_id, ${sql.ref('1_attribute_id')}, value_id) in
      (select ${sql.ref('1_event_id')}, ${sql.ref('1_attribute_id')}, attribute_id, value_id from correlations where ${source})`
      .execute(db);
    await sql`delete from correlations where ${source}`.execute(db);
  };

  /** The value hashes held by the scope's attribute rows (both halves). */
  const valueHashesOf = async (scope: IndexScope): Promise<number[]> => {
    const out = new Set<number>();
    const read = async (where: RawBuilder<SqlBool>) => {
      for (const r of await arrayRows(db, sql`select value1_hash, value2_hash from attributes where ${where}`)) {
        out.add(Number(r[0]));
        if (r[1] !== null) out.add(Number(r[1]));
      }
    };
    for (const part of chunks(unique(scope.eventIds), CHUNK)) await read(inList('event_id', part));
    for (const part of chunks(unique(scope.attributes.map((r) => r.id)), CHUNK)) await read(inList('id', part));
    return [...out];
  };

  return {
    async serializeWrites() {
      if (d.name === 'postgres') await sql`select pg_advisory_xact_lock(${sql.lit(CORRELATION_WRITES_LOCK)})`.execute(db);
    },

    loadSubjects: (ids) => subjects((part) => inList('a.id', part), ids),

    loadEventSubjects: (eventIds) => subjects((part) => inList('a.event_id', part), eventIds),

    async subjectsAfter(afterId, limit) {
      const rows = await arrayRows(db, sql`select ${SUBJECT_SELECT} where a.id > ${afterId} order by a.id limit ${limit}`);
      return rows.map(subjectFromArray);
    },

    async subjectContext(eventIds, objectIds) {
      const events = new Map<number, CorrelationSubject['event']>();
      const objects = new Map<number, NonNullable<CorrelationSubject['object']>>();
      for (const part of chunks(unique(eventIds), CHUNK)) {
        const rows = await db.selectFrom('events').select(['id', 'org_id', 'distribution', 'sharing_group_id', 'disable_correlation'])
          .where(inList('id', part)).execute();
        for (const r of rows) {
          events.set(r.id, { orgId: r.org_id, distribution: r.distribution, sharingGroupId: r.sharing_group_id, disableCorrelation: r.disable_correlation === 1 });
        }
      }
      for (const part of chunks(unique(objectIds.filter((id) => id !== 0)), CHUNK)) {
        const rows = await db.selectFrom('objects').select(['id', 'distribution', 'sharing_group_id']).where(inList('id', part)).execute();
        for (const r of rows) objects.set(r.id, { distribution: r.distribution, sharingGroupId: r.sharing_group_id });
      }
      return { events, objects };
    },

    async attributeIdsOfObjects(objectIds) {
      const out: AttributeRef[] = [];
      for (const part of chunks(unique(objectIds), CHUNK)) {
        const rows = await db.selectFrom('attributes').select(['id', 'event_id']).where(inList('object_id', part)).where('object_id', '<>', 0).execute();
        out.push(...rows.map((r) => ({ id: r.id, eventId: r.event_id })));
      }
      return out;
    },

    carriedKeys: (scope) => valueHashesOf(scope),

    async detach(scope) {
      const points: string[] = [];
      const run = async (where: RawBuilder<SqlBool>) => {
        const ranges = await sql<{ lo: string; block: number }>`delete from correlation_ip_ranges where ${where}
          returning lo, block`.execute(db);
        for (const r of ranges.rows) if (r.block === 0) points.push(r.lo);
        await sql`delete from correlation_ssdeep_grams where ${where}`.execute(db);
      };
      for (const part of chunks(unique(scope.eventIds), CHUNK)) {
        await run(inList('event_id', part));
        await removeRows(inList('event_id', part));
      }
      for (const [eventId, ids] of byEvent(scope.attributes)) {
        for (const part of chunks(unique(ids), CHUNK)) {
          const source = sql<SqlBool>`event_id = ${eventId} and ${inList('attribute_id', part)}`;
          await run(source);
          await removeRows(source);
        }
      }
      return { keyHashes: await valueHashesOf(scope), points: unique(points) };
    },

    async keyHolders(hashes, below) {
      const out: ValueHolder[] = [];
      const before = below === undefined ? sql`` : sql` and id < ${below}`;
      // in key order: consecutive probes descend into neighbouring index pages
      for (const part of chunks(unique(hashes).sort((a, b) => a - b), CHUNK)) {
        const rows = await arrayRows(db, sql`select value1_hash, id from attributes where ${inList('value1_hash', part)}${before}
          union all select value2_hash, id from attributes where value2_hash is not null and ${inList('value2_hash', part)}${before}`);
        for (const r of rows) out.push({ hash: Number(r[0]), id: r[1] as number });
      }
      return out;
    },

    possiblyStored: async (hashes) => (stored ? stored.candidates(db, hashes) : [...hashes]),

    async insertGrams(entries) {
      await bulkInsertNew(d, db, 'correlation_ssdeep_grams', [
        { name: 'event_id', type: 'int4' }, { name: 'attribute_id', type: 'int4' }, { name: 'gram_hash', type: 'int8' },
      ], entries.map((e) => [e.eventId, e.id, e.hash]));
    },

    async gramHolders(hashes) {
      const seen = new Map<number, AttributeRef>();
      for (const part of chunks(unique(hashes), CHUNK)) {
        const rows = await db.selectFrom('correlation_ssdeep_grams').select(['event_id', 'attribute_id'])
          .where(inList('gram_hash', part)).execute();
        for (const r of rows) seen.set(r.attribute_id, { id: r.attribute_id, eventId: r.event_id });
      }
      return [...seen.values()];
    },

    async insertIpRanges(entries) {
      await bulkInsertNew(d, db, 'correlation_ip_ranges', [
        { name: 'event_id', type: 'int4' }, { name: 'attribute_id', type: 'int4' }, { name: 'key_hash', type: 'int8' },
        { name: 'block', type: 'int4' }, { name: 'lo', type: 'text' }, { name: 'hi', type: 'text' },
      ], entries.map((e) => [e.eventId, e.id, e.hash, e.block ? 1 : 0, e.lo, e.hi]));
    },

    async ipBlocks() {
      const rows = await db.selectFrom('correlation_ip_ranges').selectAll().where('block', '=', 1).execute();
      return rows.map((r): IpRangeEntry => ({ id: r.attribute_id, eventId: r.event_id, hash: Number(r.key_hash), lo: r.lo, hi: r.hi, block: true }));
    },

    async pointsIn(lo, hi, limit) {
      const rows = await db.selectFrom('correlation_ip_ranges').selectAll().where('block', '=', 0)
        .where('lo', '>=', lo).where('lo', '<=', hi).orderBy('lo').limit(limit).execute();
      return rows.map((r): IpRangeEntry => ({ id: r.attribute_id, eventId: r.event_id, hash: Number(r.key_hash), lo: r.lo, hi: r.hi, block: false }));
    },

    async overCorrelating(ids) {
      const out = new Set<number>();
      for (const part of chunks(unique(ids), CHUNK)) {
        for (const r of await db.selectFrom('over_correlating_values').select('id').where(inList('id', part)).execute()) out.add(Number(r.id));
      }
      return out;
    },

    async markOverCorrelating(entries) {
      for (const part of chunks(entries, 1000)) {
        if (part.length === 0) continue;
        await db.insertInto('over_correlating_values').values(part.map((e) => ({ id: e.id, value: e.value, occurrence: e.occurrence })))
          .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ occurrence: eb.ref('excluded.occurrence') }))).execute();
      }
    },

    async unmarkOverCorrelating(ids) {
      for (const part of chunks(unique(ids), CHUNK)) await db.deleteFrom('over_correlating_values').where(inList('id', part)).execute();
    },

    async removeValueRows(valueId, sources) {
      // an attribute belongs to one event: `event_id in (…) and attribute_id in (…)` names exactly these sources
      for (const part of chunks(sources, CHUNK)) {
        await removeRows(sql<SqlBool>`${inList('event_id', unique(part.map((r) => r.eventId)))} and ${inList('attribute_id', part.map((r) => r.id))}
          and value_id = ${valueId}`);
      }
    },

    async insertCorrelations(rows, values) {
      if (values.length > 0) {
        await bulkInsertNew(d, db, 'correlation_values', [{ name: 'id', type: 'int8' }, { name: 'value', type: 'text' }],
          values.map((v) => [v.id, v.value]));
      }
      const mapped = rows.map((r) => {
        const t = r.target;
        return [r.source.eventId, r.source.id, t.id, r.valueId, t.eventId, t.objectId, t.orgId, t.distribution,
          t.sharingGroupId, t.objectDistribution, t.objectSharingGroupId, t.eventDistribution, t.eventSharingGroupId];
      });
      // in key order: consecutive rows land on the same B-tree pages
      mapped.sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]! || x[3]! - y[3]!);
      await bulkInsertNew(d, db, 'correlations', CORRELATION_COLUMNS, mapped);
    },

    async refreshEventAcl(eventIds) {
      for (const eventId of unique(eventIds)) {
        const e = await db.selectFrom('events').select(['org_id', 'distribution', 'sharing_group_id']).where('id', '=', eventId).executeTakeFirst();
        if (!e) continue;
        await sql`update correlations set ${sql.ref('1_org_id')} = ${e.org_id}, ${sql.ref('1_event_distribution')} = ${e.distribution},
          ${sql.ref('1_event_sharing_group_id')} = ${e.sharing_group_id}
          where (event_id, attribute_id, ${sql.ref('1_attribute_id')}, value_id) in
          (select ${sql.ref('1_event_id')}, ${sql.ref('1_attribute_id')}, attribute_id, value_id from correlations where event_id = ${eventId})`
          .execute(db);
      }
    },

    async exclusionValues() {
      return (await db.selectFrom('correlation_exclusions').select('value').execute()).map((r) => r.value);
    },
  };
}
