import { addFeed, deleteFeed, editFeed, setFeedEnabled } from '../../core/feeds/feed-admin.js';
import { compareFeeds, feedCoverage, searchCaches } from '../../core/feeds/feed-cache-queries.js';
import { startFeedCaching } from '../../core/feeds/feed-caching-job.js';
import { indexFeeds, loadDefaultFeeds, viewFeed } from '../../core/feeds/feed-service.js';
import { saveFailed } from '../../core/errors.js';
import { isRecord } from '../../core/misp-format/input-readers.js';
import { toMispFeed, toMispFeedRow } from '../../core/misp-format/feed-json.js';
import { type ActionDef, controller, success } from '../action.js';
import type { AppDeps } from '../app-deps.js';
import { filterParam } from './knowledge-route-params.js';

/**
 * Feeds (FeedsController, spec §3.11, §7): the definitions (default list, add/edit/delete/enable/disable, site
 * admins), their caches (cacheFeeds, compareFeeds, searchCaches, spec §7.3). Fetching feeds into events comes with
 * the feed import feature: fetchFromFeed and fetchFromAllFeeds are not routed, so they answer MISP's 404.
 */
export function feedsActions(deps: AppDeps): ActionDef[] {
  const { storage, feedSource } = deps;
  const tx = storage.transaction.bind(storage);
  return controller('feeds', [
    {
      action: 'index', methods: ['GET'], acl: '*',
      handler: async (req) => {
        const scope = filterParam(req, 'scope');
        const rows = await indexFeeds(req.ctx, storage, scope ? { scope } : {});
        if (!req.ctx.actor.isSiteAdmin) return rows.map((r) => toMispFeedRow(r));
        // Site admins also get the cache timestamp (Feed::attachFeedCacheTimestamps): false until a feed is cached.
        const states = await storage.feedCaches.states(rows.map((r) => r.feed.id));
        return rows.map((r) => toMispFeedRow(r, { cache_timestamp: states.get(r.feed.id)?.cachedAt ? String(states.get(r.feed.id)!.cachedAt) : false }));
      },
    },
    {
      action: 'view', methods: ['GET'], acl: 'host_org_user',
      handler: async (req) => {
        const row = await viewFeed(req.ctx, storage, req.passed[0]);
        const { cached, coverage } = await feedCoverage(storage, row.feed.id);
        const out = toMispFeedRow({ ...row, orgc: undefined }, { cached_elements: cached, coverage_by_other_feeds: coverage });
        // FeedsController::view hides the request headers (they may hold credentials) from everyone but site admins.
        if (!req.ctx.actor.isSiteAdmin) delete (out.Feed as Record<string, unknown>).headers;
        return out;
      },
    },
    {
      action: 'add', methods: ['POST'], acl: 'SA',
      describe: { mandatory: ['source_format', 'url', 'name', 'input_source', 'provider'], optional: ['enabled', 'caching_enabled', 'lookup_visible', 'delete_local_file', 'headers', 'fixed_event', 'target_event', 'settings', 'publish', 'override_ids', 'delta_merge', 'distribution', 'sharing_group_id', 'tag_id', 'pull_rules', 'rules', 'event_id'] },
      handler: async ({ ctx, body }) => ({ Feed: toMispFeed(await tx((s) => addFeed(ctx, s, feedSource, body))) }),
    },
    {
      action: 'edit', methods: ['POST', 'PUT'], acl: 'SA',
      describe: { mandatory: [], optional: ['source_format', 'url', 'name', 'enabled', 'caching_enabled', 'lookup_visible', 'provider', 'input_source', 'delete_local_file', 'headers', 'fixed_event', 'target_event', 'settings', 'publish', 'override_ids', 'delta_merge', 'distribution', 'sharing_group_id', 'tag_id', 'pull_rules', 'rules', 'event_id'] },
      handler: async ({ ctx, body, passed }) => ({ Feed: toMispFeed(await tx((s) => editFeed(ctx, s, feedSource, passed[0], body))) }),
    },
    {
      action: 'delete', methods: ['POST', 'DELETE'], acl: 'SA',
      handler: async ({ passed }) => {
        const id = await tx((s) => deleteFeed(s, passed[0]));
        return success('Feed deleted.', `/feeds/delete/${id}`, id);
      },
    },
    ...(['enable', 'disable'] as const).map((action): Omit<ActionDef, 'controller'> => ({
      action, methods: ['POST', 'GET'], acl: 'SA',
      handler: async ({ passed, url }) => {
        const message = await tx((s) => setFeedEnabled(s, passed[0], action === 'enable'));
        return { name: message, message, url };
      },
    })),
    {
      action: 'loadDefaultFeeds', methods: ['POST'], acl: 'SA',
      handler: async () => {
        await tx((s) => loadDefaultFeeds(s, deps.dataPacks));
        return success('Default feed metadata loaded.', '/feeds/loadDefaultFeeds');
      },
    },
    {
      action: 'cacheFeeds', methods: ['GET', 'POST'], acl: 'SA',
      handler: async ({ ctx, passed }) => {
        const { background, done } = await startFeedCaching(ctx, storage, feedSource, passed[0] ?? 'freetext');
        if (background) {
          void done.catch(() => undefined);
          return success('Feed caching job initiated.', '/feeds/cacheFeed');
        }
        const result = await done;
        if (result.fails > 0) throw saveFailed('Caching the feeds has failed.', { fails: result.fails, successes: result.successes });
        return success('Caching the feeds has successfully completed.', '/feeds/cacheFeed');
      },
    },
    {
      action: 'compareFeeds', methods: ['GET'], acl: '*',
      handler: async ({ ctx }) => compareFeeds(ctx, storage),
    },
    {
      action: 'searchCaches', methods: ['GET', 'POST'], acl: '*',
      handler: async ({ ctx, body, named }) => {
        const b = isRecord(body) && isRecord(body.Feed) ? body.Feed : body;
        const value = named.value ?? (isRecord(b) && 'value' in b ? b.value : b);
        return searchCaches(ctx, storage, value);
      },
    },
  ]);
}
