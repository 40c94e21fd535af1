import type { NewObjectTemplateElement } from '../ports/object-template-store.js';
import type { Stores } from '../ports/stores.js';
import { readObjectTemplates } from './load-object-templates.js';
import type { ObjectTemplate } from './object-templates.js';

/**
 * objectTemplates/update (ObjectTemplate::update, spec §3.3): stores every template of the misp-objects pack whose
 * version is newer than the stored one (all with `force`), as a new row that becomes the active version of its
 * uuid. Templates are parsed by the same reader as the in-memory registry the object checks use.
 */

export interface ObjectTemplateImportReport {
  /** MISP's `success` entries: name, new version and the replaced one. */
  readonly installed: readonly { readonly name: string; readonly version: number; readonly old?: number }[];
  readonly warnings: readonly string[];
  readonly ms: number;
}

/** ObjectTemplate::__updateObjectTemplate keeps only the requirement lists the template declares. */
function requirements(t: ObjectTemplate): Record<string, readonly string[]> | [] {
  const r: Record<string, readonly string[]> = {};
  if (t.required.length) r.required = t.required;
  if (t.requiredOneOf.length) r.requiredOneOf = t.requiredOneOf;
  return Object.keys(r).length ? r : [];
}

function elements(t: ObjectTemplate): NewObjectTemplateElement[] {
  return [...t.attributes.values()].map((a) => ({
    objectRelation: a.objectRelation, type: a.type, uiPriority: a.uiPriority, categories: a.categories,
    saneDefault: a.saneDefault, valuesList: a.valuesList, description: a.description,
    disableCorrelation: a.disableCorrelation, multiple: a.multiple,
  }));
}

/**
 * Run inside a transaction. `owner` is the updating user (0/0 from the command line, like MISP's CLI); `only` names
 * the one template to update (MISP's `type`, the template's directory and name). Unreadable or invalid template files
 * are skipped and listed in `warnings`; the others are still imported.
 */
export async function importObjectTemplates(stores: Stores, dataPacks: string, owner: { userId: number; orgId: number },
  opts: { force?: boolean; only?: string } = {}): Promise<ObjectTemplateImportReport> {
  const started = performance.now();
  const { registry, warnings } = readObjectTemplates(dataPacks);
  const current = await stores.objectTemplates.latestVersions();
  const chosen = registry.all().filter((t) => {
    if (opts.only !== undefined && t.name !== opts.only) return false;
    const old = current.get(t.uuid);
    return opts.force || old === undefined || t.version > old;
  });
  // One bulk insert for the templates and one for their elements: 424 templates and ~5,000 elements in two statements.
  const ids = await stores.objectTemplates.insertMany(chosen.map((t) => ({
    userId: owner.userId, orgId: owner.orgId, uuid: t.uuid, name: t.name, metaCategory: t.metaCategory,
    description: t.description, version: t.version, requirements: requirements(t), fixed: true,
  })));
  const rows: (NewObjectTemplateElement & { objectTemplateId: number })[] = chosen.flatMap((t, k) =>
    elements(t).map((e) => ({ ...e, objectTemplateId: ids[k]! })));
  const installed = chosen.map((t) => {
    const old = current.get(t.uuid);
    return { name: t.name, version: t.version, ...(old !== undefined ? { old } : {}) };
  });
  await stores.objectTemplates.insertElements(rows);
  await stores.objectTemplates.activateLatest(ids);
  return { installed, warnings, ms: Math.round(performance.now() - started) };
}
