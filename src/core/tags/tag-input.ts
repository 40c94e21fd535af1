import { notAllowed } from '../errors.js';
import { readBool, readInt } from '../misp-format/scalars.js';
import type { NewTag } from '../ports/tag-store.js';
import { isValidTagColour } from './tag-colour.js';

/** The body of tags/add and tags/edit: `{"Tag": {...}}` or the bare tag (PyMISP sends it bare). */
function unwrap(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
  const b = body as Record<string, unknown>;
  const inner = b.Tag && typeof b.Tag === 'object' && !Array.isArray(b.Tag) ? (b.Tag as Record<string, unknown>) : b;
  // MISP also unwraps `{"Tag": {"request": {...}}}` (TagsController::add).
  return inner.request && typeof inner.request === 'object' ? (inner.request as Record<string, unknown>) : inner;
}

/**
 * Reads the writable tag columns leniently (spec §2.1). Read-only output members PyMISP echoes back on
 * update_tag (`id`, `count`, `attribute_count`, `favourite`) are ignored. Invalid values fail like MISP's model
 * validation: 405 "Could not add the Tag. [field]: message" (MISP uses that text for edit too).
 */
export function readTagFields(body: unknown): Partial<NewTag> {
  const b = unwrap(body);
  const out: Partial<NewTag> = {};
  const invalid = (field: string, message: string) => notAllowed(`Could not add the Tag. [${field}]: ${message}`);
  if ('name' in b) {
    if (typeof b.name !== 'string' && typeof b.name !== 'number') throw invalid('name', 'This field is required.');
    out.name = String(b.name).trim();
    if (out.name === '') throw invalid('name', 'This field is required.');
  }
  if ('colour' in b && b.colour !== null && b.colour !== undefined) {
    if (typeof b.colour !== 'string' || !isValidTagColour(b.colour)) throw invalid('colour', 'Colour has to be in the RGB format (#FFFFFF)');
    out.colour = b.colour;
  }
  const flag = (key: string, set: (v: boolean) => void) => {
    if (!(key in b)) return;
    const v = readBool(b[key]);
    if (v !== undefined) set(v);
  };
  flag('exportable', (v) => { out.exportable = v; });
  flag('hide_tag', (v) => { out.hideTag = v; });
  flag('is_galaxy', (v) => { out.isGalaxy = v; });
  flag('is_custom_galaxy', (v) => { out.isCustomGalaxy = v; });
  flag('local_only', (v) => { out.localOnly = v; });
  const id = (key: string, set: (v: number) => void) => {
    if (!(key in b) || b[key] === null || b[key] === '') return;
    const v = readInt(b[key]);
    if (v === undefined || v < 0) throw invalid(key, 'Invalid value.');
    set(v);
  };
  id('org_id', (v) => { out.orgId = v; });
  id('user_id', (v) => { out.userId = v; });
  if ('numerical_value' in b) {
    const raw = b.numerical_value;
    if (raw === null || raw === '') out.numericalValue = null;
    else {
      const v = readInt(raw);
      if (v === undefined) throw invalid('numerical_value', 'Invalid value.');
      out.numericalValue = v;
    }
  }
  return out;
}
