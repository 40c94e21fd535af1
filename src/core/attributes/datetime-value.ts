/**
 * The `datetime` attribute type. MISP re-formats every datetime value on save
 * (`AttributeValidationTool::modifyBeforeValidation`: `new DateTime($value, GMT)` then
 * `format('Y-m-d\TH:i:s.uO')`), so `2020-01-03` is stored as `2020-01-03T00:00:00.000000+0000`
 * and a value PHP cannot parse is refused ("Datetime has to be in the ISO 8601 format.").
 *
 * PHP understands far more formats than are worth porting; Cairn reads what clients send in practice:
 * ISO 8601 dates and date-times (with `T` or a space, optional fraction, `Z`/`UTC`/`GMT`/`±hh[:mm]`),
 * `@<epoch>` and, through `Date.parse`, RFC 2822 style strings with month names. A value without a zone
 * is read as GMT, like MISP; an explicit offset is kept in the output, like PHP.
 */

const ISO =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/;
const EPOCH = /^@(-?\d+)(?:\.(\d+))?$/;
const ZONE_IN_TEXT = /(GMT|UTC|\bZ\b|[+-]\d{2}:?\d{2}\b)/;

interface Instant {
  /** Seconds since the epoch, UTC. */
  readonly seconds: number;
  /** Six-digit microsecond fraction. */
  readonly micros: string;
  /** Offset east of UTC, minutes, used for display. */
  readonly offsetMinutes: number;
}

const pad = (n: number, width: number): string => String(Math.abs(n)).padStart(width, '0');

function microsOf(fraction: string | undefined): string {
  return (fraction ?? '').padEnd(6, '0').slice(0, 6);
}

function parseOffset(zone: string | undefined): number {
  if (!zone || /^(Z|z|UTC|GMT)$/.test(zone)) return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
}

function parseIso(m: RegExpExecArray): Instant | undefined {
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  const date = new Date(0);
  // setUTCFullYear keeps years < 100 literal; day overflow rolls over (2020-02-30 → 2020-03-01) as in PHP.
  date.setUTCFullYear(Number(y), month - 1, day);
  date.setUTCHours(Number(h), Number(mi), Number(s), 0);
  const offsetMinutes = parseOffset(zone);
  return { seconds: date.getTime() / 1000 - offsetMinutes * 60, micros: microsOf(frac), offsetMinutes };
}

function parseEpoch(m: RegExpExecArray): Instant {
  const whole = Number(m[1]);
  const micros = microsOf(m[2]);
  if (whole < 0 && Number(micros) > 0) {
    return { seconds: whole - 1, micros: pad(1_000_000 - Number(micros), 6), offsetMinutes: 0 };
  }
  return { seconds: whole, micros, offsetMinutes: 0 };
}

function parseLoose(value: string): Instant | undefined {
  if (!/[A-Za-z]{3}/.test(value)) return undefined; // bare numbers and odd punctuation are not dates
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) return undefined;
  // Without a zone Date.parse reads local time; MISP reads GMT.
  const utcMs = ZONE_IN_TEXT.test(value) ? ms : ms - new Date(ms).getTimezoneOffset() * 60_000;
  return { seconds: Math.floor(utcMs / 1000), micros: pad((utcMs % 1000) * 1000, 6), offsetMinutes: 0 };
}

/** Reads a datetime value as MISP would, or returns undefined when MISP would refuse it. */
export function parseDatetimeValue(value: string): Instant | undefined {
  const iso = ISO.exec(value);
  if (iso) return parseIso(iso);
  const epoch = EPOCH.exec(value);
  if (epoch) return parseEpoch(epoch);
  return parseLoose(value);
}

/** PHP `format('Y-m-d\TH:i:s.uO')`. */
export function formatDatetimeValue(instant: Instant): string {
  const local = new Date((instant.seconds + instant.offsetMinutes * 60) * 1000);
  const year = local.getUTCFullYear();
  const date = `${year < 0 ? '-' : ''}${pad(year, 4)}-${pad(local.getUTCMonth() + 1, 2)}-${pad(local.getUTCDate(), 2)}`;
  const time = `${pad(local.getUTCHours(), 2)}:${pad(local.getUTCMinutes(), 2)}:${pad(local.getUTCSeconds(), 2)}`;
  const off = instant.offsetMinutes;
  const zone = `${off < 0 ? '-' : '+'}${pad(Math.trunc(off / 60), 2)}${pad(off % 60, 2)}`;
  return `${date}T${time}.${instant.micros}${zone}`;
}

/** The stored form of a datetime value, or the input unchanged when it cannot be read (validation then refuses it). */
export function normaliseDatetime(value: string): string {
  const instant = parseDatetimeValue(value);
  return instant ? formatDatetimeValue(instant) : value;
}
