import { isDigits, isHexDigits } from './php-string.js';

/**
 * The value shapes MISP's validators test (`AttributeValidationTool`'s private helpers and PHP filters),
 * shared by normalisation and validation. Regular expressions are written so that JavaScript matches what
 * PCRE matches without the `u` flag: `.` is "anything but \n" and `\s` is ASCII whitespace.
 */

/** `isDomainValid`: labels of letters, digits, `.`, `-`, `_`, then a TLD of two or more letters, digits or `-`. */
export function isDomainName(value: string): boolean {
  return /^[A-Z0-9.\-_]+\.[A-Z0-9-]{2,}$/i.test(value);
}

/** `isPortValid`: digits only, 1–65535 (leading zeros allowed, as in MISP). */
export function isPort(value: string): boolean {
  return isDigits(value) && Number(value) >= 1 && Number(value) <= 65535;
}

/** The e-mail check MISP uses instead of `filter_var`, so that partial addresses are accepted. */
export function isEmailLike(value: string): boolean {
  return /^[^\n][^ \t\n\v\f\r]*@[^\n]*\.[^\n]*$/i.test(value);
}

/** `blocksize:hash:hash`. */
export function isSsdeep(value: string): boolean {
  return /^([0-9]+):([0-9a-zA-Z/+]*):([0-9a-zA-Z/+]*)$/.test(value);
}

/** TLSH: more than 35 hex digits, optionally after a `t` (the `T1` version prefix once lower-cased). */
export function isTlsh(value: string): boolean {
  const hex = value.startsWith('t') ? value.slice(1) : value;
  return hex.length > 35 && isHexDigits(hex);
}

/** `imports:hash:hash` where the import count is digits. */
export function isImpfuzzy(value: string): boolean {
  const parts = value.split(':');
  return parts.length === 3 && isDigits(parts[0] as string);
}

/** `SHA256:<base64 of 32 bytes>`, or an MD5 fingerprint with optional `MD5:` prefix and colons. */
export function isSshFingerprint(value: string): boolean {
  if (value.startsWith('SHA256:')) {
    const b64 = value.slice(7);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return false; // PHP base64_decode($v, true) refuses other characters
    return Buffer.from(b64, 'base64').length === 32;
  }
  const md5 = (value.startsWith('MD5:') ? value.slice(4) : value).replaceAll(':', '');
  return md5.length === 32 && isHexDigits(md5);
}

/**
 * Tor onion address, v2 (16 characters) or v3 (56). MISP 2.5.1's pattern has a typo (`{56)`) that
 * refuses every v3 address; Cairn accepts them, as the pattern intends.
 */
export function isOnionAddress(value: string): boolean {
  return /^([a-z2-7]{16}|[a-z2-7]{56})\.onion$/.test(value);
}

/** PHP `FILTER_VALIDATE_URL` host rule for http(s): dot-separated labels of letters, digits and inner `-`. */
function isUrlHost(host: string): boolean {
  if (host.startsWith('[') && host.endsWith(']')) return /^\[[0-9a-fA-F:.]+\]$/.test(host);
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (name.length === 0 || name.length > 253) return false;
  return name.split('.').every((l) => /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l));
}

/**
 * `filter_var($value, FILTER_VALIDATE_URL)` as MISP uses it for `link`: only RFC 3986 characters, a scheme,
 * and an authority with a host (except `mailto:`, `news:` and `file:`); http(s) hosts must be valid names.
 */
export function isPhpUrl(value: string): boolean {
  if (!/^[A-Za-z0-9$\-_.+!*'(),{}|\\^~[\]`<>#%";/?:@&=]+$/.test(value)) return false;
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/.exec(value);
  if (!m) return false;
  const scheme = (m[1] as string).toLowerCase();
  const rest = m[2] as string;
  if (!rest.startsWith('//')) return ['mailto', 'news', 'file'].includes(scheme) && rest.length > 0;
  const authority = rest.slice(2).split(/[/?#]/, 1)[0] as string;
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const host = hostPort.startsWith('[') ? hostPort.slice(0, hostPort.indexOf(']') + 1) : (hostPort.split(':')[0] as string);
  if (host === '') return scheme === 'file';
  return scheme === 'http' || scheme === 'https' ? isUrlHost(host) : true;
}
