import { type Kysely, sql } from 'kysely';
import type { CorrelationAdminStore, CorrelationExclusion, CorrelationJob } from '../../core/ports/correlation-store.js';
import type { Database } from '../db-schema.js';
import { type Dialect, truncateTableSql } from '../dialect.js';
import type { CorrelationExclusionsTable, CorrelationJobsTable } from '../db-schema-correlations.js';
import type { Selectable } from 'kysely';

const exclusionFromRow = (r: Selectable<CorrelationExclusionsTable>): CorrelationExclusion => ({
  id: r.id, value: r.value, fromJson: r.from_json === 1, comment: r.comment,
});

const jobFromRow = (r: Selectable<CorrelationJobsTable>): CorrelationJob => ({
  id: r.id, status: r.status, progress: r.progress, processed: r.processed, total: r.total, message: r.message,
  started: Number(r.started), finished: Number(r.finished),
});

/** Tables emptied by a full rebuild; exclusions and jobs stay. */
const INDEX_TABLES = [
  'correlations', 'correlation_values', 'over_correlating_values', 'correlation_ip_ranges',
  'correlation_ssdeep_grams',
] as const;

export function createCorrelationAdminStore(db: Kysely<Database>, d: Dialect): CorrelationAdminStore {
  return {
    async listExclusions(filter) {
      let q = db.selectFrom('correlation_exclusions').selectAll().orderBy('value').orderBy('id');
      if (filter.value !== undefined) q = q.where(d.ilike(sql.ref('value'), filter.value));
      return (await q.execute()).map(exclusionFromRow);
    },

    async findExclusion(id) {
      const r = await db.selectFrom('correlation_exclusions').selectAll().where('id', '=', id).executeTakeFirst();
      return r && exclusionFromRow(r);
    },

    async insertExclusion(e) {
      const r = await db.insertInto('correlation_exclusions')
        .values({ value: e.value, from_json: e.fromJson ? 1 : 0, comment: e.comment })
        .onConflict((oc) => oc.column('value').doNothing()).returningAll().executeTakeFirst();
      return r && exclusionFromRow(r);
    },

    async updateExclusion(e) {
      await db.updateTable('correlation_exclusions').set({ value: e.value, from_json: e.fromJson ? 1 : 0, comment: e.comment })
        .where('id', '=', e.id).execute();
    },

    async deleteExclusion(id) {
      const r = await db.deleteFrom('correlation_exclusions').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },

    async attributesLike(pattern) {
      const rows = await db.selectFrom('attributes').select(['id', 'event_id']).where('deleted', '=', 0)
        .where((eb) => eb.or([d.ilike(sql.ref('value1'), pattern), d.ilike(sql.ref('value2'), pattern)])).execute();
      return rows.map((r) => ({ id: r.id, eventId: r.event_id }));
    },

    async truncate() {
      for (const table of INDEX_TABLES) await truncateTableSql(d, table).execute(db);
    },

    async countAttributes() {
      const r = await db.selectFrom('attributes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(r.n);
    },

    async createJob(now) {
      const r = await db.insertInto('correlation_jobs').values({ status: 'queued', started: now }).returningAll().executeTakeFirstOrThrow();
      return jobFromRow(r);
    },

    async updateJob(id, patch) {
      const row: Record<string, unknown> = {
        status: patch.status, progress: patch.progress, processed: patch.processed, total: patch.total, message: patch.message,
        started: patch.started, finished: patch.finished,
      };
      for (const k of Object.keys(row)) if (row[k] === undefined) delete row[k];
      if (Object.keys(row).length > 0) await db.updateTable('correlation_jobs').set(row).where('id', '=', id).execute();
    },

    async findJobs(ids) {
      if (ids.length === 0) return [];
      return (await db.selectFrom('correlation_jobs').selectAll().where('id', 'in', [...ids]).orderBy('id').execute()).map(jobFromRow);
    },
  };
}
