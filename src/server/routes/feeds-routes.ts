import { indexFeeds, loadDefaultFeeds, viewFeed } from '../../core/feeds/feed-service.js';
import { toMispFeedRow } from '../../core/misp-format/feed-json.js';
import { type ActionDef, controller, success } from '../action.js';
import type { AppDeps } from '../app-deps.js';
import { filterParam } from './knowledge-route-params.js';

/**
 * Feed definitions (FeedsController, spec §3.11): the default list and reading it back. Fetching, caching and
 * editing feeds come with the feed import feature.
 */
export function feedsActions(deps: AppDeps): ActionDef[] {
  return controller('feeds', [
    {
      action: 'index', methods: ['GET'], acl: '*',
      handler: async (req) => {
        const scope = filterParam(req, 'scope');
        const rows = await indexFeeds(req.ctx, deps.storage, scope ? { scope } : {});
        // Site admins also get the cache timestamp (Feed::attachFeedCacheTimestamps): false until a feed is cached.
        return rows.map((r) => toMispFeedRow(r, req.ctx.actor.isSiteAdmin ? { cache_timestamp: false } : {}));
      },
    },
    {
      action: 'view', methods: ['GET'], acl: 'host_org_user',
      handler: async (req) => {
        const row = await viewFeed(req.ctx, deps.storage, req.passed[0]);
        const out = toMispFeedRow({ ...row, orgc: undefined }, { cached_elements: 0, coverage_by_other_feeds: '0%' });
        // FeedsController::view hides the request headers (they may hold credentials) from everyone but site admins.
        if (!req.ctx.actor.isSiteAdmin) delete (out.Feed as Record<string, unknown>).headers;
        return out;
      },
    },
    {
      action: 'loadDefaultFeeds', methods: ['POST'], acl: 'SA',
      handler: async () => {
        await deps.storage.transaction((tx) => loadDefaultFeeds(tx, deps.dataPacks));
        return success('Default feed metadata loaded.', '/feeds/loadDefaultFeeds');
      },
    },
  ]);
}
