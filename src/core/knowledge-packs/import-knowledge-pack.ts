import { importDecayingModels } from '../decaying/decaying-model-service.js';
import { loadDefaultFeeds } from '../feeds/feed-service.js';
import { importGalaxies, type KnowledgePackProgress } from '../galaxies/galaxy-import.js';
import { importObjectTemplates } from '../objects/object-template-import.js';
import type { Storage } from '../ports/stores.js';

/**
 * One entry point for the `cairn update <kind>` command and the HTTP update endpoints: loads one data pack kind
 * from `dataPacks` into the database and reports what changed. `progress` is called as work advances (galaxies
 * report per galaxy file; the other kinds, which take well under a second, report start and end).
 *
 * @example
 * const report = await importKnowledgePack('galaxies', { storage, dataPacks }, ({ done, total }) => bar.update(done, total));
 */

export type KnowledgePackKind = 'galaxies' | 'objectTemplates' | 'decayingModels' | 'feeds';
export const KNOWLEDGE_PACK_KINDS: readonly KnowledgePackKind[] = ['galaxies', 'objectTemplates', 'decayingModels', 'feeds'];

export interface KnowledgePackReport {
  readonly kind: KnowledgePackKind;
  /** Rows created, updated and left as they were (galaxy clusters, templates, models, feeds). */
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly warnings: readonly string[];
  readonly ms: number;
  /** Kind-specific figures (galaxy elements and relations, …). */
  readonly details: Readonly<Record<string, number>>;
}

export interface KnowledgePackDeps {
  readonly storage: Storage;
  readonly dataPacks: string;
  /** Owner of imported decaying models (MISP.host_org_id); 1 by default. */
  readonly hostOrgId?: number;
}

export async function importKnowledgePack(kind: KnowledgePackKind, deps: KnowledgePackDeps, progress?: KnowledgePackProgress,
  opts: { force?: boolean } = {}): Promise<KnowledgePackReport> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  const step = (done: number) => progress?.({ kind, done, total: 1 });
  switch (kind) {
    case 'galaxies': {
      const r = await importGalaxies(deps.storage, deps.dataPacks, { ...opts, ...(progress ? { progress } : {}) });
      return {
        kind, created: r.clustersCreated, updated: r.clustersUpdated, unchanged: r.clustersUnchanged, warnings: r.warnings, ms: r.ms,
        details: { galaxiesCreated: r.galaxiesCreated, galaxiesUpdated: r.galaxiesUpdated, elements: r.elements, relations: r.relations },
      };
    }
    case 'objectTemplates': {
      step(0);
      const r = await deps.storage.transaction((tx) => importObjectTemplates(tx, deps.dataPacks, { userId: 0, orgId: 0 }, opts));
      step(1);
      const updated = r.installed.filter((t) => t.old !== undefined).length;
      return { kind, created: r.installed.length - updated, updated, unchanged: 0, warnings: r.warnings, ms: ms(), details: {} };
    }
    case 'decayingModels': {
      step(0);
      const r = await deps.storage.transaction((tx) => importDecayingModels(tx, deps.dataPacks, deps.hostOrgId ?? 1, opts));
      step(1);
      return { kind, created: r.created, updated: r.updated, unchanged: r.unchanged, warnings: r.warnings, ms: ms(), details: {} };
    }
    case 'feeds': {
      step(0);
      const r = await deps.storage.transaction((tx) => loadDefaultFeeds(tx, deps.dataPacks));
      step(1);
      return { kind, created: r.created, updated: 0, unchanged: r.skipped, warnings: r.warnings, ms: ms(), details: {} };
    }
  }
}
