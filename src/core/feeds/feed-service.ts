import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestContext } from '../context.js';
import { notFound } from '../errors.js';
import type { Tag } from '../model/event.js';
import type { Organisation } from '../model/organisation.js';
import type { Stores } from '../ports/stores.js';
import { isHostOrgUser } from '../tags/tag-access.js';
import type { Feed, NewFeed } from './feed-model.js';

/** feeds/loadDefaultFeeds, feeds/index, feeds/view (FeedsController, Feed::importFeeds, spec §3.11, §7.2). */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const flag = (v: unknown): boolean => v === true || v === 1 || v === '1';
const text = (v: unknown): string | null => (typeof v === 'string' ? v : v === undefined || v === null ? null : String(v));

/**
 * One entry of metadata/default-feeds.json as Feed::importFeeds saves it: only the fields of its save list
 * (name, provider, url, rules, source_format, fixed_event, delta_merge, override_ids, publish, settings, tag_id,
 * default, lookup_visible, headers) are kept, so every default feed starts disabled with distribution 0.
 */
export function defaultFeed(raw: Json, tagId: number): NewFeed {
  return {
    name: text(raw.name) ?? '', provider: text(raw.provider) ?? '', url: text(raw.url) ?? '', rules: text(raw.rules),
    enabled: false, distribution: 0, sharingGroupId: 0, tagId, isDefault: true,
    sourceFormat: text(raw.source_format) ?? 'misp', fixedEvent: flag(raw.fixed_event), deltaMerge: flag(raw.delta_merge),
    eventId: 0, publish: flag(raw.publish), overrideIds: flag(raw.override_ids), settings: text(raw.settings),
    inputSource: 'network', deleteLocalFile: false, lookupVisible: flag(raw.lookup_visible), headers: text(raw.headers),
    cachingEnabled: false, forceToIds: false, orgcId: 0, tagCollectionId: 0,
  };
}

export interface DefaultFeedsReport {
  readonly created: number;
  /** Entries whose url is already stored (or listed twice). */
  readonly skipped: number;
  /** An unreadable file, or entries without a url, named here and left out. */
  readonly warnings: readonly string[];
}

/** metadata/default-feeds.json as a list of entries; an unreadable file is a warning and an empty list. */
function readDefaultFeeds(dataPacks: string, warnings: string[]): Json[] {
  const path = join(dataPacks, 'metadata', 'default-feeds.json');
  let list: unknown;
  try {
    list = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    warnings.push(`${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : (err as Error).message}, no feed loaded`);
    return [];
  }
  // Feed::importFeeds also takes a single feed object instead of a list.
  const items = Array.isArray(list) ? list : [list];
  const entries = items.filter(isObject);
  if (entries.length < items.length) warnings.push(`${path}: ${items.length - entries.length} entries are not objects, skipped`);
  return entries;
}

/**
 * feeds/loadDefaultFeeds (Feed::load_default_feeds): adds every default feed whose url is not stored yet, with its
 * tag (created when missing, as MISP captures it with site-admin rights). Run inside a transaction. Idempotent:
 * a second run finds every url stored and adds nothing.
 */
export async function loadDefaultFeeds(stores: Stores, dataPacks: string): Promise<DefaultFeedsReport> {
  const warnings: string[] = [];
  const entries = readDefaultFeeds(dataPacks, warnings);
  const urls = await stores.feeds.urls();
  const tagNames = entries.map((e) => (isObject(e.Tag) && typeof e.Tag.name === 'string' ? e.Tag.name : undefined)).filter((n): n is string => !!n);
  const tags = await stores.tags.findByNames(tagNames);
  let created = 0;
  let noUrl = 0;
  for (const entry of entries) {
    const raw = isObject(entry.Feed) ? entry.Feed : entry;
    const url = text(raw.url) ?? '';
    if (url === '') {
      warnings.push(`default feed "${text(raw.name) ?? '?'}" has no url, skipped`);
      noUrl++;
      continue;
    }
    if (urls.has(url)) continue;
    let tagId = 0;
    if (isObject(entry.Tag) && typeof entry.Tag.name === 'string' && entry.Tag.name !== '') {
      const t = entry.Tag;
      let tag = tags.get((t.name as string).toLowerCase());
      if (!tag) {
        tag = await stores.tags.findOrCreate({
          name: t.name as string, ...(typeof t.colour === 'string' ? { colour: t.colour } : {}),
          exportable: t.exportable === undefined ? true : flag(t.exportable), hideTag: flag(t.hide_tag),
        });
        tags.set(tag.name.toLowerCase(), tag);
      }
      tagId = tag.id;
    }
    await stores.feeds.insert(defaultFeed(raw, tagId));
    urls.add(url);
    created++;
  }
  return { created, skipped: entries.length - created - noUrl, warnings };
}

export interface FeedRow {
  readonly feed: Feed;
  readonly tag: Tag | undefined;
  readonly orgc: Organisation | undefined;
}

async function attach(stores: Stores, feeds: readonly Feed[]): Promise<FeedRow[]> {
  const tagIds = [...new Set(feeds.map((f) => f.tagId).filter((id) => id > 0))];
  const orgIds = [...new Set(feeds.map((f) => f.orgcId).filter((id) => id > 0))];
  const tags = new Map((tagIds.length ? await stores.tags.find({ ids: tagIds }) : []).map((t) => [t.id, t]));
  const orgs = new Map((orgIds.length ? await stores.identity.findOrganisations(orgIds) : []).map((o) => [o.id, o]));
  return feeds.map((feed) => ({ feed, tag: tags.get(feed.tagId), orgc: orgs.get(feed.orgcId) }));
}

/**
 * feeds/index[/scope:all|enabled|default|custom]: default feeds first, then by id. Users outside the host
 * organisation only see feeds marked `lookup_visible` (FeedsController::index).
 */
export async function indexFeeds(ctx: RequestContext, stores: Stores, q: { scope?: string }): Promise<FeedRow[]> {
  const scope = q.scope ?? 'all';
  const feeds = await stores.feeds.list({
    ...(scope === 'enabled' ? { enabledOrCaching: true } : {}),
    ...(scope === 'default' ? { isDefault: true } : scope === 'custom' ? { isDefault: false } : {}),
    ...(!ctx.actor.isSiteAdmin && !isHostOrgUser(ctx) ? { lookupVisible: true } : {}),
  });
  return attach(stores, feeds);
}

/** The feed a path names by its numeric id, if any. */
export async function findFeed(stores: Stores, raw: string | undefined): Promise<Feed | undefined> {
  return raw !== undefined && /^\d+$/.test(raw) ? stores.feeds.find(Number(raw)) : undefined;
}

/** feeds/view/{id} (host organisation users; the route's ACL checks it). */
export async function viewFeed(_ctx: RequestContext, stores: Stores, raw: string | undefined): Promise<FeedRow> {
  const feed = await findFeed(stores, raw);
  if (!feed) throw notFound('Invalid feed.');
  return (await attach(stores, [feed]))[0]!;
}
