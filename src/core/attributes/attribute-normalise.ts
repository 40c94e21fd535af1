import { domainToASCII } from 'node:url';
import { normaliseDatetime } from './datetime-value.js';
import { normaliseIp } from './ip-address.js';
import { isDomainName } from './value-patterns.js';
import { asciiLower, asciiUpper, foundAfterStart, isDigits, isPhpTruthy, phpTrim, trimChars } from './php-string.js';

/**
 * Per-type rewriting done on every attribute save before validation (spec §8.3,
 * `AttributeValidationTool::modifyBeforeValidation`). Values stay comparable across MISP instances only if
 * Cairn stores exactly the text MISP stores: lower-case hashes and hostnames, compressed IPv6, `ip|port`…
 *
 * Not ported on purpose: `handle4ByteUnicode` (MISP replaces emoji and other 4-byte characters with `?`
 * because of MySQL's 3-byte utf8; Cairn's databases store them faithfully).
 */

const LOWER_CASE = new Set([
  'md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha512/224', 'sha512/256',
  'sha3-224', 'sha3-256', 'sha3-384', 'sha3-512', 'ja3-fingerprint-md5', 'jarm-fingerprint', 'hassh-md5',
  'hasshserver-md5', 'hostname', 'pehash', 'authentihash', 'vhash', 'imphash', 'telfhash', 'tlsh', 'anonymised',
  'cdhash', 'email', 'email-src', 'email-dst', 'target-email', 'whois-registrant-email', 'dom-hash', 'onion-address',
  // Not in MISP 2.5.1 (newer type): stored lower-case like the attribute `uuid` field.
  'uuid',
]);

/** `filename|<hash>` types whose hash half is lower-cased. */
const FILENAME_HASH = new Set([
  'filename|md5', 'filename|sha1', 'filename|imphash', 'filename|sha224', 'filename|sha256', 'filename|sha384',
  'filename|sha512', 'filename|sha512/224', 'filename|sha512/256', 'filename|sha3-224', 'filename|sha3-256',
  'filename|sha3-384', 'filename|sha3-512', 'filename|authentihash', 'filename|vhash', 'filename|pehash',
  'filename|tlsh',
]);

/** Lower-cases, trims dots and converts an IDN to punycode when it is not already a valid domain. */
function normaliseDomain(value: string): string {
  const domain = trimChars(asciiLower(value), '.');
  if (isDomainName(domain)) return domain;
  const puny = domainToASCII(domain);
  return puny === '' ? domain : puny;
}

function normaliseDomainIp(value: string): string {
  const lower = asciiLower(value);
  const parts = lower.split('|');
  if (parts.length < 2) return lower;
  // explode() keeps every part but MISP rebuilds only the first two; a third part is dropped.
  return `${normaliseDomain(parts[0] as string)}|${normaliseIp(parts[1] as string)}`;
}

/**
 * `ip-src|port` / `ip-dst|port` accept `ip:port`, `ip|port`, `[v6]:port`, `v6.port`, `v6 port N`, `v6pN`,
 * `v6#N` and the ambiguous `v6:N`, and store `ip|port`.
 */
function normaliseIpPort(value: string): string {
  let parts: string[];
  if ((value.match(/:/g)?.length ?? 0) >= 2) {
    if (foundAfterStart(value, '|')) parts = value.split('|');
    else if (value.startsWith('[') && value.includes(']')) {
      const close = value.indexOf(']');
      parts = [value.slice(1, close), value.slice(close).split(':')[1] ?? ''];
    } else if (foundAfterStart(value, '.')) parts = value.split('.');
    else if (foundAfterStart(value, ' port ')) parts = value.split(' port ');
    else if (foundAfterStart(value, 'p')) parts = value.split('p');
    else if (foundAfterStart(value, '#')) parts = value.split('#');
    else {
      const last = value.lastIndexOf(':');
      parts = [value.slice(0, last), value.slice(last + 1)];
    }
  } else if (foundAfterStart(value, ':')) parts = value.split(':');
  else if (foundAfterStart(value, '|')) parts = value.split('|');
  else return value;
  return `${normaliseIp(parts[0] as string)}|${parts[1] ?? ''}`;
}

function normaliseMac(value: string): string {
  const hex = asciiLower(value).replace(/[.:\- ]/g, '');
  return hex.match(/.{1,2}/g)?.join(':') ?? hex;
}

/** "true" → 1, "false" → 0, anything else by PHP truthiness (only "" and "0" are false), so "no" → 1 as in MISP. */
function normaliseBoolean(value: string): string {
  const v = phpTrim(asciiLower(value));
  if (v === 'true') return '1';
  if (v === 'false') return '0';
  return isPhpTruthy(v) ? '1' : '0';
}

/** `AS64496`, `as64496` → `64496`; asdot `1.10` → `65546`. */
function normaliseAs(value: string): string {
  const v = asciiUpper(value.slice(0, 2)) === 'AS' ? value.slice(2) : value;
  if (v.includes('.')) {
    const dot = v.indexOf('.');
    const high = v.slice(0, dot);
    const low = v.slice(dot + 1);
    if (isDigits(high) && isDigits(low)) return String(Number(high) * 65536 + Number(low));
  }
  return v;
}

function normalisePhone(value: string): string {
  const v = value.startsWith('00') ? `+${value.slice(2)}` : value;
  return v.replace(/\(0\)/g, '').replace(/[^+0-9]+/g, '');
}

/** Rewrites an already trimmed and refanged value into the form MISP stores for its type. */
export function normaliseAttributeValue(type: string, value: string): string {
  if (LOWER_CASE.has(type)) return asciiLower(value);
  if (FILENAME_HASH.has(type)) {
    const bar = value.indexOf('|');
    return bar === -1 ? value : value.slice(0, bar) + asciiLower(value.slice(bar));
  }
  switch (type) {
    case 'ip-src':
    case 'ip-dst':
      return normaliseIp(value);
    case 'domain':
      return normaliseDomain(value);
    case 'domain|ip':
      return normaliseDomainIp(value);
    case 'http-method':
    case 'hex':
      return asciiUpper(value);
    case 'vulnerability':
    case 'weakness':
      return asciiUpper(value.replaceAll('–', '-'));
    case 'cc-number':
    case 'bin':
      return value.replace(/[^0-9]+/g, '');
    case 'iban':
    case 'bic':
      return asciiUpper(value).replace(/[^0-9A-Z]+/g, '');
    case 'prtn':
    case 'whois-registrant-phone':
    case 'phone-number':
      return normalisePhone(value);
    case 'x509-fingerprint-md5':
    case 'x509-fingerprint-sha256':
    case 'x509-fingerprint-sha1':
      return asciiLower(value.replaceAll(':', ''));
    case 'ip-dst|port':
    case 'ip-src|port':
      return normaliseIpPort(value);
    case 'mac-address':
    case 'mac-eui-64':
      return normaliseMac(value);
    case 'hostname|port':
      return asciiLower(value).replaceAll(':', '|');
    case 'boolean':
      return normaliseBoolean(value);
    case 'datetime':
      return normaliseDatetime(value);
    case 'AS':
      return normaliseAs(value);
    default:
      return value;
  }
}
