import type { RequestContext } from '../context.js';
import { notAllowed, notFound, saveFailed } from '../errors.js';
import { type FieldErrors, isRecord, type JsonRecord, readText } from '../misp-format/input-readers.js';
import { readBool, readInt } from '../misp-format/scalars.js';
import type { FeedSource } from '../ports/feed-source.js';
import type { Stores } from '../ports/stores.js';
import type { Feed, NewFeed } from './feed-model.js';
import { findFeed } from './feed-service.js';

/**
 * feeds/add, feeds/edit, feeds/delete, feeds/enable, feeds/disable (FeedsController through CRUDComponent, Feed's
 * validation; spec §3.11, §7.2). Site admins only (route ACL). Edits are partial: a field the body does not name
 * keeps its stored value, so PyMISP's `enable_feed(id)` (a body of `{id, enabled}`) changes nothing else.
 */

/** What CakePHP answers for a failed validation rule that names no message of its own. */
const CAKE_DEFAULT_MESSAGE = 'This field cannot be left blank';

export const FEED_FORMATS = ['misp', 'freetext', 'csv'] as const;

type Patch = { -readonly [K in keyof NewFeed]?: NewFeed[K] };

/** `{"Feed": {...}}` or the bare fields. */
const feedBody = (body: unknown): JsonRecord => (isRecord(body) && isRecord(body.Feed) ? body.Feed : isRecord(body) ? body : {});

/** MISP stores `rules`, `settings` and `headers` as text; clients send objects too (PyMISP sends `settings` as a dict). */
function jsonText(v: unknown): string | null | undefined {
  if (v === undefined) return undefined;
  if (v === null) return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The fields CRUDComponent::edit takes (`fields`), read the way PHP would cast them. */
function readPatch(raw: JsonRecord): Patch {
  const p: Patch = {};
  const text = (k: string) => readText(raw[k]);
  const flag = (k: string) => readBool(raw[k]);
  const int = (k: string) => readInt(raw[k]);
  const set = <K extends keyof Patch>(key: K, v: Patch[K] | undefined) => { if (v !== undefined) p[key] = v; };
  set('name', text('name'));
  set('provider', text('provider'));
  set('url', text('url')?.trim());
  set('enabled', flag('enabled'));
  set('cachingEnabled', flag('caching_enabled'));
  // the UI sends `pull_rules`, which wins over `rules`
  set('rules', jsonText(raw.pull_rules ?? raw.rules));
  set('distribution', int('distribution'));
  set('sharingGroupId', int('sharing_group_id'));
  set('tagId', int('tag_id'));
  set('tagCollectionId', int('tag_collection_id'));
  set('eventId', int('target_event') ?? int('event_id'));
  set('publish', flag('publish'));
  set('deltaMerge', flag('delta_merge'));
  set('sourceFormat', text('source_format')?.toLowerCase());
  set('overrideIds', flag('override_ids'));
  set('settings', jsonText(raw.settings));
  set('inputSource', text('input_source')?.toLowerCase());
  set('deleteLocalFile', flag('delete_local_file'));
  set('lookupVisible', flag('lookup_visible'));
  set('headers', jsonText(raw.headers));
  set('orgcId', int('orgc_id'));
  set('fixedEvent', flag('fixed_event'));
  set('forceToIds', flag('force_to_ids'));
  return p;
}

/** Whether a local feed's path exists as MISP requires it: a directory for MISP feeds, a file otherwise. */
function localPathProblem(source: FeedSource, f: Pick<NewFeed, 'url' | 'sourceFormat'>): string | undefined {
  const kind = source.pathKind(f.url);
  if (f.sourceFormat === 'misp') {
    return kind === 'directory' ? undefined : 'For MISP type local feeds, please specify the containing directory.';
  }
  return kind === 'file' ? undefined
    : 'Invalid path or file not found. Make sure that the path points to an existing file that is readable and watch out for typos.';
}

const isHttpUrl = (url: string): boolean => {
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
};

/**
 * Feed::$validate (name, provider, url or existing local path, input source), whose rules without a message answer
 * CakePHP's default text; plus three checks MISP does not make and Cairn does, because a feed saved with them
 * wrong cannot be fetched or cached: a known source format, a distribution in 0–5, settings that are JSON.
 */
function validate(ctx: RequestContext, source: FeedSource, f: NewFeed): FieldErrors {
  const errors: FieldErrors = {};
  if (f.name.trim() === '') errors.name = [CAKE_DEFAULT_MESSAGE];
  if (f.provider.trim() === '') errors.provider = [CAKE_DEFAULT_MESSAGE];
  if (!(FEED_FORMATS as readonly string[]).includes(f.sourceFormat)) errors.source_format = ['Invalid source format.'];
  const localAllowed = !ctx.settings.bool('Security.disable_local_feed_access');
  if (f.inputSource !== 'network' && !(f.inputSource === 'local' && localAllowed)) {
    errors.input_source = [`Invalid input source. The only valid options are ${localAllowed ? 'network, local' : 'network'}. ${
      !localAllowed && f.inputSource === 'local' ? 'Security.disable_local_feed_access is currently enabled, local feeds are thereby not allowed.' : ''}`];
  } else if (f.inputSource === 'local') {
    const problem = localPathProblem(source, f);
    if (problem) errors.url = [problem];
  } else if (!isHttpUrl(f.url)) {
    errors.url = [CAKE_DEFAULT_MESSAGE];
  }
  if (f.distribution < 0 || f.distribution > 5) errors.distribution = ['Invalid distribution.'];
  if (f.settings !== null) {
    try {
      JSON.parse(f.settings);
    } catch {
      errors.settings = ['Invalid JSON.'];
    }
  }
  return errors;
}

/** FeedsController::add's beforeSave: REST defaults (freetext, fixed event), never a default feed, SG only with distribution 4. */
function newFeedFrom(p: Patch): NewFeed {
  const distribution = p.distribution ?? 0;
  const sourceFormat = p.sourceFormat ?? 'freetext';
  const fixedEvent = p.fixedEvent ?? true;
  return {
    name: p.name ?? '', provider: p.provider ?? '', url: p.url ?? '', rules: p.rules ?? null, enabled: p.enabled ?? false,
    distribution, sharingGroupId: distribution === 4 ? p.sharingGroupId ?? 0 : 0, tagId: p.tagId ?? 0, isDefault: false,
    sourceFormat, fixedEvent, deltaMerge: p.deltaMerge ?? false, eventId: fixedEvent ? p.eventId ?? 0 : 0,
    publish: p.publish ?? false, overrideIds: p.overrideIds ?? false, settings: p.settings ?? '[]', inputSource: p.inputSource ?? 'network',
    deleteLocalFile: p.deleteLocalFile ?? false, lookupVisible: p.lookupVisible ?? false, headers: p.headers ?? null,
    cachingEnabled: p.cachingEnabled ?? false, forceToIds: p.forceToIds ?? false,
    // MISP feeds name their creator org in each event; only freetext/CSV feeds have one of their own
    orgcId: sourceFormat === 'misp' ? 0 : p.orgcId ?? 0, tagCollectionId: p.tagCollectionId ?? 0,
  };
}

function failIf(action: 'add' | 'edit', errors: FieldErrors): void {
  if (Object.keys(errors).length > 0) throw saveFailed(`Could not ${action} Feed`, errors);
}

export async function addFeed(ctx: RequestContext, stores: Stores, source: FeedSource, body: unknown): Promise<Feed> {
  const feed = newFeedFrom(readPatch(feedBody(body)));
  failIf('add', validate(ctx, source, feed));
  return (await stores.feeds.find(await stores.feeds.insert(feed)))!;
}

/** CRUDComponent's lookup: 404 "Invalid Feed." */
async function feedOr404(stores: Stores, raw: string | undefined): Promise<Feed> {
  const feed = await findFeed(stores, raw);
  if (!feed) throw notFound('Invalid Feed.');
  return feed;
}

export async function editFeed(ctx: RequestContext, stores: Stores, source: FeedSource, raw: string | undefined, body: unknown): Promise<Feed> {
  const old = await feedOr404(stores, raw);
  const p = readPatch(feedBody(body));
  const { id: _id, ...stored } = old;
  const merged: NewFeed = { ...stored, ...p };
  const feed: NewFeed = {
    ...merged,
    sharingGroupId: merged.distribution === 4 ? merged.sharingGroupId : 0,
    orgcId: merged.sourceFormat === 'misp' ? 0 : merged.orgcId,
  };
  failIf('edit', validate(ctx, source, feed));
  await stores.feeds.update(old.id, feed);
  return (await stores.feeds.find(old.id))!;
}

/** CRUDComponent::delete; the feed's cache goes with it. */
export async function deleteFeed(stores: Stores, raw: string | undefined): Promise<number> {
  const feed = await feedOr404(stores, raw);
  await stores.feedCaches.clear(feed.id);
  await stores.feeds.delete(feed.id);
  return feed.id;
}

/** feeds/enable|disable/{id} (FeedsController::__toggleEnable): 405 "Invalid Feed." for an unknown id. */
export async function setFeedEnabled(stores: Stores, raw: string | undefined, enabled: boolean): Promise<string> {
  const feed = await findFeed(stores, raw);
  if (!feed) throw notAllowed('Invalid Feed.');
  await stores.feeds.update(feed.id, { enabled });
  return `Feed ${enabled ? 'enable' : 'disable'}d.`;
}
