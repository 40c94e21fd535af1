import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The attribute type/category matrix (spec §11, Appendix A), read from the data packs'
 * `pymisp/describeTypes.json`. It is served verbatim by `attributes/describeTypes` and drives validation.
 */
export interface DescribeTypes {
  readonly sane_defaults: Readonly<Record<string, { readonly default_category: string; readonly to_ids: number }>>;
  readonly types: readonly string[];
  readonly categories: readonly string[];
  readonly category_type_mappings: Readonly<Record<string, readonly string[]>>;
}

export interface TypeMatrix {
  readonly raw: DescribeTypes;
  readonly types: ReadonlySet<string>;
  readonly categories: ReadonlySet<string>;
  /** category → allowed types */
  readonly allowed: ReadonlyMap<string, ReadonlySet<string>>;
  defaultCategory(type: string): string | undefined;
  defaultToIds(type: string): boolean;
}

export function loadDescribeTypes(dataPacks: string): DescribeTypes {
  const file = join(dataPacks, 'pymisp', 'describeTypes.json');
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { result?: DescribeTypes };
  if (!parsed.result || !Array.isArray(parsed.result.types)) throw new Error(`${file} is not a describeTypes document`);
  return parsed.result;
}

export function typeMatrix(raw: DescribeTypes): TypeMatrix {
  const allowed = new Map<string, ReadonlySet<string>>(
    Object.entries(raw.category_type_mappings).map(([c, ts]) => [c, new Set(ts)]),
  );
  return {
    raw,
    types: new Set(raw.types),
    categories: new Set(raw.categories),
    allowed,
    defaultCategory: (t) => raw.sane_defaults[t]?.default_category,
    defaultToIds: (t) => raw.sane_defaults[t]?.to_ids === 1,
  };
}
