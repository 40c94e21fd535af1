import { type Kysely, sql } from 'kysely';
import type { NewOrganisation, OrganisationPatch, OrganisationQueries } from '../../core/ports/identity-store.js';
import { foldCase } from '../../core/util/fold-case.js';
import type { Database } from '../db-schema.js';
import type { Dialect } from '../dialect.js';
import { i, toOrganisation } from './identity-rows.js';

/** Columns organisations/index `searchall:` looks in (OrganisationsController::index). */
const SEARCH_COLUMNS = ['name', 'description', 'nationality', 'sector', 'type', 'contacts', 'restricted_to_domain', 'uuid'] as const;

function organisationRow(o: NewOrganisation, now: string) {
  return {
    uuid: o.uuid.toLowerCase(), name: o.name, date_created: now, date_modified: now,
    description: o.description ?? null, type: o.type ?? null, nationality: o.nationality ?? null,
    sector: o.sector ?? null, created_by: o.createdBy, contacts: o.contacts ?? null, local: i(o.local),
    restricted_to_domain: JSON.stringify(o.restrictedToDomain ?? []), landingpage: o.landingpage ?? null,
  };
}

export function createOrganisationQueries(db: Kysely<Database>, d: Dialect): OrganisationQueries {
  return {
    async findOrganisation(ref) {
      let q = db.selectFrom('organisations').selectAll();
      if ('id' in ref) q = q.where('id', '=', ref.id);
      else if ('uuid' in ref) q = q.where('uuid', '=', ref.uuid.toLowerCase());
      else q = q.where('name', '=', ref.name);
      const r = await q.executeTakeFirst();
      return r && toOrganisation(r);
    },

    async findOrganisations(ids) {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('organisations').selectAll().where('id', 'in', [...new Set(ids)]).execute();
      return rows.map(toOrganisation);
    },

    async listOrganisations({ local, search }) {
      let q = db.selectFrom('organisations').selectAll();
      if (local !== undefined) q = q.where('local', '=', i(local));
      if (search) {
        // folded on both sides: case-insensitive for every alphabet, on SQLite and PostgreSQL alike
        const pattern = `%${foldCase(search)}%`;
        q = q.where((e) => e.or(SEARCH_COLUMNS.map((c) => e(d.lower(sql.ref(c)), 'like', pattern))));
      }
      const rows = await q.orderBy(d.lower(sql.ref('name'))).orderBy('id').execute();
      return rows.map(toOrganisation);
    },

    async createOrganisation(o: NewOrganisation, now: string) {
      return toOrganisation(await db.insertInto('organisations').values(organisationRow(o, now)).returningAll().executeTakeFirstOrThrow());
    },

    async insertOrganisationIfNew(o: NewOrganisation, now: string) {
      // on PostgreSQL a conflicting insert of an open transaction waits for it, then does nothing if it committed
      const r = await db.insertInto('organisations').values(organisationRow(o, now)).onConflict((oc) => oc.doNothing())
        .returningAll().executeTakeFirst();
      return r && toOrganisation(r);
    },

    async updateOrganisation(id, p: OrganisationPatch, now) {
      const r = await db.updateTable('organisations').set({
        date_modified: now,
        ...(p.uuid !== undefined ? { uuid: p.uuid.toLowerCase() } : {}),
        ...(p.name !== undefined ? { name: p.name } : {}),
        ...(p.description !== undefined ? { description: p.description } : {}),
        ...(p.type !== undefined ? { type: p.type } : {}),
        ...(p.nationality !== undefined ? { nationality: p.nationality } : {}),
        ...(p.sector !== undefined ? { sector: p.sector } : {}),
        ...(p.contacts !== undefined ? { contacts: p.contacts } : {}),
        ...(p.local !== undefined ? { local: i(p.local) } : {}),
        ...(p.restrictedToDomain !== undefined ? { restricted_to_domain: JSON.stringify(p.restrictedToDomain) } : {}),
      }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
      return toOrganisation(r);
    },

    async countUsersByOrg(orgIds) {
      const out = new Map<number, number>(orgIds.map((id) => [id, 0]));
      if (orgIds.length === 0) return out;
      const rows = await db.selectFrom('users').select(['org_id', (e) => e.fn.countAll<number>().as('n')])
        .where('org_id', 'in', [...new Set(orgIds)]).groupBy('org_id').execute();
      for (const r of rows) out.set(r.org_id, Number(r.n));
      return out;
    },

    async countOrganisationEvents(orgId) {
      const r = await db.selectFrom('events').select((e) => e.fn.countAll<number>().as('n'))
        .where((e) => e.or([e('org_id', '=', orgId), e('orgc_id', '=', orgId)])).executeTakeFirstOrThrow();
      return Number(r.n);
    },

    async deleteOrganisation(id) {
      await db.deleteFrom('sharing_group_orgs').where('org_id', '=', id).execute();
      await db.deleteFrom('organisations').where('id', '=', id).execute();
    },
  };
}
