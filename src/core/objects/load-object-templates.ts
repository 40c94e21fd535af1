import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ObjectTemplate, ObjectTemplateAttribute, ObjectTemplateRegistry } from './object-templates.js';

/**
 * Reads the misp-objects templates from `<dataPacks>/objects/objects/<name>/definition.json` (spec §2.11).
 * This runs at every start, so it does the least possible: one directory listing, one read and one
 * `JSON.parse` per template (424 templates, about 6 MB, load in tens of milliseconds). A missing or
 * malformed template is reported and skipped; a broken data pack never stops the server.
 */

export interface ObjectTemplateLoad {
  readonly registry: ObjectTemplateRegistry;
  /** One line per skipped file or ignored entry, naming the file. */
  readonly warnings: readonly string[];
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const flag = (v: unknown): boolean => v === true || v === 1 || v === '1';

function toAttribute(relation: string, raw: Json): ObjectTemplateAttribute {
  return {
    objectRelation: relation,
    type: raw['misp-attribute'] as string,
    uiPriority: typeof raw['ui-priority'] === 'number' ? raw['ui-priority'] : 0,
    categories: strings(raw.categories),
    multiple: flag(raw.multiple),
    disableCorrelation: flag(raw.disable_correlation),
    toIds: raw.to_ids === undefined ? undefined : flag(raw.to_ids),
    saneDefault: strings(raw.sane_default),
    valuesList: strings(raw.values_list),
    description: str(raw.description),
  };
}

/** Turns one parsed definition.json into a template, or explains why it cannot be used. */
export function parseObjectTemplate(raw: unknown, file: string, warnings: string[]): ObjectTemplate | undefined {
  const skip = (why: string): undefined => {
    warnings.push(`${file}: ${why}`);
    return undefined;
  };
  if (!isObject(raw)) return skip('not a JSON object');
  const { name, uuid, version, attributes } = raw;
  if (typeof name !== 'string' || name === '') return skip('no name');
  if (typeof uuid !== 'string' || uuid === '') return skip('no uuid');
  const numericVersion = typeof version === 'string' ? Number(version) : version;
  if (typeof numericVersion !== 'number' || !Number.isInteger(numericVersion)) return skip('no version');
  if (!isObject(attributes)) return skip('no attributes');
  const byRelation = new Map<string, ObjectTemplateAttribute>();
  for (const [relation, attr] of Object.entries(attributes)) {
    if (!isObject(attr) || typeof attr['misp-attribute'] !== 'string') {
      warnings.push(`${file}: attribute ${relation} has no misp-attribute, ignored`);
      continue;
    }
    byRelation.set(relation, toAttribute(relation, attr));
  }
  return {
    uuid: uuid.toLowerCase(),
    name,
    metaCategory: str(raw['meta-category']),
    description: str(raw.description),
    version: numericVersion,
    required: strings(raw.required),
    requiredOneOf: strings(raw.requiredOneOf),
    attributes: byRelation,
  };
}

/** An in-memory registry over already parsed templates; the first template wins on a duplicate uuid or name. */
export function objectTemplateRegistry(templates: readonly ObjectTemplate[], warnings: string[] = []): ObjectTemplateRegistry {
  const byUuid = new Map<string, ObjectTemplate>();
  const byName = new Map<string, ObjectTemplate>();
  for (const t of templates) {
    if (byUuid.has(t.uuid) || byName.has(t.name)) {
      warnings.push(`object template ${t.name} (${t.uuid}) duplicates another template, ignored`);
      continue;
    }
    byUuid.set(t.uuid, t);
    byName.set(t.name, t);
  }
  const all = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    byUuid: (uuid) => byUuid.get(uuid.toLowerCase()),
    byName: (name) => byName.get(name),
    all: () => all,
  };
}

/** Reads every template and returns the registry together with the warnings, without logging. */
export function readObjectTemplates(dataPacks: string): ObjectTemplateLoad {
  const warnings: string[] = [];
  const dir = join(dataPacks, 'objects', 'objects');
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  } catch (err) {
    warnings.push(`${dir}: cannot list object templates (${(err as Error).message})`);
    return { registry: objectTemplateRegistry([]), warnings };
  }
  const templates: ObjectTemplate[] = [];
  for (const name of names) {
    const file = join(dir, name, 'definition.json');
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      warnings.push(`${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : (err as Error).message}`);
      continue;
    }
    const template = parseObjectTemplate(raw, file, warnings);
    if (template) templates.push(template);
  }
  return { registry: objectTemplateRegistry(templates, warnings), warnings };
}

/**
 * Reads every template under `<dataPacks>/objects/objects/*\/definition.json` for the composition root.
 * Problems are written once, as one `console.warn`, and the usable templates are still served.
 */
export function loadObjectTemplates(dataPacks: string): ObjectTemplateRegistry {
  const { registry, warnings } = readObjectTemplates(dataPacks);
  if (warnings.length > 0) {
    console.warn(`object templates: ${warnings.length} problem(s), affected templates skipped:\n  ${warnings.join('\n  ')}`);
  }
  return registry;
}
