import type { RequestContext } from '../context.js';
import { notAllowed, saveFailed } from '../errors.js';
import type { OrgSummary } from '../model/event.js';
import { LOCAL_SERVER_ID, type ServerSummary, type SharingGroupDetail } from '../model/sharing-group.js';
import { isRecord, type JsonRecord } from '../misp-format/input-readers.js';
import { readBool } from '../misp-format/scalars.js';
import type { Stores } from '../ports/stores.js';
import { canExtendSharingGroup, isSharingGroupMember } from './sharing-group-access.js';
import { captureServer } from './sharing-group-capture.js';
import { fetchOrg, loadSharingGroup } from './sharing-group-service.js';

/**
 * sharingGroups/addOrg, removeOrg, addServer and removeServer (SharingGroupsController quick edits, spec §3.9):
 * arguments come from the path (`addOrg/{sg}/{org}/{extend}`) or from the body (`{"sg_id", "org_id", "extend"}`,
 * as PyMISP sends them). The answers carry MISP's exact texts, which PyMISP callers compare.
 */

/** Path arguments and body of a quick edit. */
export interface QuickEdit {
  readonly sg?: string;
  readonly member?: string;
  readonly flag?: string;
  readonly body: unknown;
}

/** PHP's empty(): the first body parameter that is set and not '', '0', 0, false or null. */
function firstSet(body: JsonRecord, keys: readonly string[]): unknown {
  for (const k of keys) {
    const v = body[k];
    if (v !== undefined && v !== null && v !== '' && v !== '0' && v !== 0 && v !== false) return v;
  }
  return undefined;
}

/**
 * SharingGroupsController::__initialiseSGQuickEdit / SharingGroup::fetchSG(…, readOnly false): the actor must be
 * allowed to extend the group and be a member of it (site admins always are).
 */
async function groupToExtend(ctx: RequestContext, stores: Stores, q: QuickEdit, body: JsonRecord): Promise<SharingGroupDetail> {
  const raw = q.sg || firstSet(body, ['sg_id', 'sg_uuid', 'id', 'uuid']);
  if (raw === undefined || raw === '') throw notAllowed('No valid sharing group ID provided.');
  const sg = await loadSharingGroup(stores, typeof raw === 'number' ? String(raw) : raw);
  const member = sg && (ctx.actor.isSiteAdmin || isSharingGroupMember(ctx.actor.org.id, sg));
  if (!sg || !member || !canExtendSharingGroup(ctx.actor, sg)) throw notAllowed('Invalid sharing group or no editing rights.');
  return sg;
}

async function orgOf(stores: Stores, q: QuickEdit, body: JsonRecord): Promise<OrgSummary> {
  const org = await fetchOrg(stores, q.member || firstSet(body, ['org_id', 'org_uuid', 'org_name']));
  if (!org) throw notAllowed('Invalid organisation.');
  return org;
}

/**
 * Server::fetchServer: by id, or by name or url compared case-insensitively. Cairn also accepts this instance
 * (`0` or its own base URL), which MISP can only reach through add/edit.
 */
async function serverOf(ctx: RequestContext, stores: Stores, q: QuickEdit, body: JsonRecord): Promise<number> {
  const explicit = q.member ?? body.server_id;
  if (explicit === 0 || explicit === '0') return LOCAL_SERVER_ID;
  const raw = q.member || firstSet(body, ['server_id', 'server_url', 'server_baseurl', 'server_name']);
  let server: ServerSummary | undefined;
  if (typeof raw === 'number' || (typeof raw === 'string' && /^\d+$/.test(raw))) {
    server = await stores.sharingGroups.findServer({ id: Number(raw) });
  } else if (typeof raw === 'string') {
    if ((await captureServer(ctx, stores, { url: raw })) === LOCAL_SERVER_ID) return LOCAL_SERVER_ID;
    server = await stores.sharingGroups.findServer({ nameOrUrl: raw });
  }
  if (!server) throw notAllowed('Invalid Server.');
  return server.id;
}

const done = (message: string, action: string) => ({ message, url: `/sharing_groups/${action}` });

/** sharingGroups/addOrg: `extend` from the body wins over the path flag. */
export async function addOrgToSharingGroup(ctx: RequestContext, stores: Stores, q: QuickEdit): Promise<{ message: string; url: string }> {
  const body = isRecord(q.body) ? q.body : {};
  const sg = await groupToExtend(ctx, stores, q, body);
  const org = await orgOf(stores, q, body);
  const extend = readBool(body.extend !== undefined ? body.extend : q.flag) ?? false;
  if (sg.orgs.some((l) => l.orgId === org.id)) {
    throw saveFailed('Could not add Organisation to SharingGroup', 'Organisation is already in the sharing group.');
  }
  await stores.sharingGroups.addOrg(sg.id, org.id, extend);
  await stores.audit.record(ctx, { action: 'add', model: 'SharingGroupOrg', modelId: sg.id, modelTitle: sg.name, change: { org_id: org.id, extend } });
  return done('Organisation added to the sharing group.', 'addOrg');
}

/** sharingGroups/removeOrg: the org loses access to the group's data at once (membership is read per request). */
export async function removeOrgFromSharingGroup(ctx: RequestContext, stores: Stores, q: QuickEdit): Promise<{ message: string; url: string }> {
  const body = isRecord(q.body) ? q.body : {};
  const sg = await groupToExtend(ctx, stores, q, body);
  const org = await orgOf(stores, q, body);
  const link = sg.orgs.find((l) => l.orgId === org.id);
  if (!link) throw saveFailed('Could not remove Organisation from SharingGroup', 'Organisation is not in the sharing group.');
  await stores.sharingGroups.removeOrg(link.id);
  await stores.audit.record(ctx, { action: 'delete', model: 'SharingGroupOrg', modelId: sg.id, modelTitle: sg.name, change: { org_id: org.id } });
  return done('Organisation removed from the sharing group.', 'removeOrg');
}

/** sharingGroups/addServer: `all_orgs` (or `all`) from the body wins over the path flag. */
export async function addServerToSharingGroup(ctx: RequestContext, stores: Stores, q: QuickEdit): Promise<{ message: string; url: string }> {
  const body = isRecord(q.body) ? q.body : {};
  const sg = await groupToExtend(ctx, stores, q, body);
  const serverId = await serverOf(ctx, stores, q, body);
  const rawAll = body.all_orgs !== undefined ? body.all_orgs : body.all !== undefined ? body.all : q.flag;
  const allOrgs = readBool(rawAll) ?? false;
  if (sg.servers.some((l) => l.serverId === serverId)) {
    throw saveFailed('Could not add Server to SharingGroup', 'Server is already in the sharing group.');
  }
  await stores.sharingGroups.addServer(sg.id, serverId, allOrgs);
  await stores.audit.record(ctx, { action: 'add', model: 'SharingGroupServer', modelId: sg.id, modelTitle: sg.name, change: { server_id: serverId, all_orgs: allOrgs } });
  return done('Server added to the sharing group.', 'addServer');
}

export async function removeServerFromSharingGroup(ctx: RequestContext, stores: Stores, q: QuickEdit): Promise<{ message: string; url: string }> {
  const body = isRecord(q.body) ? q.body : {};
  const sg = await groupToExtend(ctx, stores, q, body);
  const serverId = await serverOf(ctx, stores, q, body);
  const link = sg.servers.find((l) => l.serverId === serverId);
  if (!link) throw saveFailed('Could not remove Server from SharingGroup', 'Server is not in the sharing group.');
  await stores.sharingGroups.removeServer(link.id);
  await stores.audit.record(ctx, { action: 'delete', model: 'SharingGroupServer', modelId: sg.id, modelTitle: sg.name, change: { server_id: serverId } });
  return done('Server removed from the sharing group.', 'removeServer');
}
