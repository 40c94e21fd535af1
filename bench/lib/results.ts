import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * Writes `bench/results/<date>-<commit><suffix>.json` (suffix such as `-packs`) holding the benchmark name, the time
 * and `body`; returns the path relative to the repository.
 */
export function writeBenchResult(benchmark: string, commit: string, suffix: string, body: Record<string, unknown>): string {
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const now = new Date().toISOString();
  const file = join(dir, `${now.slice(0, 10)}-${commit}${suffix}.json`);
  writeFileSync(file, `${JSON.stringify({ benchmark, date: now, ...body }, null, 2)}\n`);
  return file.slice(ROOT.length + 1);
}

/** Runs `main` when `filename` is the script node was started with (a bench file both imported and run). */
export function runIfMain(filename: string, main: () => Promise<number>): void {
  if (!process.argv[1] || resolve(process.argv[1]) !== resolve(filename)) return;
  main().then((code) => process.exit(code), (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
