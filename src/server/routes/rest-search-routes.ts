import type { SearchScope } from '../../core/export/export-formats.js';
import { harvestParameters } from '../../core/search/rest-search-params.js';
import { readRestSearchRequest } from '../../core/search/rest-search-request.js';
import { relatedAttributesOf } from '../../core/correlation/correlation-view.js';
import { restSearch } from '../../core/search/rest-search-service.js';
import { checkRateLimit, RATE_LIMIT_EXCEEDED } from '../../core/auth/rate-limit.js';
import { type ActionDef, controller, response, stream } from '../action.js';
import type { AppDeps } from '../app-deps.js';

/**
 * `events/restSearch`, `attributes/restSearch`, `objects/restSearch` (spec §3.1–§3.3, §3.14, §8.1): filters from a
 * JSON body, positional segments (`attributes/restSearch/csv/8.8.8.8`) or named ones (`/value:8.8.8.8`), answered
 * as a stream in the requested format with `X-Result-Count`. ACL '*': visibility does the rest (spec §4.2–§4.3).
 * events and attributes searches count against the role's rate limit first (core/auth/rate-limit.ts), as MISP's
 * beforeFilter does: a refused or failing search still used its slot.
 */
export function restSearchActions(deps: AppDeps): ActionDef[] {
  const action = (scope: SearchScope): Omit<ActionDef, 'controller'> => ({
    action: 'restSearch', methods: ['GET', 'POST'], acl: '*',
    handler: async (req) => {
      const limit = await checkRateLimit(deps.rateLimiter, req.actor, scope, 'restSearch', req.ctx.settings.str('MISP.uuid'));
      if (limit?.exceeded) {
        return response(429, { name: RATE_LIMIT_EXCEEDED, message: RATE_LIMIT_EXCEEDED, url: `/${scope}/restSearch` }, { ...limit.headers });
      }
      const params = harvestParameters({ scope, method: req.method, body: req.body, passed: req.passed, named: req.named });
      const request = readRestSearchRequest(scope, params, req.ctx.now);
      const result = await restSearch(req.ctx, deps.storage, request, {
        warninglists: () => deps.warninglistMatcher.get(deps.storage),
        relatedAttributes: (viewer, attributes) => relatedAttributesOf(req.ctx, deps.storage, viewer, attributes),
      });
      return stream(result.body, result.contentType, { ...result.headers, ...limit?.headers });
    },
  });
  return [
    ...controller('events', [action('events')]),
    ...controller('attributes', [action('attributes')]),
    ...controller('objects', [action('objects')]),
  ];
}
