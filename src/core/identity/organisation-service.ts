import type { RequestContext } from '../context.js';
import { notAllowed, notFound, saveFailed } from '../errors.js';
import { datetime } from '../misp-format/scalars.js';
import type { Organisation } from '../model/organisation.js';
import type { OrganisationPatch } from '../ports/identity-store.js';
import type { Stores } from '../ports/stores.js';
import { isUuid, newUuid } from '../util/uuid.js';
import { readOrganisationInput } from './organisation-input.js';
import { auditAdd, auditDelete, auditEdit } from '../audit/audit-record.js';
import { toMispOrganisation } from '../misp-format/identity-json.js';

/** Organisations (spec §2.10, §3.9; OrganisationsController, Organisation model). */
const INVALID_ORG = 'Invalid organisation';

export interface OrganisationRow {
  readonly org: Organisation;
  readonly userCount: number;
  /** Set for site admins (and org admins viewing their own organisation); others do not see `created_by` at all. */
  readonly creatorEmail?: string;
  readonly showCreator: boolean;
}

/** organisations/view takes an id, a uuid or a name; edit and delete an id or a uuid. */
function refOf(raw: string | undefined, allowName: boolean): { id: number } | { uuid: string } | { name: string } | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (/^\d+$/.test(raw)) return { id: Number(raw) };
  if (isUuid(raw)) return { uuid: raw.toLowerCase() };
  return allowName ? { name: raw } : undefined;
}

/**
 * Organisation::canSee. With `Security.hide_organisation_index_from_users`, MISP also shows organisations
 * whose events the user can see; Cairn shows only the user's own then (stricter, never leakier).
 */
function canSee(ctx: RequestContext, orgId: number): boolean {
  const { actor, settings } = ctx;
  if (actor.isSiteAdmin || actor.user.orgId === orgId) return true;
  return !settings.bool('Security.hide_organisation_index_from_users') || actor.role.perms.perm_sharing_group;
}

async function toRows(ctx: RequestContext, stores: Stores, orgs: Organisation[], fullAccess: (o: Organisation) => boolean): Promise<OrganisationRow[]> {
  const counts = await stores.identity.countUsersByOrg(orgs.map((o) => o.id));
  const creators = orgs.filter(fullAccess).map((o) => o.createdBy);
  const emails = new Map((await stores.identity.findUsers(creators)).map((u) => [u.id, u.email]));
  return orgs.map((org) => {
    const showCreator = fullAccess(org);
    return {
      org, userCount: counts.get(org.id) ?? 0, showCreator,
      ...(showCreator ? { creatorEmail: emails.get(org.createdBy) ?? (ctx.actor.isSiteAdmin ? 'Unknown' : undefined) } : {}),
    };
  });
}

/** organisations/index/scope:{local|external|all}[/searchall:x], ordered by name. */
export async function listOrganisations(ctx: RequestContext, stores: Stores, q: { scope?: string; search?: string }): Promise<OrganisationRow[]> {
  const scope = q.scope ?? 'local';
  const local = scope === 'all' ? undefined : scope !== 'external';
  const orgs = (await stores.identity.listOrganisations({ ...(local !== undefined ? { local } : {}), ...(q.search ? { search: q.search } : {}) }))
    .filter((o) => canSee(ctx, o.id));
  return toRows(ctx, stores, orgs, () => ctx.actor.isSiteAdmin);
}

async function findVisible(ctx: RequestContext, stores: Stores, raw: string | undefined): Promise<Organisation | undefined> {
  const ref = refOf(raw, true);
  const org = ref && (await stores.identity.findOrganisation(ref));
  return org && canSee(ctx, org.id) ? org : undefined;
}

/** organisations/view/{id|uuid|name}. */
export async function viewOrganisation(ctx: RequestContext, stores: Stores, raw: string | undefined): Promise<OrganisationRow> {
  const org = await findVisible(ctx, stores, raw);
  if (!org) throw notFound(INVALID_ORG);
  const { actor } = ctx;
  const full = actor.isSiteAdmin || (actor.role.perms.perm_admin && actor.user.orgId === org.id);
  const [row] = await toRows(ctx, stores, [org], () => full);
  return row!;
}

/** HEAD organisations/view/{…}: exists and visible (PyMISP organisation_exists). */
export async function organisationExists(ctx: RequestContext, stores: Stores, raw: string | undefined): Promise<boolean> {
  return (await findVisible(ctx, stores, raw)) !== undefined;
}

/** admin/organisations/add: name and uuid unique; REST adds are local unless told otherwise. */
export async function addOrganisation(ctx: RequestContext, stores: Stores, body: unknown): Promise<Organisation> {
  const { input, errors } = readOrganisationInput(body);
  if (!input.name) (errors.name ??= []).push('Name cannot be empty.');
  else if (await stores.identity.findOrganisation({ name: input.name })) (errors.name ??= []).push('An organisation with this name already exists.');
  if (input.uuid && (await stores.identity.findOrganisation({ uuid: input.uuid }))) {
    (errors.uuid ??= []).push('An organisation with this UUID already exists.');
  }
  if (Object.keys(errors).length) throw saveFailed('Could not add Organisation', errors);
  const org = await stores.identity.createOrganisation({
    ...input, uuid: input.uuid ?? newUuid(), name: input.name!, local: input.local ?? true, createdBy: ctx.actor.user.id,
    nationality: input.nationality ?? '',
  }, datetime(ctx.now));
  await auditAdd(ctx, stores, 'Organisation', org.id, org.name, toMispOrganisation(org));
  return org;
}

async function findForAdmin(stores: Stores, raw: string | undefined): Promise<Organisation> {
  const ref = refOf(raw, false);
  const org = ref && (await stores.identity.findOrganisation(ref));
  if (!org) throw notFound(INVALID_ORG);
  return org;
}

/** admin/organisations/edit/{id|uuid}: only MISP's $changeFields; absent fields keep their value. */
export async function editOrganisation(ctx: RequestContext, stores: Stores, raw: string | undefined, body: unknown): Promise<Organisation> {
  const org = await findForAdmin(stores, raw);
  const { input, errors } = readOrganisationInput(body);
  if (input.name !== undefined) {
    const clash = input.name === '' ? undefined : await stores.identity.findOrganisation({ name: input.name });
    if (input.name === '') (errors.name ??= []).push('Name cannot be empty.');
    else if (clash && clash.id !== org.id) (errors.name ??= []).push('An organisation with this name already exists.');
  }
  if (input.uuid !== undefined) {
    const clash = await stores.identity.findOrganisation({ uuid: input.uuid });
    if (clash && clash.id !== org.id) (errors.uuid ??= []).push('An organisation with this UUID already exists.');
  }
  if (Object.keys(errors).length) throw saveFailed('Could not edit Organisation', errors);
  const { landingpage: _landing, ...rest } = input;
  const patch: OrganisationPatch = rest;
  const updated = await stores.identity.updateOrganisation(org.id, patch, datetime(ctx.now));
  await auditEdit(ctx, stores, 'Organisation', org.id, updated.name, toMispOrganisation(org), toMispOrganisation(updated));
  return updated;
}

/** admin/organisations/delete/{id|uuid}: refused while users or events still belong to it (Organisation::beforeDelete). */
export async function deleteOrganisation(ctx: RequestContext, stores: Stores, raw: string | undefined): Promise<number> {
  const org = await findForAdmin(stores, raw);
  if (org.id === ctx.settings.num('MISP.host_org_id')) throw notAllowed('The host organisation cannot be deleted.');
  const users = (await stores.identity.countUsersByOrg([org.id])).get(org.id) ?? 0;
  if (users > 0 || (await stores.identity.countOrganisationEvents(org.id)) > 0) {
    throw saveFailed('Could not delete Organisation',
      'Organisation could not be deleted. Make sure that there are no users or events still tied to this organisation before deleting it.',
      { id: org.id });
  }
  await auditDelete(ctx, stores, 'Organisation', org.id, org.name, toMispOrganisation(org));
  await stores.identity.deleteOrganisation(org.id);
  return org.id;
}
