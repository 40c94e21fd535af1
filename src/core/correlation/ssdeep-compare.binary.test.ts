import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fuzzyCompare } from './ssdeep-compare.js';

/**
 * Cross-checks the port against the reference implementation: Debian's `ssdeep` (libfuzzy 2.14) hashes generated
 * files and scores every pair of signatures; every score must be equal. Skipped when the binary is not installed
 * (`apt-get install ssdeep`).
 */

function hasSsdeep(): boolean {
  try {
    execFileSync('ssdeep', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** xorshift32: the same files on every machine. */
function bytes(seed: number, n: number): Buffer {
  let x = seed >>> 0 || 1;
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** Originals of several sizes (block sizes 3 to 1536) and edited copies: flipped bytes, cut, doubled, spliced. */
function corpus(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let seed = 1;
  for (const size of [60, 200, 500, 1000, 3000, 9000, 30000, 90000]) {
    const base = bytes(seed++, size);
    const flipped = Buffer.from(base);
    for (let i = 0; i < size; i += Math.max(1, Math.floor(size / 25))) flipped[i]! ^= 0x5a;
    files.set(`s${size}`, base);
    files.set(`s${size}-flip`, flipped);
    files.set(`s${size}-head`, base.subarray(0, Math.floor(size * 0.7)));
    files.set(`s${size}-tail`, base.subarray(Math.floor(size * 0.3)));
    files.set(`s${size}-twice`, Buffer.concat([base, base]));
    files.set(`s${size}-splice`, Buffer.concat([base.subarray(0, size / 2), bytes(seed++, size / 10), base.subarray(size / 2)]));
  }
  const words = ['aaaa', 'bbbbb', 'the', 'cat', 'sat', 'on', 'mat'];
  for (let k = 0; k < 6; k++) {
    const r = bytes(100 + Math.floor(k / 2), 3000);
    files.set(`text${k}`, Buffer.from(Array.from({ length: 400 + 300 * k }, (_, i) => words[r[i % r.length]! % words.length]).join(' ')));
  }
  files.set('zeros', Buffer.alloc(5000));
  return files;
}

describe('fuzzyCompare against the ssdeep binary', { skip: !hasSsdeep() && 'ssdeep is not installed' }, () => {
  it('gives the same score as `ssdeep -a -x` for every pair of a generated corpus', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-ssdeep-'));
    try {
      const names = [...corpus()].map(([name, data]) => {
        writeFileSync(join(dir, name), data);
        return name;
      });
      const listing = execFileSync('ssdeep', ['-b', ...names], { cwd: dir, encoding: 'utf8' });
      writeFileSync(join(dir, 'sigs.txt'), listing);
      const signatures = new Map<string, string>();
      for (const line of listing.split('\n').slice(1)) {
        const at = line.lastIndexOf(',"');
        if (at > 0) signatures.set(line.slice(at + 2, -1), line.slice(0, at));
      }
      const report = execFileSync('ssdeep', ['-a', '-s', '-x', 'sigs.txt'], { cwd: dir, encoding: 'utf8' });
      let pairs = 0;
      let nonZero = 0;
      for (const line of report.split('\n')) {
        const m = /^sigs\.txt:(\S+) matches sigs\.txt:(\S+) \((\d+)\)$/.exec(line);
        if (!m) continue;
        const expected = Number(m[3]);
        assert.equal(fuzzyCompare(signatures.get(m[1]!)!, signatures.get(m[2]!)!), expected, `${m[1]} vs ${m[2]}`);
        pairs++;
        if (expected > 0) nonZero++;
      }
      assert.ok(pairs > 1000 && nonZero > 50, `compared ${pairs} pairs, ${nonZero} above 0`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
