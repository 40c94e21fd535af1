import { listCommunities, viewCommunity } from '../../core/communities/community-service.js';
import { type ActionDef, controller } from '../action.js';
import type { AppDeps } from '../app-deps.js';
import { filterParam } from './knowledge-route-params.js';

/** Known MISP sharing communities (CommunitiesController, spec §3.13); site admins only, as in MISP's ACL. */
export function communitiesActions(deps: AppDeps): ActionDef[] {
  return controller('communities', [
    {
      action: 'index', methods: ['GET', 'POST'], acl: 'SA',
      handler: (req) => {
        const context = filterParam(req, 'context');
        const value = filterParam(req, 'value');
        return listCommunities(deps.dataPacks, { ...(context ? { context } : {}), ...(value ? { value } : {}) });
      },
    },
    { action: 'view', methods: ['GET'], acl: 'SA', handler: (req) => viewCommunity(deps.dataPacks, req.passed[0]) },
  ]);
}
