import {
  addExclusion, cleanExclusions, deleteExclusion, editExclusion, listExclusions, viewExclusion,
} from '../../core/correlation/correlation-exclusion-service.js';
import { startCorrelationRebuild } from '../../core/correlation/correlation-rebuild.js';
import { notFound } from '../../core/errors.js';
import { toMispCorrelationExclusion, toMispCorrelationJob } from '../../core/misp-format/correlation-json.js';
import { readInt } from '../../core/misp-format/scalars.js';
import { type ActionDef, controller, success } from '../action.js';
import type { AppDeps } from '../app-deps.js';

/**
 * Correlation administration (spec §3.12, §5.3, §5.4), site admins only as in MISP's ACL: the exclusion list
 * (CorrelationExclusionsController), the full rebuild (AttributesController::generateCorrelation) with its progress
 * (JobsController::getGenerateCorrelationProgress) and the most frequent values (CorrelationsController::top).
 * RelatedEvent / RelatedAttribute are served by events/view (event-read-routes.ts).
 */
export function correlationActions(deps: AppDeps): ActionDef[] {
  const { storage } = deps;
  const named = (v: string | string[] | undefined) => (typeof v === 'string' ? v : undefined);
  return [
    ...controller('correlation_exclusions', [
      {
        action: 'index', methods: ['GET', 'POST'], acl: 'SA',
        handler: async (req) => (await listExclusions(storage, named(req.named.value))).map(toMispCorrelationExclusion),
      },
      {
        action: 'view', methods: ['GET'], acl: 'SA',
        handler: async (req) => toMispCorrelationExclusion(await viewExclusion(storage, req.passed[0])),
      },
      {
        action: 'add', methods: ['POST'], acl: 'SA', describe: { mandatory: ['value'], optional: ['comment', 'from_json'] },
        handler: async (req) => toMispCorrelationExclusion(await addExclusion(storage, req.body, named(req.named.value))),
      },
      {
        action: 'edit', methods: ['POST', 'PUT'], acl: 'SA', describe: { mandatory: [], optional: ['comment'] },
        handler: async (req) => toMispCorrelationExclusion(await editExclusion(storage, req.passed[0], req.body)),
      },
      {
        action: 'delete', methods: ['POST', 'DELETE'], acl: 'SA',
        handler: async (req) => {
          const id = await deleteExclusion(req.ctx, storage, req.passed[0]);
          return success('CorrelationExclusion deleted.', `/CorrelationExclusion/delete/${id}`, id);
        },
      },
      {
        action: 'clean', methods: ['POST'], acl: 'SA',
        handler: async (req) => {
          await cleanExclusions(req.ctx, storage);
          return success('Correlations cleanup initiated, based on the exclusion rules.', '/correlation_exclusions/clean');
        },
      },
    ]),
    ...controller('attributes', [
      {
        action: 'generateCorrelation', methods: ['POST'], acl: 'SA',
        handler: async (req) => {
          const { job } = await startCorrelationRebuild(req.ctx, storage);
          return success(`Job queued. Follow it with jobs/getGenerateCorrelationProgress/${job.id}.`, '/attributes/generateCorrelation', job.id);
        },
      },
    ]),
    ...controller('jobs', [
      {
        action: 'getGenerateCorrelationProgress', methods: ['GET'], acl: 'SA',
        handler: async (req) => {
          const ids = (req.passed[0] ?? '').split(',').filter((x) => /^\d+$/.test(x)).map(Number);
          const jobs = await storage.correlations.findJobs(ids);
          if (jobs.length === 0) throw notFound('No jobs found');
          return Object.fromEntries(jobs.map((j) => [String(j.id), toMispCorrelationJob(j)]));
        },
      },
    ]),
    ...controller('correlations', [
      {
        action: 'top', methods: ['GET'], acl: 'SA',
        handler: async (req) => {
          const limit = Math.max(1, readInt(req.named.limit) ?? 50);
          const page = Math.max(1, readInt(req.named.page) ?? 1);
          const [top, exclusions] = await Promise.all([storage.correlations.topValues(limit, (page - 1) * limit), listExclusions(storage)]);
          const excluded = new Set(exclusions.map((e) => e.value.toLowerCase()));
          return top.map((t) => ({ Correlation: { value: t.value, count: t.count, excluded: excluded.has(t.value) } }));
        },
      },
    ]),
  ];
}
