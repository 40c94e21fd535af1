import type { DeletedStates } from '../acl/event-visibility.js';
import { badRequest } from '../errors.js';
import { filterId } from '../misp-format/scalars.js';
import type { Range, Terms, TextTerm } from './search-query.js';

/**
 * Readers for restSearch filter values (spec §3.14; `AppModel::convert_filters`, `generic_add_filter`,
 * `resolveTimeDelta`, `MispAttribute::setTimestampConditions`). Wrong shapes are rejected with a MISP-shaped 400
 * rather than guessed at; what MISP itself tolerates (an unparseable relative time) is tolerated the same way.
 */

export const invalidFilter = (name: string) => badRequest(`Invalid value for the "${name}" filter.`);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function scalar(v: unknown, name: string): string {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw invalidFilter(name);
}

function scalars(v: unknown, name: string): string[] {
  if (Array.isArray(v)) return v.map((x) => scalar(x, name));
  return [scalar(v, name)];
}

/**
 * Values one filter may list. Each becomes a bind parameter on SQLite, which allows 32,766 per statement; MISP
 * itself fails well below this (performance.md §1.3).
 */
export const MAX_TERMS = 10_000;

/**
 * A filter value into `{or, and, not}`: a scalar (`a&&!b` splits, `!` negates), a list (OR, `!` negates), or an
 * object with `OR` / `AND` / `NOT` lists. Empty pieces are dropped; undefined when nothing is left.
 */
export function readTerms(raw: unknown, name: string): Terms<string> | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const or: string[] = [];
  const and: string[] = [];
  const not: string[] = [];
  const add = (piece: string) => {
    if (piece === '' || piece === '!') return;
    if (piece.startsWith('!')) not.push(piece.slice(1));
    else or.push(piece);
  };
  if (isObject(raw)) {
    for (const [k, v] of Object.entries(raw)) {
      const list = v === null || v === undefined ? [] : scalars(v, name).filter((p) => p !== '');
      if (k === 'OR' || k === 'or') or.push(...list);
      else if (k === 'AND' || k === 'and') and.push(...list);
      else if (k === 'NOT' || k === 'not') not.push(...list.map((p) => (p.startsWith('!') ? p.slice(1) : p)));
      else throw invalidFilter(name);
    }
  } else if (Array.isArray(raw)) {
    for (const v of raw) add(scalar(v, name));
  } else {
    for (const piece of scalar(raw, name).split('&&')) add(piece.trim());
  }
  const size = or.length + and.length + not.length;
  if (size === 0) return undefined;
  if (size > MAX_TERMS) throw badRequest(`Too many values for the "${name}" filter (at most ${MAX_TERMS}).`);
  return { or, and, not };
}

/** `%` at either end makes a LIKE pattern (`generic_add_filter`); anything else is an exact match. */
export const textTerm = (value: string): TextTerm => ({ value, like: value.startsWith('%') || value.endsWith('%') });

export function mapTerms<A, B>(t: Terms<A>, f: (a: A) => B): Terms<B> {
  return { or: t.or.map(f), and: t.and.map(f), not: t.not.map(f) };
}

export function readTextTerms(raw: unknown, name: string, map: (v: string) => string = (v) => v): Terms<TextTerm> | undefined {
  const t = readTerms(raw, name);
  return t && mapTerms(t, (v) => textTerm(map(v)));
}

/** Integer filters (`eventid` ids, `threat_level_id`, `sharinggroup`): every piece must be an integer. */
export function readIntTerms(raw: unknown, name: string): Terms<number> | undefined {
  const t = readTerms(raw, name);
  if (!t) return undefined;
  return mapTerms(t, (v) => {
    if (!/^-?\d+$/.test(v)) throw invalidFilter(name);
    return filterId(Number(v));
  });
}

/** MISP's loose booleans: true/false, 0/1, "0"/"1", "true"/"false". */
function bool(v: unknown): boolean | undefined {
  if (v === true || v === 1 || v === '1' || v === 'true' || v === 'True') return true;
  if (v === false || v === 0 || v === '0' || v === 'false' || v === 'False') return false;
  return undefined;
}

/** `published` / `to_ids`: one flag or a list of allowed flags (`[0, 1]` = both); to_ids also takes "exclude". */
export function readFlags(raw: unknown, name: string): boolean[] | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const list = Array.isArray(raw) ? raw : [raw];
  const out = new Set<boolean>();
  for (const v of list) {
    const b = v === 'exclude' ? false : bool(v);
    if (b === undefined) throw invalidFilter(name);
    out.add(b);
  }
  return out.size ? [...out] : undefined;
}

/** An option flag (`metadata`, `includeEventUuid`…): absent is false; anything not boolean-like is a 400. */
export function readOption(raw: unknown, name: string): boolean {
  if (raw === undefined || raw === null || raw === '') return false;
  const b = bool(raw);
  if (b === undefined) throw invalidFilter(name);
  return b;
}

/** `limit` / `page`: a non-negative integer. */
export function readCount(raw: unknown, name: string): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const v = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isSafeInteger(v) || v < 0) throw invalidFilter(name);
  return v;
}

/**
 * `deleted` in restSearch: 0 active only, 1 / true / "only" only soft-deleted ones, a list the states named
 * (`[0, 1]` both). Unlike events/view, 1 means "only the deleted ones" here (MispAttribute::fetchAttributes).
 */
export function readDeleted(raw: unknown): DeletedStates | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const list = Array.isArray(raw) ? raw : isObject(raw) && Array.isArray(raw.OR) ? raw.OR : [raw];
  const states = new Set<0 | 1>();
  for (const v of list) {
    const b = v === 'only' ? true : bool(v);
    if (b === undefined) throw invalidFilter('deleted');
    states.add(b ? 1 : 0);
  }
  return [...states].sort();
}

const UNITS: Record<string, number> = { d: 86_400, h: 3_600, m: 60, s: 1 };

/**
 * `AppModel::resolveTimeDelta`: a Unix timestamp (decimals truncated), `Nd`/`Nh`/`Nm`/`Ns` before now, or a date
 * text. Like MISP, anything else resolves to "now + 1" so that the filter matches nothing instead of everything.
 */
export function resolveTimePoint(raw: unknown, now: number, name: string): number {
  return Math.min(LAST_TIME, Math.max(-LAST_TIME, timePoint(raw, now, name)));
}

/**
 * The seconds JavaScript's dates reach either side of 1970. A time point past them is held there: it compares with
 * every stored timestamp as before, and stays a valid bigint after conversion to microseconds (first_seen).
 */
const LAST_TIME = 8_640_000_000_000;

function timePoint(raw: unknown, now: number, name: string): number {
  if (typeof raw === 'number' && Number.isFinite(raw)) return Math.trunc(raw);
  if (typeof raw !== 'string') throw invalidFilter(name);
  const v = raw.trim();
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(v)) return Math.trunc(Number(v));
  const unit = UNITS[v.slice(-1).toLowerCase()];
  if (unit !== undefined) {
    const n = v.slice(0, -1);
    return /^\d+(\.\d+)?$/.test(n) ? Math.trunc(now - Number(n) * unit) : now + 1;
  }
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  return Number.isNaN(ms) ? now + 1 : Math.floor(ms / 1000);
}

/**
 * A time filter: one point (a lower bound) or a two-element `[from, to]` list (swapped when reversed; a 0 lower
 * bound is dropped), as `setTimestampConditions`. Other list lengths are MISP's "Invalid date specification".
 */
export function readRange(raw: unknown, now: number, name: string): Range | undefined {
  if (raw === undefined || raw === null || raw === '' || raw === false) return undefined;
  if (Array.isArray(raw)) {
    if (raw.length !== 2) throw badRequest('Invalid date specification, must be string or array with two elements');
    let [a, b] = [resolveTimePoint(raw[0], now, name), resolveTimePoint(raw[1], now, name)];
    if (a > b) [a, b] = [b, a];
    return a !== 0 ? { from: a, until: b } : { until: b };
  }
  const t = resolveTimePoint(raw, now, name);
  return t === 0 ? undefined : { from: t };
}

/** Seconds of 0000-01-01 and of 9999-12-31, the days a date column can hold. */
const FIRST_DAY = -62_167_219_200;
const LAST_DAY = 253_402_214_400;
/** The UTC day of a timestamp; one past the days a date can hold is the first or last such day. */
const dayOf = (seconds: number): string => new Date(Math.min(LAST_DAY, Math.max(FIRST_DAY, seconds)) * 1000).toISOString().slice(0, 10);

/**
 * `from` / `to`: compared with the event date. A timestamp becomes its (UTC) day; a `YYYY-MM-DD…` text keeps its
 * date part; another date text is parsed. Anything else is a 400 (MISP would compare the raw text).
 */
export function readDay(raw: unknown, name: string): string | undefined {
  if (raw === undefined || raw === null || raw === '' || raw === false) return undefined;
  if (typeof raw === 'number' && Number.isFinite(raw)) return dayOf(Math.trunc(raw));
  if (typeof raw !== 'string') throw invalidFilter(name);
  const v = raw.trim();
  if (/^[+-]?\d+(\.\d*)?$/.test(v)) return dayOf(Math.trunc(Number(v)));
  if (/^\d{4}-\d{2}-\d{2}/.test(v)) return v.slice(0, 10);
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw invalidFilter(name);
  return dayOf(Math.floor(ms / 1000));
}

/** `date`: a time filter whose bounds become days (`Event::set_filter_date`). */
export function readDateRange(raw: unknown, now: number): { from?: string; until?: string } | undefined {
  const r = readRange(raw, now, 'date');
  if (!r) return undefined;
  return { ...(r.from !== undefined ? { from: dayOf(r.from) } : {}), ...(r.until !== undefined ? { until: dayOf(r.until) } : {}) };
}

/** A list of names (`requested_attributes`): a list or a comma-separated text. */
export function readNames(raw: unknown, name: string): string[] | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : undefined;
  if (!list) throw invalidFilter(name);
  return list.map((x) => scalar(x, name)).filter((x) => x !== '');
}
