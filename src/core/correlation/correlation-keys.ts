import { hash } from 'node:crypto';

/**
 * What an attribute correlates on (spec §5.1, `MispAttribute::NON_CORRELATING_TYPES`,
 * `PRIMARY_ONLY_CORRELATING_TYPES`, `Correlation::afterSaveCorrelation`). Pure: no storage, no settings.
 */

/** Types MISP never correlates (MispAttribute::NON_CORRELATING_TYPES, 2.5). `text`/`other` do correlate in MISP. */
export const NON_CORRELATING_TYPES: ReadonlySet<string> = new Set([
  'comment', 'http-method', 'aba-rtn', 'gender', 'counter', 'integer', 'float', 'port', 'nationality', 'cortex',
  'boolean', 'anonymised',
]);

/** Composite types whose right half (a port) never correlates: only the IP / hostname half is a key. */
export const PRIMARY_ONLY_CORRELATING_TYPES: ReadonlySet<string> = new Set(['ip-src|port', 'ip-dst|port', 'hostname|port']);

/** The part of an attribute correlation reads to find its keys. */
export interface KeySource {
  readonly type: string;
  readonly value1: string;
  readonly value2: string;
}

/**
 * The comparison form of a value. MISP matches values with SQL equality on a `utf8_unicode_ci` column, i.e.
 * case-insensitively and ignoring trailing spaces; Cairn lower-cases (full Unicode, after NFC so composed and
 * decomposed accents are one key) and drops trailing spaces. Accents are NOT folded: MISP only folds them as a
 * MySQL collation side effect, and folding would merge distinct IDN and non-Latin values.
 */
export function normaliseKey(value: string): string {
  return value.normalize('NFC').toLowerCase().replace(/ +$/, '');
}

/**
 * A 53-bit integer naming a key: the first 53 bits of its SHA-1. Indexes store this fixed-size number instead of
 * the value (URLs, multi-KB yara rules), and it is also the id of the value in `correlation_values` and
 * `over_correlating_values`. A collision can only make two different values look like one in those tables; the
 * engine re-checks candidate matches on the real values before linking them. Changing this function requires a
 * full recorrelation.
 */
export function keyHash(key: string): number {
  const digest = hash('sha1', key, 'buffer');
  return (digest.readUInt32BE(0) & 0x1f_ffff) * 0x1_0000_0000 + digest.readUInt32BE(4);
}

/** Whether the type can correlate at all (before per-attribute and per-event switches). */
export function isCorrelatingType(type: string): boolean {
  return !NON_CORRELATING_TYPES.has(type);
}

/**
 * The distinct normalised keys of an attribute: value1, and value2 for composite types other than the `*|port`
 * ones (an `ip-dst|port` correlates on its IP only, a `filename|md5` on both the file name and the hash).
 * Empty halves are no key. Non-correlating types have none.
 */
export function correlationKeys(a: KeySource): string[] {
  if (!isCorrelatingType(a.type)) return [];
  const keys: string[] = [];
  const first = normaliseKey(a.value1);
  if (first !== '') keys.push(first);
  if (a.value2 !== '' && !PRIMARY_ONLY_CORRELATING_TYPES.has(a.type)) {
    const second = normaliseKey(a.value2);
    if (second !== '' && second !== first) keys.push(second);
  }
  return keys;
}

/** MISP keeps the first 191 characters of a value in correlation_values / over_correlating_values (index length). */
export const STORED_VALUE_LENGTH = 191;

/** The display text stored for a key. */
export function storedValue(key: string): string {
  return [...key].slice(0, STORED_VALUE_LENGTH).join('');
}
