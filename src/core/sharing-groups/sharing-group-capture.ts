import type { RequestContext } from '../context.js';
import { saveFailed } from '../errors.js';
import { datetime } from '../misp-format/scalars.js';
import type {
  OrgReference, ServerReference, SharingGroupInput, SharingGroupOrgInput, SharingGroupServerInput,
} from '../misp-format/sharing-group-input.js';
import type { SharingGroupPatch } from '../ports/sharing-group-store.js';
import type { Stores } from '../ports/stores.js';
import { isUuid, newUuid } from '../util/uuid.js';
import { canUseSharingGroup } from './sharing-group-access.js';
import { LOCAL_SERVER_ID, type SharingGroup } from '../model/sharing-group.js';

/**
 * SharingGroup::captureSG (spec §6.6): creates a group from a body, or updates the known group with the same uuid,
 * then captures its member organisations (creating unknown ones) and servers (known URLs only; this instance's
 * base URL is server 0). sharingGroups/add and edit use it, and so will event add/push for groups that travel
 * with the data. Returns the group id, or undefined where MISP's captureSG returns false.
 */

export type CaptureStores = Pick<Stores, 'sharingGroups' | 'identity' | 'audit'>;

export interface CaptureOptions {
  /** The body arrived through a sync link (pull/push): the capturing org is added when not otherwise a member. */
  readonly viaSync?: boolean;
  /**
   * Fields an update may change. Sync keeps MISP's list; sharingGroups/edit adds `active`, which MISP's REST edit
   * silently ignores.
   */
  readonly updatable?: readonly (keyof SharingGroupPatch)[];
  /**
   * The caller already established SharingGroup::checkIfAuthorisedExtend (sharingGroups/edit), so the update is
   * applied. MISP 2.5.1's REST path compares a missing key there and so only ever lets site admins and sync users
   * update; Cairn applies the documented rule instead.
   */
  readonly editor?: boolean;
}

const SYNC_FIELDS: readonly (keyof SharingGroupPatch)[] = ['name', 'releasability', 'description', 'created', 'modified', 'roaming'];
export const NAME_TAKEN = 'A sharing group with this name already exists.';

/** `MISP.external_baseurl`, else `MISP.baseurl`: how this instance names itself in sharing groups (spec §2.10). */
export function localInstanceUrl(ctx: RequestContext): string {
  return ctx.settings.str('MISP.external_baseurl') || ctx.settings.str('MISP.baseurl') || ctx.baseUrl;
}

const trimSlash = (url: string): string => url.replace(/\/+$/, '');

function isLocalUrl(ctx: RequestContext, url: string): boolean {
  const own = [ctx.settings.str('MISP.baseurl'), ctx.settings.str('MISP.external_baseurl'), ctx.baseUrl].filter(Boolean).map(trimSlash);
  return own.includes(trimSlash(url));
}

/**
 * SharingGroup::captureSG. `input.uuid` of a known group updates it (when the actor may), otherwise a new group is
 * created; then listed members and servers are captured. Undefined where MISP answers "Could not save sharing group."
 */
export async function captureSharingGroup(
  ctx: RequestContext, stores: CaptureStores, input: SharingGroupInput, opts: CaptureOptions = {},
): Promise<number | undefined> {
  const existing = input.uuid ? await stores.sharingGroups.find({ uuid: input.uuid }) : undefined;
  let id: number;
  if (!existing) {
    if (!ctx.actor.role.perms.perm_sharing_group && !ctx.actor.isSiteAdmin) return undefined;
    const created = await captureNew(ctx, stores, input);
    if (created === undefined) return undefined;
    id = created;
  } else {
    const outcome = await captureExisting(ctx, stores, existing, input, opts);
    if (outcome === 'denied') return undefined;
    if (outcome === 'kept') return existing.id;
    id = existing.id;
  }
  const orgListed = await captureOrgs(ctx, stores, id, input.orgs ?? []);
  const allLocalOrgs = await captureServers(ctx, stores, id, input.servers ?? []);
  // SharingGroup::captureCreatorOrg: what was pulled must stay visible to the org that pulled it
  if (!orgListed && !allLocalOrgs && opts.viaSync) await addOrgOnce(stores, id, ctx.actor.org.id, false);
  return id;
}

/**
 * SharingGroup::checkIfAuthorisedToSave for a group not known here: site admins; otherwise perm_sharing_group and
 * the actor's org listed with `extend` (or any listing for sync users, or the local instance with all_orgs), and,
 * when servers are listed, this instance among them.
 */
function mayCreate(ctx: RequestContext, input: SharingGroupInput): boolean {
  const { actor } = ctx;
  if (actor.isSiteAdmin) return true;
  if (!actor.role.perms.perm_sharing_group) return false;
  const sync = actor.role.perms.perm_sync;
  let orgOk = (input.orgs ?? []).some((m) => m.org.uuid === actor.org.uuid && (sync || m.extend));
  let serverOk = (input.servers ?? []).length === 0;
  for (const s of input.servers ?? []) {
    if (s.server.url !== undefined && isLocalUrl(ctx, s.server.url)) {
      serverOk = true;
      if (sync && s.allOrgs) orgOk = true;
    }
  }
  return orgOk && serverOk;
}

/** SharingGroup::captureSGNew. REST adds are stored as MISP stores them: `local` 0, the adding user as sync user. */
async function captureNew(ctx: RequestContext, stores: CaptureStores, input: SharingGroupInput): Promise<number | undefined> {
  if (!mayCreate(ctx, input) || !input.name) return undefined;
  if (input.uuid !== undefined && !isUuid(input.uuid)) return undefined;
  const { actor } = ctx;
  const orgId = actor.role.perms.perm_sync ? await ownerOfCaptured(ctx, stores, input) : actor.org.id;
  if (!orgId) return undefined;
  const now = datetime(ctx.now);
  const sg = await stores.sharingGroups.create({
    uuid: input.uuid ?? newUuid(), name: await freeName(stores, input.name), releasability: input.releasability ?? '',
    description: input.description ?? '', organisationUuid: input.organisationUuid ?? actor.org.uuid, orgId,
    syncUserId: actor.user.id, active: input.active ?? true, created: input.created ?? now, modified: now,
    local: false, roaming: input.roaming ?? false,
  });
  await stores.audit.record(ctx, { action: 'add', model: 'SharingGroup', modelId: sg.id, modelTitle: sg.name, change: { name: sg.name, uuid: sg.uuid } });
  return sg.id;
}

/** SharingGroup::beforeValidate: a new group whose name is taken gets `_<0–9999>` appended instead of failing. */
async function freeName(stores: CaptureStores, name: string): Promise<string> {
  let candidate = name;
  while (await stores.sharingGroups.findByName(candidate)) candidate = `${name}_${Math.floor(Math.random() * 10_000)}`;
  return candidate;
}

/** SharingGroup::__retrieveOrgIdFromCapturedSG: a sync user's new group keeps the owner org it names. */
async function ownerOfCaptured(ctx: RequestContext, stores: CaptureStores, input: SharingGroupInput): Promise<number | undefined> {
  if (input.owner) return captureOrg(ctx, stores, input.owner);
  if (!input.orgs) return ctx.actor.org.id;
  for (const m of input.orgs) {
    if (input.organisationUuid === undefined) return ctx.actor.org.id;
    if (m.org.uuid === input.organisationUuid) return captureOrg(ctx, stores, m.org);
  }
  return undefined;
}

/**
 * SharingGroup::captureSGExisting: 'updated' = fields changed, go on capturing members; 'kept' = the caller may use
 * the group but nothing changes; 'denied' = not authorised.
 */
async function captureExisting(
  ctx: RequestContext, stores: CaptureStores, sg: SharingGroup, input: SharingGroupInput, opts: CaptureOptions,
): Promise<'updated' | 'kept' | 'denied'> {
  const { actor } = ctx;
  const [detail] = await stores.sharingGroups.loadMany({ ids: [sg.id] });
  if (!detail || (!canUseSharingGroup(actor, detail) && !actor.role.perms.perm_sync)) return 'denied';
  if (input.modified !== undefined && input.modified <= sg.modified) return 'kept';
  const bySync = actor.role.perms.perm_sync && !sg.local;
  const byOwner = !actor.role.perms.perm_sync && sg.orgId === actor.org.id;
  if (!(bySync || byOwner || actor.isSiteAdmin || opts.editor)) return 'kept';
  const patch: Record<string, unknown> = {};
  for (const field of opts.updatable ?? SYNC_FIELDS) if (input[field] !== undefined) patch[field] = input[field];
  // SharingGroup::beforeValidate stamps every save, whatever `modified` the body carried
  patch.modified = datetime(ctx.now);
  if (typeof patch.name === 'string') {
    const clash = patch.name === '' ? undefined : await stores.sharingGroups.findByName(patch.name);
    if (patch.name === '') throw saveFailed('Could not add SharingGroup', { name: ['This field cannot be left empty.'] });
    if (clash && clash.id !== sg.id) throw saveFailed('Could not add SharingGroup', { name: [NAME_TAKEN] });
  }
  await stores.sharingGroups.update(sg.id, patch as SharingGroupPatch);
  const changed = Object.fromEntries(Object.entries(patch).map(([k, v]) => [k, [sg[k as keyof SharingGroup], v]]));
  await stores.audit.record(ctx, { action: 'edit', model: 'SharingGroup', modelId: sg.id, modelTitle: sg.name, change: changed });
  return 'updated';
}

/**
 * Organisation::captureOrg: by uuid, else by name (else, Cairn only, by local id); an unknown organisation is
 * created as non-local, renamed `<name>_<n>` when only its name clashes.
 */
export async function captureOrg(ctx: RequestContext, stores: CaptureStores, ref: OrgReference): Promise<number | undefined> {
  if (ref.uuid) {
    const known = await stores.sharingGroups.findOrganisation({ uuid: ref.uuid });
    if (known) return known.id;
  } else if (ref.name) {
    const known = await stores.sharingGroups.findOrganisation({ name: ref.name });
    if (known) return known.id;
  } else {
    return ref.id === undefined ? undefined : (await stores.sharingGroups.findOrganisation({ id: ref.id }))?.id;
  }
  if (!ref.name) return undefined;
  let name = ref.name;
  if (ref.uuid) while (await stores.identity.findOrganisation({ name })) name = `${ref.name}_${Math.floor(Math.random() * 10_000)}`;
  const org = await stores.identity.createOrganisation({
    uuid: ref.uuid && isUuid(ref.uuid) ? ref.uuid : newUuid(), name, local: false, createdBy: ctx.actor.user.id,
  }, datetime(ctx.now));
  return org.id;
}

/**
 * Server::captureServer: this instance's base URL is server 0, a known URL its server; unknown servers are
 * skipped (MISP never creates sync links from data). Without a URL, Cairn also resolves a name or an id.
 */
export async function captureServer(ctx: RequestContext, stores: CaptureStores, ref: ServerReference): Promise<number | undefined> {
  if (ref.url !== undefined) {
    if (isLocalUrl(ctx, ref.url)) return LOCAL_SERVER_ID;
    return (await stores.sharingGroups.findServer({ url: ref.url }))?.id;
  }
  if (ref.name !== undefined) return (await stores.sharingGroups.findServer({ nameOrUrl: ref.name }))?.id;
  if (ref.id === LOCAL_SERVER_ID) return LOCAL_SERVER_ID;
  return ref.id === undefined ? undefined : (await stores.sharingGroups.findServer({ id: ref.id }))?.id;
}

async function addOrgOnce(stores: CaptureStores, sgId: number, orgId: number, extend: boolean): Promise<void> {
  const [sg] = await stores.sharingGroups.loadMany({ ids: [sgId] });
  if (sg && !sg.orgs.some((o) => o.orgId === orgId)) await stores.sharingGroups.addOrg(sgId, orgId, extend);
}

/**
 * SharingGroup::captureSGOrgs: adds listed organisations that are not members yet and updates `extend` on those
 * that are; members missing from the list stay (capture never removes). True when the actor's org is listed.
 */
async function captureOrgs(ctx: RequestContext, stores: CaptureStores, sgId: number, members: readonly SharingGroupOrgInput[]): Promise<boolean> {
  if (members.length === 0) return false;
  let creatorFound = false;
  const [sg] = await stores.sharingGroups.loadMany({ ids: [sgId] });
  const links = new Map((sg?.orgs ?? []).map((l) => [l.orgId, l]));
  for (const m of members) {
    const orgId = await captureOrg(ctx, stores, m.org);
    if (orgId === undefined) continue;
    if (orgId === ctx.actor.org.id) creatorFound = true;
    const link = links.get(orgId);
    if (!link) {
      await stores.sharingGroups.addOrg(sgId, orgId, m.extend);
      links.set(orgId, { id: 0, sharingGroupId: sgId, orgId, extend: m.extend, org: null });
    } else if (link.id !== 0 && link.extend !== m.extend) {
      await stores.sharingGroups.setOrgExtend(link.id, m.extend);
    }
  }
  return creatorFound;
}

/**
 * SharingGroup::captureSGServers: like the orgs, for servers known here. True when this instance is listed with
 * all_orgs (then every local org, the actor's included, is a member).
 */
async function captureServers(ctx: RequestContext, stores: CaptureStores, sgId: number, members: readonly SharingGroupServerInput[]): Promise<boolean> {
  if (members.length === 0) return false;
  let creatorFound = false;
  const [sg] = await stores.sharingGroups.loadMany({ ids: [sgId] });
  const links = new Map((sg?.servers ?? []).map((l) => [l.serverId, l]));
  for (const m of members) {
    const serverId = await captureServer(ctx, stores, m.server);
    if (serverId === undefined) continue;
    if (serverId === LOCAL_SERVER_ID && m.allOrgs) creatorFound = true;
    const link = links.get(serverId);
    if (!link) {
      await stores.sharingGroups.addServer(sgId, serverId, m.allOrgs);
      links.set(serverId, { id: 0, sharingGroupId: sgId, serverId, allOrgs: m.allOrgs, server: null });
    } else if (link.id !== 0 && link.allOrgs !== m.allOrgs) {
      await stores.sharingGroups.setServerAllOrgs(link.id, m.allOrgs);
    }
  }
  return creatorFound;
}
