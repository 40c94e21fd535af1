import { join } from 'node:path';
import {
  filesEndingWith, isJsonObject, nonEmptyString, type PackFailure, packVersion, readJsonFile, subfolders,
} from '../knowledge-pack-files.js';
import type { NoticeData, NoticelistDef } from './noticelist-model.js';

/**
 * Reads misp-noticelist from `<dataPacks>/noticelists/lists/<name>/list.json` (Noticelist::update), and also
 * accepts the flat `lists/<name>.json` layout. A missing or malformed file becomes a failure and is skipped.
 */

export interface NoticelistPackLoad {
  readonly lists: readonly NoticelistDef[];
  readonly failures: readonly PackFailure[];
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

export function parseNoticelist(raw: unknown): NoticelistDef | string {
  if (!isJsonObject(raw)) return 'not a JSON object';
  if (!nonEmptyString(raw.name)) return 'no name';
  const version = packVersion(raw.version);
  if (version === undefined) return `invalid version ${JSON.stringify(raw.version)}`;
  if (raw.notice !== undefined && !Array.isArray(raw.notice)) return "field 'notice' must be an array";
  // Noticelist::__updateList keeps every non-empty notice as it is
  const notices = ((raw.notice ?? []) as unknown[]).filter((n): n is NoticeData => isJsonObject(n) && Object.keys(n).length > 0);
  return {
    name: raw.name, expandedName: typeof raw.expanded_name === 'string' ? raw.expanded_name : raw.name,
    ref: list(raw.ref), geographicalArea: list(raw.geographical_area), version, notices,
  };
}

export function loadNoticelistPack(dataPacks: string): NoticelistPackLoad {
  const root = join(dataPacks, 'noticelists', 'lists');
  const lists: NoticelistDef[] = [];
  const failures: PackFailure[] = [];
  const sources = [
    ...subfolders(root).map((dir) => ({ name: dir, file: join(root, dir, 'list.json') })),
    ...filesEndingWith(root, '.json').map((f) => ({ name: f.slice(0, -'.json'.length), file: join(root, f) })),
  ];
  for (const { name, file } of sources) {
    const read = readJsonFile(file);
    const parsed = read.ok ? parseNoticelist(read.json) : read.reason;
    if (typeof parsed === 'string') failures.push({ name, reason: parsed });
    else lists.push(parsed);
  }
  return { lists, failures };
}
