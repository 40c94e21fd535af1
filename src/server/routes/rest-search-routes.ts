import type { SearchScope } from '../../core/export/export-formats.js';
import { harvestParameters } from '../../core/search/rest-search-params.js';
import { readRestSearchRequest } from '../../core/search/rest-search-request.js';
import { restSearch } from '../../core/search/rest-search-service.js';
import { type ActionDef, controller, stream } from '../action.js';
import type { AppDeps } from '../app-deps.js';

/**
 * `events/restSearch`, `attributes/restSearch`, `objects/restSearch` (spec §3.1–§3.3, §3.14, §8.1): filters from a
 * JSON body, positional segments (`attributes/restSearch/csv/8.8.8.8`) or named ones (`/value:8.8.8.8`), answered
 * as a stream in the requested format with `X-Result-Count`. ACL '*': visibility does the rest (spec §4.2–§4.3).
 */
export function restSearchActions(deps: AppDeps): ActionDef[] {
  const action = (scope: SearchScope): Omit<ActionDef, 'controller'> => ({
    action: 'restSearch', methods: ['GET', 'POST'], acl: '*',
    handler: async (req) => {
      const params = harvestParameters({ scope, method: req.method, body: req.body, passed: req.passed, named: req.named });
      const request = readRestSearchRequest(scope, params, req.ctx.now);
      const result = await restSearch(req.ctx, deps.storage, request, {
        warninglists: () => deps.warninglistMatcher.get(deps.storage),
      });
      return stream(result.body, result.contentType, { ...result.headers });
    },
  });
  return [
    ...controller('events', [action('events')]),
    ...controller('attributes', [action('attributes')]),
    ...controller('objects', [action('objects')]),
  ];
}
