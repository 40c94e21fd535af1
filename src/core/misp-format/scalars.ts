/**
 * MISP wire scalars (spec §2.1): integers go out as digit strings, tinyint(1) as booleans, µs
 * first_seen/last_seen as ISO 8601 with microseconds; input is read leniently.
 */
export const str = (n: number | null | undefined): string | null => (n === null || n === undefined ? null : String(n));
export const s0 = (n: number | null | undefined): string => String(n ?? 0);

/** Reads MISP's loose booleans: true/false, 0/1, "0"/"1", "true"/"false". */
export function readBool(v: unknown): boolean | undefined {
  if (v === true || v === 1 || v === '1' || v === 'true' || v === 'True') return true;
  if (v === false || v === 0 || v === '0' || v === 'false' || v === 'False' || v === '' || v === null) return false;
  return undefined;
}

/** Reads an integer sent as a number or a digit string. */
/** The largest id an id column holds (MISP's `int(11)`, PostgreSQL's `integer`). */
const MAX_ID = 2_147_483_647;
/** An id no row has: a filter term naming it matches nothing (a name that resolves to no row, an id out of range). */
export const NO_ROW = -1;

/** A filter's id as the query compares it: past the id columns' range it can match no row, and is {@link NO_ROW}. */
export function filterId(n: number): number {
  return n >= -MAX_ID - 1 && n <= MAX_ID ? n : NO_ROW;
}

export function readInt(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : NaN;
  // past 2^53 a number is no longer exact, and the databases refuse it where they want an integer (LIMIT, ids)
  return Number.isSafeInteger(n) ? n : undefined;
}

/** `YYYY-MM-DD HH:MM:SS` in UTC, MISP's DATETIME rendering. */
export function datetime(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

/** µs epoch → `2021-03-04T12:00:00.000000+00:00` (AppModel::microTimestampToIso). */
export function microToIso(us: number | null): string | null {
  if (us === null) return null;
  const ms = Math.floor(us / 1000);
  const micro = String(((us % 1_000_000) + 1_000_000) % 1_000_000).padStart(6, '0');
  return `${new Date(ms).toISOString().slice(0, 19)}.${micro}+00:00`;
}

/** The last microsecond of JavaScript's dates (±8.64e15 ms either side of 1970). */
const LAST_MICROSECOND = 8_640_000_000_000_000_000;

/**
 * Reads first_seen/last_seen as MISP accepts them: ISO 8601 with any offset (fraction up to µs),
 * a Unix timestamp in seconds, or microseconds. Returns µs, null for empty, undefined when invalid.
 */
export function readMicroTimestamp(v: unknown): number | null | undefined {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number' || (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v))) {
    const n = Number(v);
    // MISP stores µs; a value below 1e11 can only be seconds
    const us = n < 1e11 ? Math.round(n * 1_000_000) : Math.round(n);
    // past the dates JavaScript (and so the answer's ISO text) reaches, it is no time at all
    return Math.abs(us) <= LAST_MICROSECOND ? us : undefined;
  }
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(v.trim());
  if (!m) return undefined;
  const [, date, hh = '00', mm = '00', ss = '00', frac = '', tz = 'Z'] = m;
  const zone = tz.toUpperCase() === 'Z' ? 'Z' : tz.length === 5 ? `${tz.slice(0, 3)}:${tz.slice(3)}` : tz;
  const ms = Date.parse(`${date}T${hh}:${mm}:${ss}${zone}`);
  if (Number.isNaN(ms)) return undefined;
  return ms * 1000 + Number(frac.padEnd(6, '0').slice(0, 6));
}
