import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_DATA_PACKS } from '../../src/app/config.js';

/**
 * A small data-pack folder for API tests, built at test time in a temp directory (never in the repository) from
 * a few real taxonomies, warninglists and noticelists of the shared packs. Every other pack folder (pymisp/,
 * objects/, galaxy/ …) is symlinked so the server starts as usual. `extra` adds hand-written files (for broken
 * or upgraded items), keyed by path relative to the pack root.
 */
export interface PackSelection {
  readonly taxonomies?: readonly string[];
  readonly warninglists?: readonly string[];
  readonly noticelists?: readonly string[];
  readonly extra?: Readonly<Record<string, string>>;
}

export interface TempDataPack {
  readonly dir: string;
  /** Writes (or overwrites) a file under the pack, e.g. to publish a new version of a list. */
  write(path: string, content: string): void;
  remove(): void;
}

export function makeDataPack(sel: PackSelection, source = DEFAULT_DATA_PACKS): TempDataPack {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-packs-'));
  const copied = new Set(['taxonomies', 'warninglists', 'noticelists']);
  for (const name of readdirSync(source)) if (!copied.has(name)) symlinkSync(join(source, name), join(dir, name));
  mkdirSync(join(dir, 'taxonomies'), { recursive: true });
  mkdirSync(join(dir, 'warninglists', 'lists'), { recursive: true });
  mkdirSync(join(dir, 'noticelists', 'lists'), { recursive: true });
  for (const t of sel.taxonomies ?? []) cpSync(join(source, 'taxonomies', t), join(dir, 'taxonomies', t), { recursive: true });
  for (const w of sel.warninglists ?? []) cpSync(join(source, 'warninglists', 'lists', w), join(dir, 'warninglists', 'lists', w), { recursive: true });
  for (const n of sel.noticelists ?? []) cpSync(join(source, 'noticelists', 'lists', n), join(dir, 'noticelists', 'lists', n), { recursive: true });
  const write = (path: string, content: string) => {
    const file = join(dir, path);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, content);
  };
  for (const [path, content] of Object.entries(sel.extra ?? {})) write(path, content);
  return { dir, write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
