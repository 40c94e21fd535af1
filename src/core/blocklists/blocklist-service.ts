import type { RequestContext } from '../context.js';
import { type DomainError, forbidden, notAllowed, notFound } from '../errors.js';
import { isRecord } from '../misp-format/input-readers.js';
import { datetime } from '../misp-format/scalars.js';
import { blocklistModel } from '../misp-format/blocklist-json.js';
import type { BlocklistEntry, BlocklistKind } from '../model/blocklist.js';
import { blockKey, type BlocklistFields } from '../ports/blocklist-store.js';
import type { Stores } from '../ports/stores.js';
import { isUuid } from '../util/uuid.js';

/**
 * Event, organisation and galaxy cluster blocklists (EventBlocklistsController / OrgBlocklistsController /
 * GalaxyClusterBlocklistsController through MISP's BlockListComponent, spec §3.13, §6.7). Every event add consults them (`blocklistRefusals`); deleting an event
 * blocklists its uuid (`blocklistDeletedEvent`, Event::beforeDelete). `MISP.enableEventBlocklisting` and
 * `MISP.enableOrgBlocklisting` switch each off only when explicitly false.
 */

/** The switch of each kind; galaxy cluster blocklisting has none in MISP and is always on. */
const SETTING: Record<BlocklistKind, string | undefined> = {
  event: 'MISP.enableEventBlocklisting', org: 'MISP.enableOrgBlocklisting', cluster: undefined,
};
const LABEL: Record<BlocklistKind, string> = { event: 'Event', org: 'Organisation', cluster: 'Galaxy Cluster' };

export const enabled = (ctx: Pick<RequestContext, 'settings'>, kind: BlocklistKind): boolean => {
  const setting = SETTING[kind];
  return setting === undefined || ctx.settings.get(setting) !== false;
};

/** What an event add names that a blocklist may hold: its uuid and its creator org's. */
export interface BlockSubject {
  readonly eventUuid: string | undefined;
  readonly orgcUuid: string | undefined;
}

/**
 * Event::_add's checks for each of several adds, in one lookup: the event uuid, then the creator org's uuid; the
 * refusal (MISP's exact error) of each blocked add, undefined for the others.
 */
export async function blocklistRefusals(ctx: RequestContext, stores: Stores, subjects: readonly BlockSubject[]): Promise<(DomainError | undefined)[]> {
  const checks: { kind: BlocklistKind; uuid: string }[] = [];
  const events = enabled(ctx, 'event');
  const orgs = enabled(ctx, 'org');
  for (const s of subjects) {
    if (s.eventUuid && events) checks.push({ kind: 'event', uuid: s.eventUuid });
    if (s.orgcUuid && orgs) checks.push({ kind: 'org', uuid: s.orgcUuid });
  }
  const blocked = checks.length > 0 ? await stores.blocklists.blockedAmong(checks) : new Set<string>();
  return subjects.map((s) => {
    if (s.eventUuid && events && blocked.has(blockKey('event', s.eventUuid))) return forbidden('Event blocked by event blocklist.');
    if (s.orgcUuid && orgs && blocked.has(blockKey('org', s.orgcUuid))) return forbidden('Event blocked by organisation blocklist.');
    return undefined;
  });
}

/**
 * GalaxyCluster::deleteCluster with `hard`: the cluster's uuid is blocklisted so that sync does not bring it back
 * (creator org name, or "MISP" for clusters without one).
 */
export async function blocklistDeletedCluster(ctx: RequestContext, stores: Stores, cluster: { uuid: string; value: string; orgcId: number }): Promise<void> {
  const orgc = cluster.orgcId ? await stores.identity.findOrganisation({ id: cluster.orgcId }) : undefined;
  await stores.blocklists.add('cluster', cluster.uuid, { comment: '', info: cluster.value, orgName: orgc?.name ?? 'MISP' }, datetime(ctx.now));
}

/** Event::beforeDelete: a deleted event's uuid is blocklisted so that sync or a feed does not bring it back. */
export async function blocklistDeletedEvent(ctx: RequestContext, stores: Stores, event: { uuid: string; info: string; orgcId: number }): Promise<void> {
  if (!enabled(ctx, 'event')) return;
  const orgc = await stores.identity.findOrganisation({ id: event.orgcId });
  await stores.blocklists.add('event', event.uuid, {
    comment: 'Automatically blocked by deleting event', info: event.info, orgName: orgc?.name ?? '',
  }, datetime(ctx.now));
}

function requireEnabled(ctx: RequestContext, kind: BlocklistKind): void {
  if (!enabled(ctx, kind)) throw notAllowed(`${LABEL[kind]} Blocklisting is not currently enabled on this instance.`);
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

function bodyOf(kind: BlocklistKind, body: unknown): Record<string, unknown> {
  const b = isRecord(body) && isRecord(body.request) ? body.request : body;
  if (!isRecord(b)) return {};
  const inner = b[blocklistModel({ kind })];
  return isRecord(inner) ? inner : b;
}

function fieldsOf(kind: BlocklistKind, data: Record<string, unknown>): Partial<BlocklistFields> {
  const out: { comment?: string; info?: string; orgName?: string } = {};
  const comment = text(data.comment);
  if (comment !== undefined) out.comment = comment;
  if (kind === 'event' || kind === 'cluster') {
    const info = text(data[`${kind}_info`]);
    const orgc = text(data[`${kind}_orgc`]);
    if (info !== undefined) out.info = info;
    if (orgc !== undefined) out.orgName = orgc;
  } else {
    const name = text(data.org_name);
    if (name !== undefined) out.orgName = name;
  }
  return out;
}

/**
 * BlockListComponent::add: `uuids` as a list or newline-separated text; each 36-character uuid not yet listed is
 * added with the request's other fields; the answer lists successes and fails.
 */
export async function addToBlocklist(ctx: RequestContext, stores: Stores, kind: BlocklistKind, body: unknown) {
  requireEnabled(ctx, kind);
  const data = bodyOf(kind, body);
  const raw = data.uuids;
  const uuids = (Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.trim().split(/\r?\n/) : []).map((u) => String(u).trim());
  const fields = { comment: '', info: '', orgName: '', ...fieldsOf(kind, data) };
  const successes: string[] = [];
  const fails: string[] = [];
  for (const uuid of uuids) {
    const ok = uuid.length === 36 && isUuid(uuid) && await stores.blocklists.add(kind, uuid, fields, datetime(ctx.now));
    (ok ? successes : fails).push(uuid);
  }
  return {
    result: { successes, fails },
    message: `Done. Added ${successes.length} new entries to the blocklist. ${fails.length} entries could not be saved.`,
  };
}

async function entryOf(stores: Stores, kind: BlocklistKind, raw: string | undefined, message: string): Promise<BlocklistEntry> {
  const ref = raw && isUuid(raw) ? { uuid: raw } : raw && /^\d+$/.test(raw) ? { id: Number(raw) } : undefined;
  const entry = ref && await stores.blocklists.find(kind, ref);
  if (!entry) throw notFound(message);
  return entry;
}

export async function listBlocklist(ctx: RequestContext, stores: Stores, kind: BlocklistKind): Promise<BlocklistEntry[]> {
  requireEnabled(ctx, kind);
  return stores.blocklists.list(kind);
}

/** BlockListComponent::edit: comment and the descriptive fields change; the uuid does not. */
export async function editBlocklistEntry(ctx: RequestContext, stores: Stores, kind: BlocklistKind, raw: string | undefined, body: unknown): Promise<BlocklistEntry> {
  requireEnabled(ctx, kind);
  const entry = await entryOf(stores, kind, raw, 'Blocklist item not found.');
  await stores.blocklists.update(kind, entry.id, fieldsOf(kind, bodyOf(kind, body)));
  return (await stores.blocklists.find(kind, { id: entry.id }))!;
}

export async function deleteBlocklistEntry(ctx: RequestContext, stores: Stores, kind: BlocklistKind, raw: string | undefined): Promise<void> {
  requireEnabled(ctx, kind);
  const entry = await entryOf(stores, kind, raw, 'Invalid blocklist entry');
  await stores.blocklists.delete(kind, entry.id);
}
