import { type FieldErrors, isRecord, readText } from '../misp-format/input-readers.js';
import { readBool } from '../misp-format/scalars.js';
import type { NewOrganisation } from '../ports/identity-store.js';
import { isUuid } from '../util/uuid.js';

export type OrganisationInput = Partial<Omit<NewOrganisation, 'createdBy'>>;

/** restricted_to_domain as a list or as newline-separated text (Organisation::beforeValidate). */
function readDomains(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  const list = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.replace(/\r/g, '').split('\n') : [];
  return list.map((d) => d.trim()).filter((d) => d !== '');
}

const optionalText = (v: unknown): string | null | undefined => (v === null ? null : readText(v));

/** Reads an Organisation body (bare or wrapped in `{"Organisation": …}`); `id` is ignored. */
export function readOrganisationInput(body: unknown): { input: OrganisationInput; errors: FieldErrors } {
  const outer = isRecord(body) ? body : {};
  const r = isRecord(outer.Organisation) ? outer.Organisation : outer;
  const errors: FieldErrors = {};
  const input: OrganisationInput = {};
  const name = readText(r.name);
  if (name !== undefined) input.name = name.trim();
  if (r.uuid !== undefined && r.uuid !== null && r.uuid !== '') {
    const uuid = String(r.uuid).trim();
    if (isUuid(uuid)) input.uuid = uuid.toLowerCase();
    else (errors.uuid ??= []).push('Please provide a valid RFC 4122 UUID');
  }
  for (const k of ['description', 'type', 'nationality', 'sector', 'contacts', 'landingpage'] as const) {
    const v = optionalText(r[k]);
    if (v !== undefined) input[k] = v;
  }
  if (r.local !== undefined) {
    const local = readBool(r.local);
    if (local === undefined) (errors.local ??= []).push('The value must be a boolean.');
    else input.local = local;
  }
  const domains = readDomains(r.restricted_to_domain);
  if (domains !== undefined) input.restrictedToDomain = domains;
  return { input, errors };
}
