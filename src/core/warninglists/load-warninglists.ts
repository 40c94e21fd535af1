import { join } from 'node:path';
import {
  isJsonObject, nonEmptyString, type PackFailure, packVersion, readJsonFile, subfolders,
} from '../knowledge-pack-files.js';
import {
  isWarninglistKind, WARNINGLIST_CATEGORIES, type WarninglistCategory, type WarninglistDef, type WarninglistEntryDef,
} from './warninglist-model.js';

/**
 * Reads misp-warninglists from `<dataPacks>/warninglists/lists/<name>/list.json` (Warninglist::update). A
 * missing or malformed file becomes a failure named after its folder and is skipped.
 */

export interface WarninglistPackLoad {
  readonly lists: readonly WarninglistDef[];
  readonly failures: readonly PackFailure[];
}

/** PHP's `!empty($value)`: MISP drops '' and '0' entries on import. */
const keepValue = (v: string): boolean => v !== '' && v !== '0';

function entries(list: unknown): WarninglistEntryDef[] | undefined {
  if (Array.isArray(list)) {
    return list.filter((v) => typeof v === 'string' || typeof v === 'number').map(String).filter(keepValue)
      .map((value) => ({ value, comment: null }));
  }
  // `{"value": "comment"}`: a list with comments (Warninglist::__updateList)
  if (isJsonObject(list)) {
    return Object.entries(list).filter(([value]) => keepValue(value))
      .map(([value, comment]) => ({ value, comment: typeof comment === 'string' && comment !== '' ? comment : null }));
  }
  return undefined;
}

/** One list.json; returns the reason when it cannot be imported. */
export function parseWarninglist(raw: unknown): WarninglistDef | string {
  if (!isJsonObject(raw)) return 'not a JSON object';
  if (!nonEmptyString(raw.name)) return 'no name';
  if (!nonEmptyString(raw.description)) return 'no description';
  const version = packVersion(raw.version);
  if (version === undefined) return `invalid version ${JSON.stringify(raw.version)}`;
  const type = raw.type === undefined ? 'string' : Array.isArray(raw.type) ? raw.type[0] : raw.type;
  if (!isWarninglistKind(type)) return `unknown type ${JSON.stringify(type)}`;
  const list = entries(raw.list);
  if (!list) return "field 'list' must be an array or an object";
  const matching = Array.isArray(raw.matching_attributes)
    ? raw.matching_attributes.filter((t): t is string => typeof t === 'string' && t !== '') : [];
  const category = (WARNINGLIST_CATEGORIES as readonly unknown[]).includes(raw.category)
    ? raw.category as WarninglistCategory : 'false_positive';
  return {
    name: raw.name, type, description: raw.description, version, category,
    matchingAttributes: matching.length ? matching : ['ALL'], entries: list,
  };
}

export function loadWarninglistPack(dataPacks: string): WarninglistPackLoad {
  const root = join(dataPacks, 'warninglists', 'lists');
  const lists: WarninglistDef[] = [];
  const failures: PackFailure[] = [];
  for (const dir of subfolders(root)) {
    const read = readJsonFile(join(root, dir, 'list.json'));
    const parsed = read.ok ? parseWarninglist(read.json) : read.reason;
    if (typeof parsed === 'string') failures.push({ name: dir, reason: parsed });
    else lists.push(parsed);
  }
  return { lists, failures };
}
