import { attributeStatistics, tagStatistics, userStatistics } from '../../core/statistics/statistics-service.js';
import { type ActionDef, controller } from '../action.js';
import type { AppDeps } from '../app-deps.js';

/** Statistics pages (spec §3.13): attributes/attributeStatistics, tags/tagStatistics, users/statistics. */
export function statisticsActions(deps: AppDeps): ActionDef[] {
  return [
    ...controller('attributes', [{
      action: 'attributeStatistics', methods: ['GET'], acl: '*',
      handler: ({ ctx, passed }) => attributeStatistics(ctx, deps.storage, passed[0], passed[1] === 'true' || passed[1] === '1'),
    }]),
    ...controller('tags', [{
      action: 'tagStatistics', methods: ['GET'], acl: '*',
      handler: ({ ctx, passed }) => tagStatistics(ctx, deps.storage, passed[0] === 'true', passed[1] === 'true'),
    }]),
    ...controller('users', [{
      action: 'statistics', methods: ['GET', 'POST'], acl: '*',
      handler: ({ ctx, passed, named }) => userStatistics(ctx, deps.storage, passed[0] ?? 'data', named),
    }]),
  ];
}
