import { join } from 'node:path';
import {
  isJsonObject, type Json, nonEmptyString, optionalString, type PackFailure, packVersion, readJsonFile, subfolders,
} from '../knowledge-pack-files.js';
import type { TaxonomyEntryDef, TaxonomyPredicateDef, TaxonomyVocab } from './taxonomy-model.js';

/**
 * Reads misp-taxonomies from `<dataPacks>/taxonomies/<name>/machinetag.json` (Taxonomy::update). A missing or
 * malformed file becomes a failure named after its folder; vocabularies that are not for events (`type` without
 * "event") are skipped as MISP skips them. Pure apart from reading the files.
 */

export interface TaxonomyPackLoad {
  readonly vocabs: readonly TaxonomyVocab[];
  readonly failures: readonly PackFailure[];
  /** Folders deliberately ignored (not an event vocabulary), with why. */
  readonly skipped: readonly PackFailure[];
}

/** Folders of the upstream repository that hold tooling, not vocabularies. */
const NOT_VOCABULARIES = new Set(['tools', 'mapping']);

const int = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : null);

function entryDef(raw: Json): TaxonomyEntryDef {
  const value = String(raw.value);
  return {
    value,
    expanded: nonEmptyString(raw.expanded) ? raw.expanded : value,
    colour: optionalString(raw.colour),
    description: optionalString(raw.description),
    numericalValue: int(raw.numerical_value),
  };
}

/**
 * One machinetag.json as MISP imports it (Taxonomy::__updateVocab): predicates in order, `values[].entry` merged
 * into their predicate. Returns the reason when the document cannot be imported.
 */
export function parseTaxonomyVocab(raw: unknown): TaxonomyVocab | string {
  if (!isJsonObject(raw)) return 'not a JSON object';
  if (!nonEmptyString(raw.namespace)) return "Required field 'namespace' not provided.";
  if (!nonEmptyString(raw.description)) return "Required field 'description' not provided.";
  if (!Array.isArray(raw.predicates)) return "Field 'predicates' must be array.";
  if (raw.values !== undefined && !Array.isArray(raw.values)) return "Field 'values' must be array.";
  const version = packVersion(raw.version);
  if (version === undefined) return `invalid version ${JSON.stringify(raw.version)}`;
  const namespace = raw.namespace;
  // A repeated predicate value replaces the earlier one (MISP's predicate lookup keeps the last position).
  const predicates = new Map<string, { def: TaxonomyEntryDef; exclusive: boolean; entries: TaxonomyEntryDef[] }>();
  for (const p of raw.predicates) {
    if (!isJsonObject(p) || !nonEmptyString(p.value)) return 'a predicate has no value';
    predicates.set(p.value, { def: entryDef(p), exclusive: p.exclusive === true || p.exclusive === 1, entries: [] });
  }
  for (const v of (raw.values ?? []) as unknown[]) {
    if (!isJsonObject(v)) return 'a values item is not an object';
    const target = typeof v.predicate === 'string' ? predicates.get(v.predicate) : undefined;
    if (!target) return `Invalid taxonomy \`${namespace}\` provided. Predicate \`${String(v.predicate)}\` is missing.`;
    if (!Array.isArray(v.entry)) continue;
    for (const e of v.entry) {
      if (!isJsonObject(e) || !nonEmptyString(e.value)) return `an entry of predicate ${String(v.predicate)} has no value`;
      target.entries.push(entryDef(e));
    }
  }
  return {
    namespace, description: raw.description, version, exclusive: raw.exclusive === true || raw.exclusive === 1,
    highlighted: raw.highlighted === true || raw.highlighted === 1,
    predicates: [...predicates.values()].map((p): TaxonomyPredicateDef => ({ ...p.def, exclusive: p.exclusive, entries: p.entries })),
  };
}

/** `type` may limit a vocabulary to other scopes (org, user); only event vocabularies become taxonomies. */
function isEventVocabulary(raw: unknown): boolean {
  if (!isJsonObject(raw) || raw.type === undefined) return true;
  return Array.isArray(raw.type) ? raw.type.includes('event') : raw.type === 'event';
}

export function loadTaxonomyPack(dataPacks: string): TaxonomyPackLoad {
  const root = join(dataPacks, 'taxonomies');
  const vocabs: TaxonomyVocab[] = [];
  const failures: PackFailure[] = [];
  const skipped: PackFailure[] = [];
  for (const dir of subfolders(root)) {
    if (NOT_VOCABULARIES.has(dir)) continue;
    const read = readJsonFile(join(root, dir, 'machinetag.json'));
    if (!read.ok) {
      failures.push({ name: dir, reason: read.reason });
      continue;
    }
    if (!isEventVocabulary(read.json)) {
      skipped.push({ name: dir, reason: 'not an event vocabulary' });
      continue;
    }
    const parsed = parseTaxonomyVocab(read.json);
    if (typeof parsed === 'string') failures.push({ name: dir, reason: parsed });
    else vocabs.push(parsed);
  }
  return { vocabs, failures, skipped };
}
