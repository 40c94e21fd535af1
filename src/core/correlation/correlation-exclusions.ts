import { normaliseKey } from './correlation-keys.js';

/**
 * Correlation exclusions (spec §5.4, `Correlation::__preventExcludedCorrelations`): a value that is excluded is
 * never linked. `%` at the start means "ends with", at the end "starts with", at both ends "contains"; anything
 * else is an exact value. MISP compares the raw value case-sensitively; Cairn compares normalised keys (lower-case),
 * matching how the values themselves correlate.
 */
export interface ExclusionMatcher {
  excludes(key: string): boolean;
  /** Whether any exclusion exists (lets the engine skip the check). */
  readonly empty: boolean;
}

interface Rules {
  readonly exact: Set<string>;
  readonly prefixes: string[];
  readonly suffixes: string[];
  readonly substrings: string[];
}

function rulesOf(patterns: readonly string[]): Rules {
  const rules: Rules = { exact: new Set(), prefixes: [], suffixes: [], substrings: [] };
  for (const raw of patterns) {
    const p = normaliseKey(raw);
    if (p === '') continue;
    const starts = p.startsWith('%');
    const ends = p.length > 1 && p.endsWith('%');
    if (starts && ends) rules.substrings.push(p.slice(1, -1));
    else if (starts) rules.suffixes.push(p.slice(1));
    else if (ends) rules.prefixes.push(p.slice(0, -1));
    else rules.exact.add(p);
  }
  return rules;
}

/** Builds the matcher for the stored exclusion values. A lone `%` excludes every value, as in MISP. */
export function exclusionMatcher(patterns: readonly string[]): ExclusionMatcher {
  const r = rulesOf(patterns);
  const empty = r.exact.size === 0 && r.prefixes.length === 0 && r.suffixes.length === 0 && r.substrings.length === 0;
  return {
    empty,
    excludes(key) {
      if (empty) return false;
      if (r.exact.has(key)) return true;
      for (const p of r.prefixes) if (key.startsWith(p)) return true;
      for (const s of r.suffixes) if (key.endsWith(s)) return true;
      for (const s of r.substrings) if (key.includes(s)) return true;
      return false;
    },
  };
}

