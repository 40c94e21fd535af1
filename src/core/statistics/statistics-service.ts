import type { RequestContext } from '../context.js';
import { notAllowed, notFound } from '../errors.js';
import { viewerFor } from '../events/event-view.js';
import { datetime } from '../misp-format/scalars.js';
import type { Stores } from '../ports/stores.js';

/**
 * attributes/attributeStatistics, tags/tagStatistics and users/statistics (AttributesController,
 * TagsController, UsersController::statistics; spec §3.13). Counts are MISP's, taken over what the actor may see
 * (src/core/ports/statistics-store.ts). Numbers are strings as MISP sends them.
 */

/** PHP's `round(100 * part / total, 3) . '%'`. */
const percent = (part: number, total: number): string => `${total === 0 ? 0 : Math.round((100_000 * part) / total) / 1000}%`;

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const natural = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' });

/** attributes/attributeStatistics/{type|category}[/true]: counts (or shares) per type or category, sorted by key. */
export async function attributeStatistics(ctx: RequestContext, stores: Stores, by: string | undefined, asPercentage: boolean): Promise<Record<string, string>> {
  const column = by ?? 'type';
  if (column !== 'type' && column !== 'category') throw notAllowed('Invalid type requested.');
  const counts = await stores.statistics.attributesBy(await viewerFor(ctx, stores), column);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const out: Record<string, string> = {};
  for (const k of [...counts.keys()].sort(byKey)) out[k] = asPercentage ? percent(counts.get(k)!, total) : String(counts.get(k));
  return out;
}

/**
 * tags/tagStatistics[/{percentage}[/{name_sort}]]: events per tag and per enabled taxonomy (a tag counts for the
 * taxonomy whose namespace starts it); by count, or by name with `name_sort` "true". An empty taxonomy map is `[]`.
 */
export async function tagStatistics(ctx: RequestContext, stores: Stores, asPercentage: boolean, nameSort: boolean) {
  const counts = await stores.statistics.eventTagCounts(await viewerFor(ctx, stores));
  const namespaces = (await stores.taxonomies.list({ enabled: true })).map((t) => t.namespace);
  const taxonomies = new Map(namespaces.map((ns) => [ns, 0]));
  let total = 0;
  for (const [name, count] of counts) {
    total += count;
    for (const ns of namespaces) if (name.toLowerCase().startsWith(ns.toLowerCase())) taxonomies.set(ns, taxonomies.get(ns)! + count);
  }
  const order = (m: Map<string, number>) => [...m].sort(nameSort ? ([a], [b]) => natural(a, b) : ([, a], [, b]) => b - a);
  const render = (m: Map<string, number>) => Object.fromEntries(order(m).map(([k, v]) => [k, asPercentage ? percent(v, total) : String(v)]));
  return { tags: render(counts), taxonomies: taxonomies.size ? render(taxonomies) : [] };
}

/** users/statistics/{page} (UsersController::statistics). */
export async function userStatistics(ctx: RequestContext, stores: Stores, page: string, named: Readonly<Record<string, unknown>>): Promise<unknown> {
  const hideOrgs = !ctx.actor.isSiteAdmin && ctx.settings.bool('Security.hide_organisation_index_from_users');
  switch (page) {
    case 'data': return { stats: await usageData(ctx, stores, hideOrgs) };
    case 'orgs':
      if (hideOrgs) throw notAllowed('This feature is currently disabled.');
      return organisationStatistics(ctx, stores, typeof named.scope === 'string' ? named.scope : 'local');
    case 'users': return userAndOrgCounts(ctx, stores);
    case 'tags': return tagTreemap(ctx, stores);
    case 'attributehistogram': return attributeHistogram(ctx, stores, hideOrgs);
    case 'sightings': return sightingToplist(ctx, stores, named.timestamp);
    default: throw notFound('Invalid page');
  }
}

function monthStart(now: number): number {
  const d = new Date(now * 1000);
  return Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000);
}

async function usageData(ctx: RequestContext, stores: Stores, hideOrgs: boolean): Promise<Record<string, string>> {
  const viewer = await viewerFor(ctx, stores);
  const s = stores.statistics;
  const month = monthStart(ctx.now);
  const [events, eventsMonth, attributes, attributesMonth, correlations, proposals, users, pgpUsers, orgs, localOrgs, activity] = await Promise.all([
    s.countEvents(viewer), s.countEvents(viewer, month), s.countAttributes(viewer), s.countAttributes(viewer, month),
    s.countCorrelations(), s.countPendingProposals(), s.countUsers(), s.countUsers({ withPgpKey: true }),
    hideOrgs ? Promise.resolve(1) : s.countOrganisations(), hideOrgs ? Promise.resolve(1) : s.countOrganisations({ local: true }),
    s.orgActivity(viewer),
  ]);
  const stats: Record<string, number> = {
    event_count: events, event_count_month: eventsMonth, attribute_count: attributes, attribute_count_month: attributesMonth,
    attributes_per_event: events ? Math.round(attributes / events) : 0, correlation_count: correlations, proposal_count: proposals,
    user_count: users, user_count_pgp: pgpUsers, org_count: orgs, local_org_count: localOrgs, contributing_org_count: activity.length,
    average_user_per_org: localOrgs ? Math.round((10 * users) / localOrgs) / 10 : 0,
    // Cairn has no discussion threads: MISP's thread and post counters stay at zero.
    thread_count: 0, thread_count_month: 0, post_count: 0, post_count_month: 0,
  };
  return Object.fromEntries(Object.entries(stats).map(([k, v]) => [k, String(v)]));
}

/** users/statistics/orgs: per organisation (by name, case-insensitively), its users and the events it created. */
async function organisationStatistics(ctx: RequestContext, stores: Stores, scope: string): Promise<Record<string, unknown>> {
  const local = scope === 'external' ? false : scope === 'all' ? undefined : true;
  const orgs = (await stores.identity.listOrganisations({})).filter((o) => local === undefined || o.local === local);
  const [users, activity] = await Promise.all([stores.statistics.usersPerOrg(), stores.statistics.orgActivity(await viewerFor(ctx, stores))]);
  const byOrg = new Map(activity.map((a) => [a.orgId, a]));
  const rows = orgs.map((o) => {
    const a = byOrg.get(o.id);
    return [o.name, {
      id: String(o.id), name: o.name, description: o.description ?? '', local: o.local, contacts: o.contacts ?? '',
      type: o.type ?? '', sector: o.sector ?? '', nationality: o.nationality ?? '',
      ...(users.has(o.id) ? { userCount: String(users.get(o.id)) } : {}),
      ...(a ? { eventCount: String(a.events), attributeCount: String(a.attributes) } : {}),
    }] as const;
  });
  return Object.fromEntries(rows.sort(([a], [b]) => a.toLowerCase().localeCompare(b.toLowerCase())));
}

/** users/statistics/users: users, local and external organisations created in total, this month and this year. */
async function userAndOrgCounts(ctx: RequestContext, stores: Stores) {
  const month = monthStart(ctx.now);
  const year = Math.floor(Date.UTC(new Date(ctx.now * 1000).getUTCFullYear(), 0, 1) / 1000);
  const s = stores.statistics;
  const orgs = async (local: boolean) => ({
    data: {
      total: await s.countOrganisations({ local }),
      month: await s.countOrganisations({ local, createdSince: datetime(month) }),
      year: await s.countOrganisations({ local, createdSince: datetime(year) }),
    },
  });
  return {
    user: { data: { total: await s.countUsers(), month: await s.countUsers({ createdSince: month }), year: await s.countUsers({ createdSince: year }) } },
    org_local: await orgs(true),
    org_external: await orgs(false),
  };
}

/** users/statistics/tags (UsersController::tagStatisticsGraph): tags grouped by enabled taxonomy, else "custom". */
async function tagTreemap(ctx: RequestContext, stores: Stores) {
  const counts = [...await stores.statistics.eventTagCounts(await viewerFor(ctx, stores))].sort(([, a], [, b]) => b - a);
  const namespaces = new Set((await stores.taxonomies.list({ enabled: true })).map((t) => t.namespace));
  const flatData: Record<string, Record<string, { name: string; size: string }>> = {};
  for (const [name, size] of counts) {
    const parts = name.split(':');
    const group = parts.length > 1 && namespaces.has(parts[0]!) ? parts[0]! : 'custom';
    (flatData[group] ??= {})[name] = { name, size: String(size) };
  }
  const treemap = {
    name: 'tags',
    children: Object.entries(flatData).map(([name, tags]) => ({ name, children: Object.values(tags) })),
  };
  return { flatData, treemap };
}

/** users/statistics/attributehistogram (UsersController::histogram): active attribute types, overall and per creator org. */
async function attributeHistogram(ctx: RequestContext, stores: Stores, hideOrgs: boolean) {
  const viewer = await viewerFor(ctx, stores);
  const activity = await stores.statistics.orgActivity(viewer);
  const orgIds = hideOrgs ? activity.filter((a) => a.orgId === ctx.actor.org.id).map((a) => a.orgId) : activity.map((a) => a.orgId);
  const names = await stores.eventReads.organisations(orgIds);
  const entry = (data: Map<string, number>, orgName: string) => ({
    data: Object.fromEntries([...data].map(([k, v]) => [k, String(v)])), org_name: orgName,
    total: [...data.values()].reduce((a, b) => a + b, 0),
  });
  const rows = [entry(await stores.statistics.activeAttributeTypes(viewer), 'All organisations')];
  for (const id of orgIds) rows.push(entry(await stores.statistics.activeAttributeTypes(viewer, id), names.get(id)?.name ?? ''));
  return rows.sort((a, b) => b.total - a.total);
}

const SIGHTING_TYPES = ['sighting', 'false-positive', 'expiration'];

/** users/statistics/sightings: the actor's organisation's sightings by source, with the events per source and type. */
async function sightingToplist(ctx: RequestContext, stores: Stores, rawSince: unknown) {
  const since = typeof rawSince === 'string' && /^\d+$/.test(rawSince) ? Number(rawSince) : undefined;
  const toplist = new Map<string, number>();
  const eventids: Record<string, Record<string, string[]>> = {};
  for (const s of await stores.statistics.sightingsOfOrg(ctx.actor.org.id, since)) {
    const source = s.source === '' ? 'Undefined' : s.source;
    const type = SIGHTING_TYPES[s.type] ?? String(s.type);
    toplist.set(source, (toplist.get(source) ?? 0) + 1);
    const ids = ((eventids[source] ??= {})[type] ??= []);
    if (!ids.includes(String(s.eventId))) ids.push(String(s.eventId));
  }
  return { toplist: Object.fromEntries([...toplist].sort(([, a], [, b]) => b - a)), eventids };
}
