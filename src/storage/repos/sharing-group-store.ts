import { type Kysely, type Selectable, sql } from 'kysely';
import type { OrgSummary } from '../../core/model/event.js';
import { foldCase } from '../../core/util/fold-case.js';
import type { NewSharingGroup, SharingGroupPatch, SharingGroupStore } from '../../core/ports/sharing-group-store.js';
import type {
  SharingGroup, SharingGroupDetail, SharingGroupOrgLink, SharingGroupServerLink,
} from '../../core/model/sharing-group.js';
import type { Database, SharingGroupsTable } from '../db-schema.js';
import { chunks } from '../chunks.js';
import type { Dialect } from '../dialect.js';

/** Group ids per statement when loading members of many groups (well under every dialect's maxParams). */
const ID_CHUNK = 1000;

const i = (b: boolean): number => (b ? 1 : 0);

function toSharingGroup(r: Selectable<SharingGroupsTable>): SharingGroup {
  return {
    id: r.id, uuid: r.uuid, name: r.name, releasability: r.releasability, description: r.description,
    organisationUuid: r.organisation_uuid, orgId: r.org_id, syncUserId: r.sync_user_id, active: r.active === 1,
    created: r.created, modified: r.modified, local: r.local === 1, roaming: r.roaming === 1,
  };
}

const orgSummary = (r: { org_ref: number | null; org_name: string | null; org_uuid: string | null; org_local: number | null }): OrgSummary | null =>
  (r.org_ref === null ? null : { id: r.org_ref, name: r.org_name ?? '', uuid: r.org_uuid ?? '', local: r.org_local === 1 });

/** MISP orders groups by name under a case-insensitive collation; ties by id keep the order stable. */
const byName = (a: SharingGroup, b: SharingGroup): number => {
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a.id - b.id;
};

/** Kysely implementation of {@link SharingGroupStore}, one query form for SQLite and PostgreSQL. */
export function createSharingGroupStore(db: Kysely<Database>, d: Dialect): SharingGroupStore {
  async function groupRows(filter: { ids?: readonly number[]; active?: boolean }): Promise<SharingGroup[]> {
    const base = () => {
      let q = db.selectFrom('sharing_groups').selectAll();
      if (filter.active !== undefined) q = q.where('active', '=', i(filter.active));
      return q;
    };
    if (filter.ids === undefined) return (await base().execute()).map(toSharingGroup);
    const out: SharingGroup[] = [];
    for (const part of chunks([...new Set(filter.ids)], ID_CHUNK)) {
      out.push(...(await base().where('id', 'in', part).execute()).map(toSharingGroup));
    }
    return out;
  }

  async function orgLinks(ids: readonly number[]): Promise<SharingGroupOrgLink[]> {
    const out: SharingGroupOrgLink[] = [];
    for (const part of chunks(ids, ID_CHUNK)) {
      const rows = await db.selectFrom('sharing_group_orgs as l').leftJoin('organisations as o', 'o.id', 'l.org_id')
        .select(['l.id', 'l.sharing_group_id', 'l.org_id', 'l.extend', 'o.id as org_ref', 'o.name as org_name', 'o.uuid as org_uuid', 'o.local as org_local'])
        .where('l.sharing_group_id', 'in', part).orderBy('l.id').execute();
      for (const r of rows) {
        out.push({ id: r.id, sharingGroupId: r.sharing_group_id, orgId: r.org_id, extend: r.extend === 1, org: orgSummary(r) });
      }
    }
    return out;
  }

  async function serverLinks(ids: readonly number[]): Promise<SharingGroupServerLink[]> {
    const out: SharingGroupServerLink[] = [];
    for (const part of chunks(ids, ID_CHUNK)) {
      const rows = await db.selectFrom('sharing_group_servers as l').leftJoin('servers as s', 's.id', 'l.server_id')
        .select(['l.id', 'l.sharing_group_id', 'l.server_id', 'l.all_orgs', 's.id as server_ref', 's.name as server_name', 's.url as server_url'])
        .where('l.sharing_group_id', 'in', part).orderBy('l.id').execute();
      for (const r of rows) {
        const server = r.server_ref === null ? null : { id: r.server_ref, name: r.server_name ?? '', url: r.server_url ?? '' };
        out.push({ id: r.id, sharingGroupId: r.sharing_group_id, serverId: r.server_id, allOrgs: r.all_orgs === 1, server });
      }
    }
    return out;
  }

  async function owners(orgIds: readonly number[]): Promise<Map<number, OrgSummary>> {
    const out = new Map<number, OrgSummary>();
    for (const part of chunks([...new Set(orgIds)], ID_CHUNK)) {
      const rows = await db.selectFrom('organisations').select(['id', 'name', 'uuid', 'local']).where('id', 'in', part).execute();
      for (const r of rows) out.set(r.id, { id: r.id, name: r.name, uuid: r.uuid, local: r.local === 1 });
    }
    return out;
  }

  function group<T extends { sharingGroupId: number }>(links: readonly T[]): Map<number, T[]> {
    const out = new Map<number, T[]>();
    for (const l of links) {
      const list = out.get(l.sharingGroupId);
      if (list) list.push(l);
      else out.set(l.sharingGroupId, [l]);
    }
    return out;
  }

  return {
    async find(ref) {
      const q = db.selectFrom('sharing_groups').selectAll();
      const r = await ('id' in ref ? q.where('id', '=', ref.id) : q.where('uuid', '=', ref.uuid.toLowerCase())).executeTakeFirst();
      return r && toSharingGroup(r);
    },

    async findByName(name) {
      const r = await db.selectFrom('sharing_groups').selectAll()
        .where(d.lower(sql.ref('name')), '=', foldCase(name)).orderBy('id').executeTakeFirst();
      return r && toSharingGroup(r);
    },

    async loadMany(filter) {
      if (filter.ids?.length === 0) return [];
      const groups = (await groupRows(filter)).sort(byName);
      if (groups.length === 0) return [];
      const ids = groups.map((g) => g.id);
      const [orgs, servers, ownerOrgs] = await Promise.all([orgLinks(ids), serverLinks(ids), owners(groups.map((g) => g.orgId))]);
      const orgsBy = group(orgs);
      const serversBy = group(servers);
      return groups.map((g): SharingGroupDetail => ({
        ...g, owner: ownerOrgs.get(g.orgId) ?? null, orgs: orgsBy.get(g.id) ?? [], servers: serversBy.get(g.id) ?? [],
      }));
    },

    async create(sg: NewSharingGroup) {
      const r = await db.insertInto('sharing_groups').values({
        uuid: sg.uuid.toLowerCase(), name: sg.name, releasability: sg.releasability, description: sg.description,
        organisation_uuid: sg.organisationUuid, org_id: sg.orgId, sync_user_id: sg.syncUserId, active: i(sg.active),
        created: sg.created, modified: sg.modified, local: i(sg.local), roaming: i(sg.roaming),
      }).returningAll().executeTakeFirstOrThrow();
      return toSharingGroup(r);
    },

    async update(id, p: SharingGroupPatch) {
      const values = {
        ...(p.name !== undefined ? { name: p.name } : {}),
        ...(p.releasability !== undefined ? { releasability: p.releasability } : {}),
        ...(p.description !== undefined ? { description: p.description } : {}),
        ...(p.created !== undefined ? { created: p.created } : {}),
        ...(p.modified !== undefined ? { modified: p.modified } : {}),
        ...(p.roaming !== undefined ? { roaming: i(p.roaming) } : {}),
        ...(p.active !== undefined ? { active: i(p.active) } : {}),
      };
      if (Object.keys(values).length > 0) await db.updateTable('sharing_groups').set(values).where('id', '=', id).execute();
    },

    async delete(id) {
      // explicit child deletes: the cascade is declared, but this must not depend on SQLite's foreign_keys pragma
      await db.deleteFrom('sharing_group_orgs').where('sharing_group_id', '=', id).execute();
      await db.deleteFrom('sharing_group_servers').where('sharing_group_id', '=', id).execute();
      await db.deleteFrom('sharing_groups').where('id', '=', id).execute();
    },

    async isReferenced(id) {
      for (const table of ['events', 'attributes', 'objects'] as const) {
        const hit = await db.selectFrom(table).select('id').where('sharing_group_id', '=', id).limit(1).executeTakeFirst();
        if (hit) return true;
      }
      return false;
    },

    async addOrg(sharingGroupId, orgId, extend) {
      await db.insertInto('sharing_group_orgs').values({ sharing_group_id: sharingGroupId, org_id: orgId, extend: i(extend) }).execute();
    },
    async setOrgExtend(linkId, extend) {
      await db.updateTable('sharing_group_orgs').set({ extend: i(extend) }).where('id', '=', linkId).execute();
    },
    async removeOrg(linkId) {
      await db.deleteFrom('sharing_group_orgs').where('id', '=', linkId).execute();
    },
    async addServer(sharingGroupId, serverId, allOrgs) {
      await db.insertInto('sharing_group_servers').values({ sharing_group_id: sharingGroupId, server_id: serverId, all_orgs: i(allOrgs) }).execute();
    },
    async setServerAllOrgs(linkId, allOrgs) {
      await db.updateTable('sharing_group_servers').set({ all_orgs: i(allOrgs) }).where('id', '=', linkId).execute();
    },
    async removeServer(linkId) {
      await db.deleteFrom('sharing_group_servers').where('id', '=', linkId).execute();
    },

    async findOrganisation(ref) {
      let q = db.selectFrom('organisations').select(['id', 'name', 'uuid', 'local']);
      if ('id' in ref) q = q.where('id', '=', ref.id);
      else if ('uuid' in ref) q = q.where('uuid', '=', ref.uuid.toLowerCase());
      else q = q.where(d.lower(sql.ref('name')), '=', foldCase(ref.name));
      const r = await q.orderBy('id').executeTakeFirst();
      return r && { id: r.id, name: r.name, uuid: r.uuid, local: r.local === 1 };
    },

    async findServer(ref) {
      let q = db.selectFrom('servers').select(['id', 'name', 'url']);
      if ('id' in ref) q = q.where('id', '=', ref.id);
      else if ('url' in ref) q = q.where('url', '=', ref.url);
      else {
        const v = foldCase(ref.nameOrUrl);
        q = q.where((e) => e.or([e(d.lower(sql.ref('name')), '=', v), e(d.lower(sql.ref('url')), '=', v)]));
      }
      return q.orderBy('id').executeTakeFirst();
    },
  };
}
