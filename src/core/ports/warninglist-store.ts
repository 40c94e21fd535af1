import type {
  MatchableWarninglist, Warninglist, WarninglistDef, WarninglistDetail, WarninglistSummary,
} from '../warninglists/warninglist-model.js';

/** Persistence of warninglists, their entries and attribute types (spec §1.2, §9.1). */
export interface WarninglistStore {
  /**
   * Lists with entry counts and types, newest id first (MISP's index order). `search` matches name or description
   * (case-insensitive substring) or the type exactly.
   */
  list(filter?: { readonly enabled?: boolean; readonly search?: string }): Promise<WarninglistSummary[]>;
  /** Rows only, ordered by id; `ids` narrows. */
  listMeta(filter?: { readonly ids?: readonly number[] }): Promise<Warninglist[]>;
  /** A list with every entry and type. */
  find(id: number): Promise<WarninglistDetail | undefined>;
  /** Ids of lists whose lower-cased name is LIKE any of the (lower-cased) patterns. */
  idsByNameLike(patterns: readonly string[]): Promise<number[]>;
  /** Inserts a list with its entries (chunked batch inserts) and types; returns its id. */
  insert(def: WarninglistDef, isDefault: boolean): Promise<number>;
  /** Replaces everything but id, enabled and default. */
  replace(id: number, def: WarninglistDef): Promise<void>;
  setEnabled(ids: readonly number[], enabled: boolean): Promise<void>;
  /** Every enabled list with its types and entry values, for the matcher (two queries). */
  loadEnabled(): Promise<MatchableWarninglist[]>;
}
