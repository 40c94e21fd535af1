import { isUuid } from '../util/uuid.js';
import { readBool, readInt, readMicroTimestamp } from './scalars.js';

/**
 * Small readers for MISP's loose JSON input (spec §2.1 "Input side"): PHP accepts numbers and digit strings
 * interchangeably, flags as true/1/"1", and lists either as JSON arrays or as objects keyed "0", "1", …
 */
export type JsonRecord = Record<string, unknown>;

/** MISP's validation error shape: field → messages (CakePHP `validationErrors`). */
export type FieldErrors = Record<string, string[]>;

export const isRecord = (v: unknown): v is JsonRecord => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A list sent as an array, as a PHP-style `{"0": …, "1": …}` object, or as one bare element. */
export function asList(v: unknown, isElement: (r: JsonRecord) => boolean = () => true): unknown[] {
  if (v === undefined || v === null || v === '') return [];
  if (Array.isArray(v)) return v;
  if (isRecord(v)) {
    const keys = Object.keys(v);
    if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) return Object.values(v);
    return isElement(v) ? [v] : [];
  }
  return [];
}

/** Strings as sent; numbers and booleans as PHP would cast them; anything else is absent. */
export function readText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  return undefined;
}

/** Collects per-field errors while a record is read. */
export class FieldReader {
  readonly errors: FieldErrors = {};
  readonly #r: JsonRecord;
  constructor(record: JsonRecord) {
    this.#r = record;
  }

  has(key: string): boolean {
    return this.#r[key] !== undefined && this.#r[key] !== null;
  }

  raw(key: string): unknown {
    return this.#r[key];
  }

  fail(field: string, message: string): undefined {
    (this.errors[field] ??= []).push(message);
    return undefined;
  }

  get ok(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  text(key: string): string | undefined {
    return readText(this.#r[key]);
  }

  flag(key: string): boolean | undefined {
    return this.has(key) ? readBool(this.#r[key]) : undefined;
  }

  /** An integer from a closed range; a present value outside it is a validation error. */
  intIn(key: string, min: number, max: number, message: string): number | undefined {
    if (!this.has(key) || this.#r[key] === '') return undefined;
    const n = readInt(this.#r[key]);
    return n !== undefined && n >= min && n <= max ? n : this.fail(key, message);
  }

  /** Any integer (ids, timestamps); garbage reads as absent, as PHP's int cast of a form value would not help. */
  int(key: string): number | undefined {
    return this.has(key) ? readInt(this.#r[key]) : undefined;
  }

  /** A uuid, lower-cased (spec §1); an invalid one is an error (MISP's `uuid` validation rule). */
  uuid(key: string, message = 'Please provide a valid RFC 4122 UUID'): string | undefined {
    if (!this.has(key) || this.#r[key] === '') return undefined;
    const v = this.#r[key];
    return isUuid(v) ? v.toLowerCase() : this.fail(key, message);
  }

  /** first_seen / last_seen in µs; explicit null or '' clears the value (spec §12.18). */
  micro(key: string): number | null | undefined {
    if (!(key in this.#r)) return undefined;
    const v = readMicroTimestamp(this.#r[key]);
    return v === undefined ? this.fail(key, 'Invalid ISO 8601 format') : v;
  }
}

/** Key of MISP's multi-element error maps (`attribute_0`, `object_2`). */
export const elementKey = (kind: 'attribute' | 'object' | 'reference', index: number): string => `${kind}_${index}`;

/** A parsed list element: its position in the request and either the input or why it was refused. */
export type Parsed<T> =
  | { readonly index: number; readonly ok: true; readonly value: T }
  | { readonly index: number; readonly ok: false; readonly errors: FieldErrors | string };
