import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AhoCorasick } from './aho-corasick.js';

function naive(patterns: string[], text: string): number[] {
  const out = new Set<number>();
  patterns.forEach((p, k) => { if (p !== '' && text.includes(p)) out.add(k); });
  return [...out].sort((a, b) => a - b);
}

function found(ac: AhoCorasick, text: string): number[] {
  const out = new Set<number>();
  ac.search(text, (p) => out.add(p));
  return [...out].sort((a, b) => a - b);
}

describe('AhoCorasick', () => {
  it('finds overlapping and nested patterns, including ones reachable only through failure links', () => {
    const patterns = ['he', 'she', 'his', 'hers', 'e', 'rs'];
    assert.deepEqual(found(new AhoCorasick(patterns), 'ushers'), [0, 1, 3, 4, 5]);
  });

  it('agrees with String.includes on random texts over a small alphabet', () => {
    let seed = 42;
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    const word = (len: number) => Array.from({ length: len }, () => 'abcé.'[rnd(5)]).join('');
    const patterns = Array.from({ length: 200 }, () => word(1 + rnd(5)));
    const ac = new AhoCorasick(patterns);
    for (let k = 0; k < 300; k++) {
      const text = word(rnd(30));
      assert.deepEqual(found(ac, text), naive(patterns, text), text);
    }
  });
});
