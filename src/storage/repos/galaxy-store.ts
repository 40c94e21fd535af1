import { type ExpressionBuilder, type Kysely, type Selectable, sql } from 'kysely';
import type { GalaxyClusterRelation, GalaxyElement } from '../../core/galaxies/galaxy-model.js';
import type { Tag } from '../../core/model/event.js';
import type { ClusterFilter, GalaxyStore } from '../../core/ports/galaxy-store.js';
import type { ClusterViewer } from '../../core/galaxies/galaxy-model.js';
import type { Database } from '../db-schema.js';
import type { GalaxyClusterRelationsTable } from '../db-schema-galaxies-feeds.js';
import { bulkInsert, type Dialect, intIn } from '../dialect.js';
import { chunks } from '../chunks.js';
import {
  CLUSTER_BULK, clusterValues, clusterVisible, ELEMENT_BULK, galaxyValues, idsInInputOrder, RELATION_BULK,
  RELATION_TAG_BULK, relationValues, relationVisible, toCluster, toElement, toGalaxy,
} from './galaxy-rows.js';
import { toTag } from './tag-store.js';

const none = sql<boolean>`1 = 0`;

/** SQL for a ClusterFilter over cluster alias `c`. */
function clusterFilter(eb: ExpressionBuilder<any, any>, f: ClusterFilter, d: Dialect) {
  const and = [];
  const list = <T>(col: string, v: readonly T[] | undefined) => {
    if (v) and.push(v.length ? eb(col, 'in', [...v]) : none);
  };
  // A long id list (relation index, event views) travels as one parameter: a VALUES list would pass the limit.
  if (f.ids && f.ids.length > 500) and.push(intIn(d, sql.ref('c.id'), f.ids));
  else list('c.id', f.ids);
  list('c.uuid', f.uuids?.map((u) => u.toLowerCase()));
  list('c.galaxy_id', f.galaxyIds);
  list('c.tag_name_lower', f.tagNames?.map((n) => n.toLowerCase()));
  list('c.value', f.values);
  list('c.extends_uuid', f.extendsUuids);
  list('c.version', f.versions);
  list('c.distribution', f.distributions);
  list('c.org_id', f.orgIds);
  list('c.orgc_id', f.orgcIds);
  // A literal, not a parameter: the planners then match `default = 0` to the partial index of migration 0012.
  if (f.isDefault !== undefined) and.push(eb('c.default', '=', sql.lit(f.isDefault ? 1 : 0)));
  if (f.deleted !== undefined) and.push(eb('c.deleted', '=', f.deleted ? 1 : 0));
  if (f.published !== undefined) and.push(eb('c.published', '=', f.published ? 1 : 0));
  if (f.search !== undefined && f.search !== '') {
    const pattern = `%${f.search}%`;
    and.push(eb.or([
      d.ilike(sql.ref('c.value'), pattern),
      d.ilike(sql.ref('c.description'), pattern),
      eb('c.uuid', '=', f.search),
      eb('c.id', 'in', (() => {
        let q = eb.selectFrom('galaxy_elements as ge').select('ge.galaxy_cluster_id')
          .where('ge.key', '=', 'synonyms').where(d.ilike(sql.ref('ge.value'), pattern));
        // Within one galaxy (galaxy_clusters/index), only that galaxy's elements are read, through their cluster index.
        if (f.galaxyIds?.length) {
          q = q.where('ge.galaxy_cluster_id', 'in', eb.selectFrom('galaxy_clusters as gc').select('gc.id').where('gc.galaxy_id', 'in', [...f.galaxyIds]));
        }
        return q;
      })()),
    ]));
  }
  return eb.and(and);
}

export function createGalaxyStore(db: Kysely<Database>, dialect: Dialect): GalaxyStore {
  const idChunk = Math.max(1, dialect.maxParams - 50);

  async function relationTags(relationIds: readonly number[]): Promise<Map<number, Tag[]>> {
    const out = new Map<number, Tag[]>();
    for (const part of chunks(relationIds, idChunk)) {
      const rows = await db.selectFrom('galaxy_cluster_relation_tags as rt').innerJoin('tags as t', 't.id', 'rt.tag_id')
        .selectAll('t').select('rt.galaxy_cluster_relation_id as relation_id').where('rt.galaxy_cluster_relation_id', 'in', part)
        .orderBy('rt.id').execute();
      for (const r of rows) {
        const list = out.get(r.relation_id) ?? [];
        list.push(toTag(r));
        out.set(r.relation_id, list);
      }
    }
    return out;
  }

  type RelationRow = Selectable<GalaxyClusterRelationsTable>;

  /** Domain relations for rows, with their tags (one query per chunk of relations). */
  async function withTags(rows: readonly RelationRow[]): Promise<GalaxyClusterRelation[]> {
    const tags = await relationTags(rows.map((r) => r.id));
    return rows.map((r) => ({
      id: r.id, galaxyClusterId: r.galaxy_cluster_id, referencedGalaxyClusterId: r.referenced_galaxy_cluster_id,
      referencedGalaxyClusterUuid: r.referenced_galaxy_cluster_uuid, referencedGalaxyClusterType: r.referenced_galaxy_cluster_type,
      galaxyClusterUuid: r.galaxy_cluster_uuid, distribution: r.distribution, sharingGroupId: r.sharing_group_id,
      isDefault: r.default === 1, tags: tags.get(r.id) ?? [],
    }));
  }

  /** Relations (with tags) whose `column` is in `ids`, visible to the viewer, keyed by that column. */
  async function relationsBy(column: 'r.galaxy_cluster_id' | 'r.referenced_galaxy_cluster_id', ids: readonly number[], viewer: ClusterViewer) {
    const out = new Map<number, GalaxyClusterRelation[]>();
    const rows: RelationRow[] = [];
    for (const part of chunks([...new Set(ids)], idChunk)) {
      rows.push(...await db.selectFrom('galaxy_cluster_relations as r').innerJoin('galaxy_clusters as sc', 'sc.id', 'r.galaxy_cluster_id')
        .selectAll('r').where(column, 'in', part).where((eb) => relationVisible(eb, viewer)).orderBy('r.id').execute());
    }
    for (const r of await withTags(rows)) {
      const key = column === 'r.galaxy_cluster_id' ? r.galaxyClusterId : r.referencedGalaxyClusterId;
      const list = out.get(key) ?? [];
      list.push(r);
      out.set(key, list);
    }
    return out;
  }

  const store: GalaxyStore = {
    async listGalaxies(filter = {}) {
      let q = db.selectFrom('galaxies as g').selectAll('g');
      if (filter.ids) q = q.where('g.id', 'in', filter.ids.length ? [...filter.ids] : [-1]);
      if (filter.enabled !== undefined) q = q.where('g.enabled', '=', filter.enabled ? 1 : 0);
      if (filter.search) {
        const p = `%${filter.search}%`;
        q = q.where((eb) => eb.or([
          dialect.ilike(sql.ref('g.name'), p), dialect.ilike(sql.ref('g.namespace'), p), dialect.ilike(sql.ref('g.description'), p),
          dialect.ilike(sql.ref('g.kill_chain_order'), p), dialect.ilike(sql.ref('g.uuid'), p),
        ]));
      }
      return (await q.orderBy('g.id').execute()).map(toGalaxy);
    },
    async findGalaxy(ref) {
      let q = db.selectFrom('galaxies').selectAll();
      if ('id' in ref) q = q.where('id', '=', ref.id);
      else if ('uuid' in ref) q = q.where('uuid', '=', ref.uuid.toLowerCase());
      else q = q.where('type', '=', ref.type);
      const r = await q.orderBy('id').executeTakeFirst();
      return r && toGalaxy(r);
    },
    async insertGalaxy(row) {
      const r = await db.insertInto('galaxies').values(galaxyValues(row)).returning('id').executeTakeFirstOrThrow();
      return r.id;
    },
    async updateGalaxy(id, row) {
      await db.updateTable('galaxies').set(galaxyValues(row)).where('id', '=', id).execute();
    },
    async setGalaxyEnabled(id, enabled) {
      await db.updateTable('galaxies').set({ enabled: enabled ? 1 : 0 }).where('id', '=', id).execute();
    },
    async deleteGalaxy(id) {
      const ids = (await db.selectFrom('galaxy_clusters').select('id').where('galaxy_id', '=', id).execute()).map((r) => r.id);
      await store.deleteClusters(ids);
      await db.deleteFrom('galaxies').where('id', '=', id).execute();
    },

    async findClusters(filter, viewer) {
      let q = db.selectFrom('galaxy_clusters as c').selectAll('c')
        .where((eb) => eb.and([clusterFilter(eb, filter, dialect), clusterVisible(eb, viewer, 'c')])).orderBy('c.id');
      if (filter.limit !== undefined) q = q.limit(filter.limit).offset(((filter.page ?? 1) - 1) * filter.limit);
      return (await q.execute()).map(toCluster);
    },
    async countClusters(filter, viewer) {
      const r = await db.selectFrom('galaxy_clusters as c').select((eb) => eb.fn.countAll<number>().as('n'))
        .where((eb) => eb.and([clusterFilter(eb, filter, dialect), clusterVisible(eb, viewer, 'c')])).executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async clusterElements(clusterIds) {
      const out = new Map<number, GalaxyElement[]>();
      for (const part of chunks([...new Set(clusterIds)], idChunk)) {
        const rows = await db.selectFrom('galaxy_elements').selectAll().where('galaxy_cluster_id', 'in', part).orderBy('id').execute();
        for (const r of rows) {
          const list = out.get(r.galaxy_cluster_id) ?? [];
          list.push(toElement(r));
          out.set(r.galaxy_cluster_id, list);
        }
      }
      return out;
    },
    clusterRelations: (ids, viewer) => relationsBy('r.galaxy_cluster_id', ids, viewer),
    targetingRelations: (ids, viewer) => relationsBy('r.referenced_galaxy_cluster_id', ids, viewer),
    async createCluster(row) {
      const r = await db.insertInto('galaxy_clusters').values(clusterValues(row)).returningAll().executeTakeFirstOrThrow();
      // MISP's afterSave: relations that were waiting for this uuid now point at the new cluster.
      await db.updateTable('galaxy_cluster_relations').set({ referenced_galaxy_cluster_id: r.id })
        .where('referenced_galaxy_cluster_uuid', '=', r.uuid).where('referenced_galaxy_cluster_id', '=', 0).execute();
      return toCluster(r);
    },
    async updateCluster(id, p) {
      const v: Record<string, unknown> = {};
      if (p.value !== undefined) v.value = p.value;
      if (p.description !== undefined) v.description = p.description;
      if (p.source !== undefined) v.source = p.source;
      if (p.authors !== undefined) v.authors = JSON.stringify(p.authors);
      if (p.version !== undefined) v.version = p.version;
      if (p.distribution !== undefined) v.distribution = p.distribution;
      if (p.sharingGroupId !== undefined) v.sharing_group_id = p.sharingGroupId;
      if (p.isDefault !== undefined) v.default = p.isDefault ? 1 : 0;
      if (p.published !== undefined) v.published = p.published ? 1 : 0;
      if (p.extendsVersion !== undefined) v.extends_version = p.extendsVersion;
      if (p.deleted !== undefined) v.deleted = p.deleted ? 1 : 0;
      if (Object.keys(v).length) await db.updateTable('galaxy_clusters').set(v).where('id', '=', id).execute();
    },
    async deleteCluster(id) {
      await store.deleteClusters([id]);
    },
    async replaceElements(clusterId, elements) {
      await db.deleteFrom('galaxy_elements').where('galaxy_cluster_id', '=', clusterId).execute();
      await store.insertElements(elements.map((e) => ({ clusterId, key: e.key, value: e.value })));
    },
    async findRelationByKey(clusterUuid, referencedUuid, type) {
      const r = await db.selectFrom('galaxy_cluster_relations').select('id').where('galaxy_cluster_uuid', '=', clusterUuid)
        .where('referenced_galaxy_cluster_uuid', '=', referencedUuid).where('referenced_galaxy_cluster_type', '=', type)
        .orderBy('id').executeTakeFirst();
      return r ? store.findRelation(r.id, { siteAdmin: true }) : undefined;
    },
    async findRelation(id, viewer) {
      const r = await db.selectFrom('galaxy_cluster_relations as r').innerJoin('galaxy_clusters as sc', 'sc.id', 'r.galaxy_cluster_id')
        .select('r.galaxy_cluster_id').where('r.id', '=', id).where((eb) => relationVisible(eb, viewer)).executeTakeFirst();
      if (!r) return undefined;
      return (await relationsBy('r.galaxy_cluster_id', [r.galaxy_cluster_id], viewer)).get(r.galaxy_cluster_id)?.find((x) => x.id === id);
    },
    async findRelations(filter, viewer) {
      let q = db.selectFrom('galaxy_cluster_relations as r').innerJoin('galaxy_clusters as sc', 'sc.id', 'r.galaxy_cluster_id')
        .leftJoin('galaxy_clusters as tc', 'tc.id', 'r.referenced_galaxy_cluster_id')
        .selectAll('r').where((eb) => relationVisible(eb, viewer));
      if (filter.ids) q = q.where('r.id', 'in', filter.ids.length ? [...filter.ids] : [-1]);
      if (filter.isDefault !== undefined) q = q.where('r.default', '=', filter.isDefault ? 1 : 0);
      if (filter.search) {
        const p = `%${filter.search}%`;
        q = q.where((eb) => eb.or([
          dialect.ilike(sql.ref('r.referenced_galaxy_cluster_type'), p), dialect.ilike(sql.ref('tc.value'), p),
          dialect.ilike(sql.ref('tc.tag_name'), p), dialect.ilike(sql.ref('sc.value'), p), dialect.ilike(sql.ref('sc.tag_name'), p),
        ]));
      }
      q = q.orderBy('r.id');
      if (filter.limit !== undefined) q = q.limit(filter.limit).offset(((filter.page ?? 1) - 1) * filter.limit);
      return withTags(await q.execute());
    },
    async saveRelation(row, id) {
      if (id !== undefined) {
        await db.updateTable('galaxy_cluster_relations').set(relationValues(row)).where('id', '=', id).execute();
        return id;
      }
      const r = await db.insertInto('galaxy_cluster_relations').values(relationValues(row)).returning('id').executeTakeFirstOrThrow();
      return r.id;
    },
    async deleteRelation(id) {
      await db.deleteFrom('galaxy_cluster_relation_tags').where('galaxy_cluster_relation_id', '=', id).execute();
      await db.deleteFrom('galaxy_cluster_relations').where('id', '=', id).execute();
    },
    async addRelationTags(relationId, tagIds) {
      const existing = new Set((await db.selectFrom('galaxy_cluster_relation_tags').select('tag_id')
        .where('galaxy_cluster_relation_id', '=', relationId).execute()).map((r) => r.tag_id));
      const fresh = [...new Set(tagIds)].filter((t) => !existing.has(t));
      if (fresh.length) await store.insertRelationTags(fresh.map((tagId) => ({ relationId, tagId })));
    },
    async replaceRelationTags(relationId, tagIds) {
      await db.deleteFrom('galaxy_cluster_relation_tags').where('galaxy_cluster_relation_id', '=', relationId).execute();
      await store.insertRelationTags([...new Set(tagIds)].map((tagId) => ({ relationId, tagId })));
    },
    async clusterIdByUuid(uuid) {
      const r = await db.selectFrom('galaxy_clusters').select('id').where('uuid', '=', uuid.toLowerCase()).orderBy('id').executeTakeFirst();
      return r?.id;
    },

    async defaultClusterHeads(galaxyId) {
      const rows = await db.selectFrom('galaxy_clusters').select(['id', 'uuid', 'value', 'version'])
        .where('galaxy_id', '=', galaxyId).where('default', '=', 1).orderBy('id').execute();
      return rows.map((r) => ({ id: r.id, uuid: r.uuid, value: r.value, version: Number(r.version) }));
    },
    async deleteClusters(ids) {
      for (const part of chunks([...new Set(ids)], idChunk)) {
        // Children first: a database opened without foreign keys enforced would otherwise keep orphans.
        await db.deleteFrom('galaxy_cluster_relation_tags').where('galaxy_cluster_relation_id', 'in',
          db.selectFrom('galaxy_cluster_relations').select('id').where('galaxy_cluster_id', 'in', part)).execute();
        await db.deleteFrom('galaxy_cluster_relations').where('galaxy_cluster_id', 'in', part).execute();
        await db.deleteFrom('galaxy_elements').where('galaxy_cluster_id', 'in', part).execute();
        await db.updateTable('galaxy_cluster_relations').set({ referenced_galaxy_cluster_id: 0 })
          .where('referenced_galaxy_cluster_id', 'in', part).execute();
        await db.deleteFrom('galaxy_clusters').where('id', 'in', part).execute();
      }
    },
    async wipeDefaultClusters() {
      // Set-based, like GalaxyCluster::wipe_default: five statements whatever the number of clusters.
      const defaults = db.selectFrom('galaxy_clusters').select('id').where('default', '=', 1);
      await db.deleteFrom('galaxy_cluster_relation_tags').where('galaxy_cluster_relation_id', 'in',
        db.selectFrom('galaxy_cluster_relations').select('id').where('galaxy_cluster_id', 'in', defaults)).execute();
      await db.deleteFrom('galaxy_cluster_relations').where('galaxy_cluster_id', 'in', defaults).execute();
      await db.deleteFrom('galaxy_elements').where('galaxy_cluster_id', 'in', defaults).execute();
      await db.updateTable('galaxy_cluster_relations').set({ referenced_galaxy_cluster_id: 0 })
        .where('referenced_galaxy_cluster_id', 'in', defaults).execute();
      const r = await db.deleteFrom('galaxy_clusters').where('default', '=', 1).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    async insertClusters(rows) {
      if (rows.length === 0) return [];
      const withId = rows[0]!.id !== undefined;
      const values = rows.map(clusterValues);
      const columns = withId ? [{ name: 'id', type: 'int4' } as const, ...CLUSTER_BULK] : CLUSTER_BULK;
      const returned = await bulkInsert(dialect, db, 'galaxy_clusters', columns,
        values.map((v) => columns.map((c) => (v as Record<string, unknown>)[c.name])), ['id', 'uuid', 'value']);
      const key = (uuid: unknown, value: unknown) => `${String(uuid)}\u0000${String(value)}`;
      return idsInInputOrder(rows, returned as { id: number; uuid: string; value: string }[], (x) => key(x.uuid, x.value), (r) => key(r.uuid, r.value));
    },
    async insertElements(rows) {
      await bulkInsert(dialect, db, 'galaxy_elements', ELEMENT_BULK, rows.map((e) => [e.clusterId, e.key, e.value]));
    },
    async insertRelations(rows) {
      const values = rows.map(relationValues);
      const returned = await bulkInsert(dialect, db, 'galaxy_cluster_relations', RELATION_BULK,
        values.map((v) => RELATION_BULK.map((c) => (v as Record<string, unknown>)[c.name])),
        ['id', 'galaxy_cluster_id', 'referenced_galaxy_cluster_uuid', 'referenced_galaxy_cluster_type']);
      const key = (c: unknown, u: unknown, t: unknown) => `${String(c)}\u0000${String(u)}\u0000${String(t)}`;
      return idsInInputOrder(rows, returned as { id: number; galaxy_cluster_id: number; referenced_galaxy_cluster_uuid: string; referenced_galaxy_cluster_type: string }[],
        (x) => key(x.clusterId, x.referencedUuid, x.referencedType),
        (r) => key(r.galaxy_cluster_id, r.referenced_galaxy_cluster_uuid, r.referenced_galaxy_cluster_type));
    },
    async insertRelationTags(rows) {
      await bulkInsert(dialect, db, 'galaxy_cluster_relation_tags', RELATION_TAG_BULK, rows.map((r) => [r.relationId, r.tagId]));
    },
    async clusterIdsByUuid() {
      const rows = await db.selectFrom('galaxy_clusters').select(['uuid', (eb) => eb.fn.min<number>('id').as('id')]).groupBy('uuid').execute();
      return new Map(rows.map((r) => [r.uuid, Number(r.id)]));
    },
    async resolveRelationTargets() {
      // UPDATE … FROM an aggregated join (PostgreSQL, SQLite ≥ 3.33): one hash join instead of a sub-select per row,
      // which the planner of a freshly loaded table may run as 60,000 sequential scans.
      await sql`update galaxy_cluster_relations set referenced_galaxy_cluster_id = t.id
        from (select uuid, min(id) as id from galaxy_clusters group by uuid) as t
        where galaxy_cluster_relations.referenced_galaxy_cluster_id = 0
        and t.uuid = galaxy_cluster_relations.referenced_galaxy_cluster_uuid`.execute(db);
      // Fresh planner statistics after a bulk load (same statement on both databases).
      await sql`analyze galaxy_clusters`.execute(db);
      await sql`analyze galaxy_cluster_relations`.execute(db);
      // Without fresh statistics PostgreSQL guesses galaxy_elements tiny and answers a synonym search with a
      // sequential ILIKE over every element (~0.6 s) instead of the cluster index.
      await sql`analyze galaxy_elements`.execute(db);
    },
    async totals() {
      const count = async (t: 'galaxies' | 'galaxy_clusters' | 'galaxy_elements' | 'galaxy_cluster_relations') =>
        Number((await db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      return {
        galaxies: await count('galaxies'), clusters: await count('galaxy_clusters'),
        elements: await count('galaxy_elements'), relations: await count('galaxy_cluster_relations'),
      };
    },
  };
  return store;
}
