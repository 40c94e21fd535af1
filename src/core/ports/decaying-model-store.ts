import type { DecayingModel, DecayingModelMapping } from '../decaying/decaying-model.js';

export type DecayingModelRow = Omit<DecayingModel, 'id'>;

/** Persistence of decaying models and their per-type mappings (spec §1.2). */
export interface DecayingModelStore {
  /** Ordered by id; `visibleToOrg` keeps the org's own models and those shared with all orgs (site admins pass none). */
  list(filter?: { readonly visibleToOrg?: number; readonly enabled?: boolean; readonly isDefault?: boolean }): Promise<DecayingModel[]>;
  find(id: number): Promise<DecayingModel | undefined>;
  insert(row: DecayingModelRow): Promise<number>;
  /** Rewrites a model from its pack definition, keeping id, enabled and org. */
  replace(id: number, row: DecayingModelRow): Promise<void>;
  setEnabled(id: number, enabled: boolean): Promise<void>;
  /** Mappings of these models keyed by model id. */
  mappings(modelIds: readonly number[]): Promise<Map<number, DecayingModelMapping[]>>;
}
