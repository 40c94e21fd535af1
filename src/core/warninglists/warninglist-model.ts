/**
 * Warninglists (spec §1.2, §9.1): lists of known values (public resolvers, top domains, cloud ranges …) that
 * flag attributes as probable false positives. Read from misp-warninglists' `lists/<name>/list.json`.
 */

/** The matching algorithm of a list (Warninglist::$validate['type']). */
export const WARNINGLIST_KINDS = ['string', 'substring', 'hostname', 'cidr', 'regex'] as const;
export type WarninglistKind = (typeof WARNINGLIST_KINDS)[number];

export const WARNINGLIST_CATEGORIES = ['false_positive', 'known'] as const;
export type WarninglistCategory = (typeof WARNINGLIST_CATEGORIES)[number];

export const isWarninglistKind = (v: unknown): v is WarninglistKind => (WARNINGLIST_KINDS as readonly unknown[]).includes(v);

export interface WarninglistEntryDef {
  readonly value: string;
  readonly comment: string | null;
}

/** A parsed list.json. */
export interface WarninglistDef {
  readonly name: string;
  readonly type: WarninglistKind;
  readonly description: string;
  readonly version: number;
  readonly category: WarninglistCategory;
  /** Attribute types the list applies to; `ALL` for every type. */
  readonly matchingAttributes: readonly string[];
  readonly entries: readonly WarninglistEntryDef[];
}

/** A `warninglists` row. */
export interface Warninglist {
  readonly id: number;
  readonly name: string;
  readonly type: WarninglistKind;
  readonly description: string;
  readonly version: number;
  readonly enabled: boolean;
  /** Shipped by the pack (only those are touched by warninglists/update). */
  readonly default: boolean;
  readonly category: WarninglistCategory;
}

export interface WarninglistSummary extends Warninglist {
  readonly entryCount: number;
  readonly types: readonly string[];
}

export interface WarninglistDetail extends Warninglist {
  readonly entries: ReadonlyArray<{ readonly id: number; readonly value: string; readonly comment: string | null }>;
  readonly types: ReadonlyArray<{ readonly id: number; readonly type: string }>;
}

/** What the matcher needs of one enabled list. */
export interface MatchableWarninglist {
  readonly id: number;
  readonly name: string;
  readonly type: WarninglistKind;
  readonly category: WarninglistCategory;
  readonly types: readonly string[];
  readonly entries: readonly string[];
}
