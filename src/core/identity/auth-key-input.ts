import ipaddr from 'ipaddr.js';
import { type FieldErrors, isRecord } from '../misp-format/input-readers.js';
import { readBool } from '../misp-format/scalars.js';
import type { Settings } from '../settings/settings.js';
import { isUuid } from '../util/uuid.js';

/** What auth_keys/add and auth_keys/edit accept (AuthKey::beforeValidate). */
export interface AuthKeyInput {
  readonly uuid?: string;
  readonly comment?: string;
  /** Unix seconds, 0 = never. */
  readonly expiration?: number;
  readonly readOnly?: boolean;
  /** null clears the list. */
  readonly allowedIps?: readonly string[] | null;
}

const validRange = (s: string): boolean => ipaddr.IPv4.isValidFourPartDecimal(s) || ipaddr.IPv6.isValid(s)
  || ipaddr.IPv4.isValidCIDRFourPartDecimal(s) || ipaddr.IPv6.isValidCIDR(s);

/** allowed_ips as a list, a JSON list, or one string split at newlines and commas. */
function readAllowedIps(raw: unknown, errors: FieldErrors): readonly string[] | null | undefined {
  if (raw === undefined) return undefined;
  if (raw === null || raw === '' || (Array.isArray(raw) && raw.length === 0)) return null;
  let list: unknown = raw;
  if (typeof raw === 'string') {
    const t = raw.trim();
    if (t.startsWith('[')) {
      try {
        list = JSON.parse(t);
      } catch {
        list = undefined;
      }
    } else {
      list = t.split(/[\n,]/).map((x) => x.trim()).filter((x) => x !== '');
    }
  }
  if (!Array.isArray(list)) {
    (errors.allowed_ips ??= []).push('Allowed IPs must be array');
    return undefined;
  }
  const out: string[] = [];
  for (const entry of list) {
    const cidr = String(entry).trim();
    if (validRange(cidr)) out.push(cidr);
    else (errors.allowed_ips ??= []).push(`${cidr} is not valid IP range`);
  }
  return out.length ? out : null;
}

/** An expiration as Unix seconds or a date (`YYYY-MM-DD[ HH:MM:SS]`, read as UTC); 0/empty = absent. */
function readExpiration(raw: unknown): number | null | undefined {
  if (raw === undefined || raw === null || raw === '' || raw === 0 || raw === '0' || raw === false) return undefined;
  if (typeof raw === 'number' && Number.isFinite(raw)) return Math.trunc(raw);
  if (typeof raw !== 'string') return null;
  const t = raw.trim();
  if (/^\d+$/.test(t)) return Number(t);
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?))?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(t);
  if (!m) return null;
  const ms = Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}${m[3] ?? 'Z'}`);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}

/**
 * Reads an AuthKey body (optionally wrapped in `{"AuthKey": …}`). On create, a missing expiration becomes
 * `Security.advanced_authkeys_validity` days from now (0 = never); a later one than that is refused.
 */
export function readAuthKeyInput(body: unknown, settings: Settings, now: number, creating: boolean): { input: AuthKeyInput; errors: FieldErrors } {
  const outer = isRecord(body) ? body : {};
  const r = isRecord(outer.AuthKey) ? outer.AuthKey : outer;
  const errors: FieldErrors = {};
  const validityDays = settings.num('Security.advanced_authkeys_validity');
  const maxExpiration = validityDays > 0 ? now + validityDays * 86_400 : 0;

  let expiration = readExpiration(r.expiration);
  if (expiration === null) {
    (errors.expiration ??= []).push('Expiration must be in YYYY-MM-DD format.');
    expiration = undefined;
  } else if (expiration === undefined && (creating || 'expiration' in r)) {
    expiration = maxExpiration;
  } else if (expiration !== undefined && maxExpiration && expiration > maxExpiration) {
    (errors.expiration ??= []).push(`Maximal key validity is ${validityDays} days.`);
  }

  let readOnly: boolean | undefined;
  if (r.read_only !== undefined) {
    readOnly = readBool(r.read_only);
    if (readOnly === undefined) (errors.read_only ??= []).push('The value must be a boolean.');
  }
  let uuid: string | undefined;
  if (creating && r.uuid !== undefined && r.uuid !== '') {
    if (isUuid(r.uuid)) uuid = r.uuid.toLowerCase();
    else (errors.uuid ??= []).push('Please provide a valid RFC 4122 UUID');
  }
  const allowedIps = readAllowedIps(r.allowed_ips, errors);
  const comment = typeof r.comment === 'string' ? r.comment : undefined;
  return {
    input: {
      ...(uuid !== undefined ? { uuid } : {}), ...(comment !== undefined ? { comment } : {}),
      ...(expiration !== undefined ? { expiration } : {}), ...(readOnly !== undefined ? { readOnly } : {}),
      ...(allowedIps !== undefined ? { allowedIps } : {}),
    },
    errors,
  };
}
