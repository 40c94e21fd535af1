import { randomUUID } from 'node:crypto';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** MISP accepts any RFC 4122 shaped uuid and stores it lower-cased (spec §1). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_RE.test(value);
}

export const newUuid = (): string => randomUUID();

/** A path or body reference to a row: a numeric local id or a uuid (spec §0.1 "IDs"). */
export type Ref = { readonly id: number } | { readonly uuid: string };

/** Parses "12" / 12 / "<uuid>" into a Ref; anything else is undefined. */
export function parseRef(raw: unknown): Ref | undefined {
  if (typeof raw === 'number' && Number.isInteger(raw) && raw > 0) return { id: raw };
  if (typeof raw !== 'string') return undefined;
  if (/^\d+$/.test(raw)) {
    const id = Number(raw);
    return id > 0 && Number.isSafeInteger(id) ? { id } : undefined;
  }
  return isUuid(raw) ? { uuid: raw.toLowerCase() } : undefined;
}
