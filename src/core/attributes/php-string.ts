/**
 * Small ports of the PHP string predicates MISP's validation relies on. They are spelled out because
 * their edge cases (empty strings, signs, whitespace) decide which values MISP accepts, and Cairn must
 * accept and refuse the same values (spec §2.11, `AttributeValidationTool`).
 */

/** PHP's default `trim()` character set: space, \t, \n, \r, \0 and \x0B (not Unicode spaces, unlike JS `trim`). */
const isPhpSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 0 || c === 11;

/** PHP `trim($value)`; a loop rather than a regex: it runs on every field of every attribute, multi-KB rules too. */
export function phpTrim(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isPhpSpace(value.charCodeAt(start))) start++;
  while (end > start && isPhpSpace(value.charCodeAt(end - 1))) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

/** PHP `trim($value, $chars)` for a set of literal characters. */
export function trimChars(value: string, chars: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && chars.includes(value[start] as string)) start++;
  while (end > start && chars.includes(value[end - 1] as string)) end--;
  return value.slice(start, end);
}

/** `ctype_digit`: one or more ASCII digits and nothing else (MISP's `isPositiveInteger`). */
export function isDigits(value: string): boolean {
  return /^[0-9]+$/.test(value);
}

/** `ctype_xdigit`: one or more hexadecimal digits. */
export function isHexDigits(value: string): boolean {
  return /^[0-9a-fA-F]+$/.test(value);
}

/** `ctype_cntrl`: one or more characters, all ASCII control characters. */
export function isAllControl(value: string): boolean {
  return /^[\x00-\x1f\x7f]+$/.test(value);
}

/**
 * PHP 8 `is_numeric` on a string: optional surrounding whitespace, a sign, decimal digits with an optional
 * fraction and exponent. Hexadecimal, `Infinity` and empty strings are not numeric.
 */
export function isPhpNumeric(value: string): boolean {
  return /^[ \t\n\r\v\f]*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?[ \t\n\r\v\f]*$/.test(value);
}

/** PHP truthiness of a string: only `""` and `"0"` are false. */
export function isPhpTruthy(value: string): boolean {
  return value !== '' && value !== '0';
}

/** `strlen`: PHP counts bytes, so MISP's 65535 limit is a UTF-8 byte limit. */
export function byteLength(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

/** `strpos($haystack, $needle)` used as a boolean: found at a position other than 0. */
export function foundAfterStart(haystack: string, needle: string): boolean {
  return haystack.indexOf(needle) > 0;
}

/** PHP 8 `strtolower`: ASCII letters only ("Ü" stays "Ü"), unlike `String.prototype.toLowerCase`. */
export function asciiLower(value: string): string {
  return value.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

/** PHP 8 `strtoupper`: ASCII letters only. */
export function asciiUpper(value: string): string {
  return value.replace(/[a-z]+/g, (s) => s.toUpperCase());
}
