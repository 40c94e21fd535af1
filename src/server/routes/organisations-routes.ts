import {
  addOrganisation, deleteOrganisation, editOrganisation, listOrganisations, organisationExists, viewOrganisation,
} from '../../core/identity/organisation-service.js';
import { toMispOrganisation, toMispOrganisationRow } from '../../core/misp-format/identity-json.js';
import { type ActionDef, controller, response, success } from '../action.js';
import type { AppDeps } from '../app-deps.js';

const ORG_FIELDS = ['name', 'description', 'type', 'nationality', 'sector', 'uuid', 'contacts', 'local', 'restricted_to_domain', 'landingpage'];
const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** OrganisationsController (spec §2.10, §3.9). */
export function organisationsActions(deps: AppDeps): ActionDef[] {
  const { storage } = deps;
  return controller('organisations', [
    {
      action: 'index', methods: ['GET'], acl: 'organisation_index',
      handler: async ({ ctx, named: n }) => {
        const search = one(n.searchall) ?? one(n.all) ?? one(n.quickFilter);
        const rows = await listOrganisations(ctx, storage, { scope: one(n.scope) ?? 'local', ...(search ? { search } : {}) });
        return rows.map((r) => ({ Organisation: toMispOrganisationRow(r.org, r) }));
      },
    },
    {
      action: 'view', methods: ['GET', 'HEAD'], acl: '*',
      handler: async ({ ctx, method, passed }) => {
        if (method === 'HEAD') return response((await organisationExists(ctx, storage, passed[0])) ? 200 : 404, undefined);
        const row = await viewOrganisation(ctx, storage, passed[0]);
        const { landingpage: _l, ...org } = toMispOrganisationRow(row.org, row);
        return { Organisation: org };
      },
    },
    {
      action: 'add', admin: true, methods: ['POST'], acl: 'SA',
      describe: { mandatory: ['name'], optional: ORG_FIELDS.filter((f) => f !== 'name') },
      handler: async ({ ctx, body }) => {
        const org = await storage.transaction((tx) => addOrganisation(ctx, tx, body));
        return { Organisation: toMispOrganisation(org) };
      },
    },
    {
      action: 'edit', admin: true, methods: ['POST', 'PUT'], acl: 'SA',
      describe: { mandatory: [], optional: ORG_FIELDS.filter((f) => f !== 'landingpage') },
      handler: async ({ ctx, passed, body }) => {
        const org = await storage.transaction((tx) => editOrganisation(ctx, tx, passed[0], body));
        return { Organisation: toMispOrganisation(org) };
      },
    },
    {
      action: 'delete', admin: true, methods: ['POST', 'DELETE'], acl: 'SA',
      handler: async ({ ctx, passed }) => {
        const id = await storage.transaction((tx) => deleteOrganisation(ctx, tx, passed[0]));
        return success('Organisation deleted', `/admin/organisations/delete/${id}`, id);
      },
    },
  ]);
}
