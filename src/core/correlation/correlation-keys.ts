import { isAscii } from '../util/fold-case.js';

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
  // most values are ASCII (IPs, hashes, domains, URLs): NFC cannot change them, skip it
  const text = isAscii(value) ? value.toLowerCase() : value.normalize('NFC').toLowerCase();
  return text.endsWith(' ') ? text.replace(/ +$/, '') : text;
}

/** murmur3's 32-bit finaliser: every input bit affects every output bit. */
export function fmix32(x: number): number {
  let h = Math.imul(x ^ (x >>> 16), 0x85eb_ca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2_ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A 53-bit integer naming a key (a JavaScript-safe integer, stored as bigint): two independent 32-bit
 * multiply-and-mix lanes over the UTF-16 code units, each finalised and cross-fed into 21 + 32 bits. Indexes store
 * this fixed-size number instead of the value (URLs, multi-KB yara rules), and it is also the id of the value in
 * `correlation_values` and `over_correlating_values`. It is not cryptographic and need not be: a collision can only
 * make two values share an index bucket, and the engine re-checks candidate matches on the real values before it
 * links them. ~0.2 µs per key, a seventh of SHA-1. Changing this function requires a full recorrelation.
 */
export function keyHash(key: string): number {
  let a = 0x9747_b28c ^ key.length;
  let b = 0x5bd1_e995 ^ Math.imul(key.length, 0x27d4_eb2f);
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x0100_0193);
    b = Math.imul(((b << 5) | (b >>> 27)) ^ c, 0x9e37_79b1);
  }
  const high = fmix32(a ^ Math.imul(b, 0x85eb_ca6b)) & 0x1f_ffff;
  const low = fmix32(b ^ Math.imul(a, 0xc2b2_ae35));
  return high * 0x1_0000_0000 + low;
}

/**
 * The hash of a value as stored beside it (`attributes.value1_hash`, `value2_hash`): `keyHash` of its normalised
 * key, for every type. The one index exact value search (case-insensitive, spec §3.14 `value`) and correlation
 * (a value group's holders) both read; a correlation key's hash is this hash of the same half.
 */
export function valueHash(value: string): number {
  return keyHash(normaliseKey(value));
}

/** The value hashes an attribute's row holds: value1's, and value2's when it has one. */
export function heldValueHashes(a: { readonly value1: string; readonly value2: string }): number[] {
  return a.value2 === '' ? [valueHash(a.value1)] : [valueHash(a.value1), valueHash(a.value2)];
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
  return key.length <= STORED_VALUE_LENGTH ? key : [...key].slice(0, STORED_VALUE_LENGTH).join('');
}
