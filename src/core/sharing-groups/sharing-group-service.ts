import type { RequestContext } from '../context.js';
import { notAllowed, notFound, saveFailed } from '../errors.js';
import type { OrgSummary } from '../model/event.js';
import type { Organisation } from '../model/organisation.js';
import { LOCAL_SERVER_ID, type SharingGroupDetail } from '../model/sharing-group.js';
import { readSharingGroupInput, type SharingGroupInput } from '../misp-format/sharing-group-input.js';
import type { Stores } from '../ports/stores.js';
import { parseRef } from '../util/uuid.js';
import {
  canExtendSharingGroup, canUseSharingGroup, isSharingGroupMember, isSharingGroupOwner, sharingGroupIndexFlags,
} from './sharing-group-access.js';
import { captureSharingGroup } from './sharing-group-capture.js';

/** sharingGroups/index, view, add, edit and delete (SharingGroupsController, spec §2.10, §3.9). */

export const NOT_VISIBLE = "Sharing group doesn't exist or you do not have permission to access it.";
const COULD_NOT_SAVE = 'Could not save sharing group.';

/** Security.hide_organisations_in_sharing_groups hides member lists from users without perm_sharing_group. */
export const showsMembers = (ctx: RequestContext): boolean =>
  ctx.actor.role.perms.perm_sharing_group || !ctx.settings.bool('Security.hide_organisations_in_sharing_groups');

/** The group by id or uuid with its members; undefined when absent or the reference is malformed. */
export async function loadSharingGroup(stores: Pick<Stores, 'sharingGroups'>, raw: unknown): Promise<SharingGroupDetail | undefined> {
  const ref = parseRef(raw);
  const sg = ref && (await stores.sharingGroups.find(ref));
  return sg && (await stores.sharingGroups.loadMany({ ids: [sg.id] }))[0];
}

/** What fetchAllAuthorised returns to the actor: a group it is a member of (site admins: any), else nothing. */
async function authorisedDetail(ctx: RequestContext, stores: Stores, id: number): Promise<SharingGroupDetail | undefined> {
  const [sg] = await stores.sharingGroups.loadMany({ ids: [id] });
  return sg && (ctx.actor.isSiteAdmin || isSharingGroupMember(ctx.actor.org.id, sg)) ? sg : undefined;
}

export interface SharingGroupIndexQuery {
  /** `index/true`: inactive groups instead of active ones. */
  readonly passive?: boolean;
  /** `value:`: substring of uuid, name, description, releasability, owner or member org. */
  readonly value?: string;
  /** `searchorg:`: `|`-separated orgs (id, uuid or name), `!` excludes. */
  readonly searchorg?: string;
  readonly limit?: number;
  readonly page?: number;
}

export interface SharingGroupIndexRow {
  readonly sg: SharingGroupDetail;
  readonly editable: boolean;
  readonly deletable: boolean;
}

const PAGE_SIZE = 60;
const MAX_PAGE_SIZE = 9999;

/**
 * sharingGroups/index: the groups the actor is a member of (site admins: all), active or passive, filtered, by name,
 * 60 a page like MISP's paginator.
 */
export async function listSharingGroups(ctx: RequestContext, stores: Stores, q: SharingGroupIndexQuery): Promise<SharingGroupIndexRow[]> {
  const { actor } = ctx;
  const ids = actor.isSiteAdmin ? undefined : await stores.eventReads.sharingGroupIdsOfOrg(actor.org.id);
  let groups = await stores.sharingGroups.loadMany({ ...(ids ? { ids } : {}), active: !q.passive });
  const showMembers = showsMembers(ctx);
  if (q.value) groups = groups.filter(matchesTerm(q.value.toLowerCase(), showMembers));
  if (q.searchorg && showMembers) groups = await filterByOrgs(stores, groups, q.searchorg);
  const limit = Math.min(q.limit && q.limit > 0 ? q.limit : PAGE_SIZE, MAX_PAGE_SIZE);
  const start = ((q.page && q.page > 0 ? q.page : 1) - 1) * limit;
  return groups.slice(start, start + limit).map((sg) => ({ sg, ...sharingGroupIndexFlags(actor, sg) }));
}

function matchesTerm(term: string, showMembers: boolean): (sg: SharingGroupDetail) => boolean {
  const has = (v: string | undefined) => v !== undefined && v.toLowerCase().includes(term);
  return (sg) => has(sg.uuid) || has(sg.name) || has(sg.description) || has(sg.releasability) || has(sg.owner?.name)
    || (showMembers && sg.orgs.some((l) => has(l.org?.uuid) || has(l.org?.name)));
}

/**
 * MISP's `searchorg` filter selects groups having a member row whose org is one of the included ones (if any) and
 * none of the excluded ones; names that resolve to no organisation are ignored.
 */
async function filterByOrgs(stores: Stores, groups: SharingGroupDetail[], raw: string): Promise<SharingGroupDetail[]> {
  const include = new Set<number>();
  const exclude = new Set<number>();
  for (const part of raw.split('|')) {
    const negate = part.startsWith('!');
    const org = await fetchOrg(stores, negate ? part.slice(1) : part);
    if (org) (negate ? exclude : include).add(org.id);
  }
  return groups.filter((sg) => sg.orgs.some((l) => !exclude.has(l.orgId) && (include.size === 0 || include.has(l.orgId))));
}

/** Organisation::fetchOrg: a numeric id, a uuid, or a name compared case-insensitively. */
export async function fetchOrg(stores: Pick<Stores, 'sharingGroups'>, raw: unknown): Promise<OrgSummary | undefined> {
  const v = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  if (v === '' || v === '0') return undefined;
  const ref = parseRef(v);
  if (ref) return stores.sharingGroups.findOrganisation(ref);
  return /^\d+$/.test(v) ? undefined : stores.sharingGroups.findOrganisation({ name: v });
}

export interface SharingGroupView {
  readonly sg: SharingGroupDetail;
  readonly owner: Organisation | undefined;
  /** Set when the group has a sync user: that user's org, or null when the user no longer exists. */
  readonly syncOrg?: OrgSummary | null;
  readonly showMembers: boolean;
}

/** sharing_groups/view/{id|uuid}: SharingGroup::checkIfAuthorised (site admin, owner org or member), else 405. */
export async function viewSharingGroup(ctx: RequestContext, stores: Stores, raw: unknown): Promise<SharingGroupView> {
  const sg = await loadSharingGroup(stores, raw);
  if (!sg || !canUseSharingGroup(ctx.actor, sg)) throw notAllowed(NOT_VISIBLE);
  const owner = await stores.identity.findOrganisation({ id: sg.orgId });
  const view: SharingGroupView = { sg, owner, showMembers: showsMembers(ctx) };
  if (!sg.syncUserId) return view;
  const user = await stores.identity.findUser({ id: sg.syncUserId });
  const org = user && (await stores.sharingGroups.findOrganisation({ id: user.orgId }));
  return { ...view, syncOrg: org ?? null };
}

/** HEAD sharing_groups/view/{id|uuid} (PyMISP sharing_group_exists). */
export async function sharingGroupExists(ctx: RequestContext, stores: Stores, raw: unknown): Promise<boolean> {
  const sg = await loadSharingGroup(stores, raw);
  return sg !== undefined && canUseSharingGroup(ctx.actor, sg);
}

/**
 * sharingGroups/add (REST): SharingGroup::captureSG, then the local-instance row (server 0, all_orgs 0) unless the
 * group roams or lists servers. Site admins' groups start without members, as on MISP. MISP refuses a non-admin
 * whose own org is not listed with `extend`; Cairn lists it with `extend` instead, as MISP's UI form does.
 * Answers the group as fetchAllAuthorised shows it, or undefined when the actor is not a member (MISP: `[]`).
 */
export async function addSharingGroup(ctx: RequestContext, stores: Stores, body: unknown): Promise<SharingGroupDetail | undefined> {
  const input = readSharingGroupInput(body);
  const known = input.uuid ? await stores.sharingGroups.find({ uuid: input.uuid }) : undefined;
  const id = await captureSharingGroup(ctx, stores, known ? input : withCreatorOrg(ctx, input));
  if (id === undefined) throw saveFailed('Could not add SharingGroup', COULD_NOT_SAVE);
  if (!input.roaming && !input.servers?.length) {
    const [sg] = await stores.sharingGroups.loadMany({ ids: [id] });
    if (sg && !sg.servers.some((l) => l.serverId === LOCAL_SERVER_ID)) await stores.sharingGroups.addServer(id, LOCAL_SERVER_ID, false);
  }
  return authorisedDetail(ctx, stores, id);
}

function withCreatorOrg(ctx: RequestContext, input: SharingGroupInput): SharingGroupInput {
  const { actor } = ctx;
  if (actor.isSiteAdmin || (input.orgs ?? []).some((m) => m.org.uuid === actor.org.uuid)) return input;
  return { ...input, orgs: [...(input.orgs ?? []), { org: { uuid: actor.org.uuid, name: actor.org.name }, extend: true }] };
}

/**
 * sharing_groups/edit/{id|uuid}: needs SharingGroup::checkIfAuthorisedExtend; then the body is captured onto the
 * group (fields, plus members and servers it lists; nothing is removed).
 */
export async function editSharingGroup(ctx: RequestContext, stores: Stores, raw: unknown, body: unknown): Promise<SharingGroupDetail | undefined> {
  const sg = await loadSharingGroup(stores, raw);
  if (!sg) throw notFound('Invalid sharing group.');
  if (!canExtendSharingGroup(ctx.actor, sg)) throw notAllowed('Action not allowed.');
  const input = { ...readSharingGroupInput(body), uuid: sg.uuid };
  const updatable = ['name', 'releasability', 'description', 'created', 'roaming', 'active'] as const;
  const id = await captureSharingGroup(ctx, stores, input, { editor: true, updatable });
  if (id === undefined) throw saveFailed('Could not add SharingGroup', COULD_NOT_SAVE);
  return authorisedDetail(ctx, stores, id);
}

/**
 * sharingGroups/delete/{id|uuid}: owner org or site admin (SharingGroup::checkIfOwner, else 405); refused while
 * events, attributes or objects still use the group (SharingGroup::beforeDelete). Returns the group's id.
 */
export async function deleteSharingGroup(ctx: RequestContext, stores: Stores, raw: unknown): Promise<number> {
  const sg = await loadSharingGroup(stores, raw);
  if (!sg || !isSharingGroupOwner(ctx.actor, sg)) throw notAllowed('Action not allowed.');
  if (await stores.sharingGroups.isReferenced(sg.id)) {
    throw saveFailed('Could not delete SharingGroup', 'The sharing group could not be deleted.', { id: String(raw) });
  }
  await stores.sharingGroups.delete(sg.id);
  await stores.audit.record(ctx, { action: 'delete', model: 'SharingGroup', modelId: sg.id, modelTitle: sg.name, change: { name: sg.name, uuid: sg.uuid } });
  return sg.id;
}
