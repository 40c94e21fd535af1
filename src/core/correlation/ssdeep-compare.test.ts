import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fuzzyCompare, parseSsdeep, ssdeepGrams } from './ssdeep-compare.js';

/** Signatures and scores produced by Debian's ssdeep 2.14.1 (`ssdeep -b`, `ssdeep -a -s -x`) on generated files. */
const A = '384:bZAZbnb/PutCDhX1qEpJ75Xk8u4OwiShEDrwugi3xgziKajs52fkyOvW1d:bKzTutCDhX1z75U80w+rwWTjW2fky5';
const B = '384:SEAMbnb/PuYCDhXMqbpJu5Xf8uHdwiLhnDIwBgiSQgGiKDjs52fNyZvW1w:SszTuYCDhXMAu5v8CwwIwIojW2fNyP';
const C = '384:bZAZbnb/PutCDhX1qEpJ75Xk8u4OwiShEDrwugi3JB0/M9fPZ9I/G63+apV7/:bKzTutCDhX1z75U80w+rwWJB0KHZ9IVr';
const D = '768:bKzTutCDhX1z75U80w+rwWTjW2fkytKzTutCDhX1z75U80w+rwWTjW2fky5:bySt8hJ5+w+rwWTjWkrtySt8hJ5+w+rR';
const E = '384:xpJ75Xk8u4OwiShEDrwugi3xgziKajs52fkyOvW1d:p75U80w+rwWTjW2fky5';
const S200 = '3:+QktfmcEKjOy8mj68p3H3VZeSkYyx2+Y2+gxIGyQIPRRqJRpEVRyeQRTku9uDgG4:5ktynmj68VeSkYyx2+nx1YYEZQRp9cq';
const S200_HEAD = '3:+QktfmcEKjOy8mj68p3H3VZeSkYyx2+Y2+gxIGyQIPRRqz:5ktynmj68VeSkYyx2+nx1YS';
const S500 = '12:5EjubEo3uF2KIeVa3jIQYWtA0dDzemfX5QV92fO41AeCnrcZ9qJ2JnQn:5EjcAF2nIGtJzemfiat10nrtqnQn';
const S500_TAIL = '6:k9pzjIJWYWtA0xpDRIqzeAEaCa6iGm5QV9XmNVOn4q0sVeCF9B0+cZVncbJvj0+3:kjjIQYWtA0dDzemfX5QV92fO41AeCnrZ';
const TXT0 = '48:xjqj/80fAjDgv7rsA2DWjzjLsDUqhSq1uhSCasTjTjZIp27CPe5GkyX8Aj/f1QzQ:Vqj/80f8Dgv7rp2DCzjLsDF1uhSCdHHE';
const TXT1 = '48:xjqj/80fAjDgv7rsA2DWjzjLsDUqhSq1uhSCasTjTjZIp27CPe5GkyX8Aj/f1QzK:Vqj/80f8Dgv7rp2DCzjLsDF1uhSCdHHe';

describe('fuzzyCompare', () => {
  it('scores like ssdeep 2.14 on equal block sizes', () => {
    assert.equal(fuzzyCompare(A, C), 72);
    assert.equal(fuzzyCompare(A, E), 82);
    assert.equal(fuzzyCompare(E, C), 46);
    assert.equal(fuzzyCompare(TXT0, TXT1), 99);
  });

  it('compares across doubled and halved block sizes, symmetrically', () => {
    assert.equal(fuzzyCompare(A, D), 69);
    assert.equal(fuzzyCompare(D, A), 69);
    assert.equal(fuzzyCompare(D, C), 54);
    assert.equal(fuzzyCompare(S500, S500_TAIL), 72);
    assert.equal(fuzzyCompare(S500_TAIL, S500), 72);
  });

  it('caps scores of small block sizes by the shorter chunk', () => {
    assert.equal(fuzzyCompare(S200, S200_HEAD), 46);
  });

  it('gives 0 without a common 7-character substring or with incomparable block sizes', () => {
    assert.equal(fuzzyCompare(A, B), 0);
    assert.equal(fuzzyCompare('3::', '3:9:9'), 0);
    assert.equal(fuzzyCompare(A, A.replace(/^384/, '1536')), 0);
  });

  it('gives 100 for identical signatures, ignoring a file name suffix', () => {
    assert.equal(fuzzyCompare(A, `${A},"a.bin"`), 100);
  });

  it('answers -1 for something that is not a signature', () => {
    assert.equal(fuzzyCompare('not a hash', A), -1);
    assert.equal(fuzzyCompare(A, `384:${'abcdefghij'.repeat(7)}:y`), -1);
  });

  it('treats runs of more than three equal characters as three', () => {
    assert.deepEqual(parseSsdeep('3:aaaaaabcd:eeee'), { blockSize: 3, chunk: 'aaabcd', doubleChunk: 'eee' });
  });
});

describe('ssdeepGrams', () => {
  it('gives two signatures a common gram exactly when they can score above 0', () => {
    const shares = (x: string, y: string) => ssdeepGrams(x).some((g) => ssdeepGrams(y).includes(g));
    for (const [x, y] of [[A, C], [A, D], [S500, S500_TAIL], [A, B], [A, S200]] as const) {
      assert.equal(shares(x, y), fuzzyCompare(x, y) > 0, `${x.slice(0, 12)} vs ${y.slice(0, 12)}`);
    }
  });
});
