import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, normalize, sep } from 'node:path';
import { DEFAULT_DATA_PACKS } from '../../src/app/config.js';

/**
 * A throw-away data-pack folder in which the named top-level folders (`decaying-models`, `metadata`, `objects` …) are
 * real copies that a test may edit, and everything else is a symlink to the shared packs. Writing is only allowed
 * inside a copied folder, so a test can never change the shared data through a symlink.
 */
export interface CopiedPack {
  readonly dir: string;
  write(path: string, content: string): void;
  readJson(path: string): any;
  writeJson(path: string, json: unknown): void;
  remove(): void;
}

export function copiedPack(copies: readonly string[], source = process.env.CAIRN_DATA_PACKS ?? DEFAULT_DATA_PACKS): CopiedPack {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-packs-'));
  for (const name of readdirSync(source)) {
    if (copies.includes(name)) cpSync(join(source, name), join(dir, name), { recursive: true, dereference: true });
    else symlinkSync(join(source, name), join(dir, name));
  }
  const inCopy = (path: string): string => {
    const rel = normalize(path);
    if (!copies.includes(rel.split(sep)[0]!)) throw new Error(`${path} is not inside a copied pack folder (${copies.join(', ')})`);
    return join(dir, rel);
  };
  const write = (path: string, content: string) => {
    const file = inCopy(path);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, content);
  };
  return {
    dir,
    write,
    readJson: (path) => JSON.parse(readFileSync(join(dir, normalize(path)), 'utf8')),
    writeJson: (path, json) => write(path, JSON.stringify(json, null, 2)),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
