import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_DATA_PACKS } from '../../src/app/config.js';

/**
 * A throw-away data-pack folder for tests: every pack of the shared folder is linked, except `galaxy/`, which holds
 * copies of only the named galaxies (so an import takes milliseconds). Point a test server at it with
 * `startTestServer(dialect, { CAIRN_DATA_PACKS: packs.dir })`. Nothing is written inside the repository.
 */
export interface TestPacks {
  readonly dir: string;
  /** Rewrites one clusters file of the copy (e.g. to bump its version). */
  editClusters(name: string, edit: (json: any) => void): void;
  cleanup(): void;
}

export const SHARED_PACKS = process.env.CAIRN_DATA_PACKS ?? DEFAULT_DATA_PACKS;

/**
 * @param galaxies names (file names without .json) copied with their clusters file
 * @param galaxyOnly names whose galaxy definition is copied without any clusters file
 */
export function smallDataPacks(galaxies: readonly string[], galaxyOnly: readonly string[] = []): TestPacks {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-packs-'));
  for (const entry of readdirSync(SHARED_PACKS)) {
    if (entry !== 'galaxy') symlinkSync(join(SHARED_PACKS, entry), join(dir, entry));
  }
  mkdirSync(join(dir, 'galaxy', 'galaxies'), { recursive: true });
  mkdirSync(join(dir, 'galaxy', 'clusters'), { recursive: true });
  for (const name of [...galaxies, ...galaxyOnly]) {
    copyFileSync(join(SHARED_PACKS, 'galaxy', 'galaxies', `${name}.json`), join(dir, 'galaxy', 'galaxies', `${name}.json`));
  }
  for (const name of galaxies) {
    copyFileSync(join(SHARED_PACKS, 'galaxy', 'clusters', `${name}.json`), join(dir, 'galaxy', 'clusters', `${name}.json`));
  }
  return {
    dir,
    editClusters(name, edit) {
      const path = join(dir, 'galaxy', 'clusters', `${name}.json`);
      const json = JSON.parse(readFileSync(path, 'utf8'));
      edit(json);
      writeFileSync(path, JSON.stringify(json));
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
