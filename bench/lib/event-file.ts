import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createEventGenerator } from '../gen/event-generator.js';

/**
 * The generator's events for a run, one JSON text per line, written once to bench/.data and read back during the
 * timed ingest, as an importer reads a dump or a feed. Generating in the timed process would leave its garbage to
 * the ingest's collector and pauses between groups in which a correlation worker could catch up unseen.
 * The file is named by the seed, the event sizes and the generator's source, so a changed generator writes a new one.
 */
export function generatedEventsFile(opts: { dir: string; seed: number; sizes: readonly number[]; dataPacks: string; now: number }): string {
  const gen = join(import.meta.dirname, '..', 'gen');
  const hash = createHash('sha1');
  for (const f of readdirSync(gen).sort()) hash.update(readFileSync(join(gen, f)));
  hash.update(JSON.stringify({ seed: opts.seed, now: opts.now, sizes: opts.sizes }));
  const total = opts.sizes.reduce((a, n) => a + n, 0);
  const file = join(opts.dir, `events-${opts.seed}-${total}-${hash.digest('hex').slice(0, 12)}.jsonl`);
  if (existsSync(file)) return file;
  const generator = createEventGenerator({ seed: opts.seed, dataPacks: opts.dataPacks, now: opts.now });
  const fd = openSync(`${file}.part`, 'w');
  let buffer = '';
  let done = 0;
  for (const n of opts.sizes) {
    buffer += `${JSON.stringify(generator.event(n))}\n`;
    done += n;
    if (buffer.length > 1 << 22) {
      writeSync(fd, buffer);
      buffer = '';
      process.stdout.write(`\r  generating events: ${done} of ${total} attributes   `);
    }
  }
  writeSync(fd, buffer);
  closeSync(fd);
  renameSync(`${file}.part`, file);
  process.stdout.write('\n');
  return file;
}
