import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { correlationKeys, keyHash, normaliseKey, storedValue } from './correlation-keys.js';

describe('correlationKeys', () => {
  it('lower-cases, so values differing only in case share a key', () => {
    assert.deepEqual(correlationKeys({ type: 'text', value1: 'Operation NightFury', value2: '' }), ['operation nightfury']);
    assert.equal(normaliseKey('ÉTÉ'), normaliseKey('été'));
  });

  it('treats composed and decomposed accents as one key, but keeps accents', () => {
    assert.equal(normaliseKey('cafe\u0301'), normaliseKey('café'));
    assert.notEqual(normaliseKey('café'), normaliseKey('cafe'));
  });

  it('ignores trailing spaces like a MySQL PAD SPACE collation', () => {
    assert.equal(normaliseKey('evil.example  '), 'evil.example');
  });

  it('gives both halves of a composite type, and only the address of an |port type', () => {
    assert.deepEqual(correlationKeys({ type: 'filename|md5', value1: 'A.exe', value2: 'B1946AC92492D2347C6235B4D2611184' }),
      ['a.exe', 'b1946ac92492d2347c6235b4d2611184']);
    assert.deepEqual(correlationKeys({ type: 'ip-dst|port', value1: '203.0.113.9', value2: '443' }), ['203.0.113.9']);
    assert.deepEqual(correlationKeys({ type: 'hostname|port', value1: 'h.example', value2: '80' }), ['h.example']);
    assert.deepEqual(correlationKeys({ type: 'domain|ip', value1: 'd.example', value2: '198.51.100.1' }), ['d.example', '198.51.100.1']);
  });

  it('gives nothing for MISP non-correlating types, but correlates text and other', () => {
    for (const type of ['comment', 'port', 'counter', 'boolean', 'float', 'anonymised']) {
      assert.deepEqual(correlationKeys({ type, value1: 'x', value2: '' }), [], type);
    }
    assert.equal(correlationKeys({ type: 'text', value1: 'x', value2: '' }).length, 1);
    assert.equal(correlationKeys({ type: 'other', value1: 'x', value2: '' }).length, 1);
  });

  it('gives one key when both halves are the same value', () => {
    assert.deepEqual(correlationKeys({ type: 'domain|ip', value1: 'same', value2: 'SAME' }), ['same']);
  });
});

describe('keyHash', () => {
  it('is a non-negative safe integer, stable across calls, different for different keys', () => {
    const h = keyHash('198.51.100.7');
    assert.ok(Number.isSafeInteger(h) && h >= 0);
    assert.equal(keyHash('198.51.100.7'), h);
    assert.notEqual(keyHash('198.51.100.8'), h);
  });

  it('does not collide on 200,000 similar values', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 200_000; i++) seen.add(keyHash(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`));
    assert.equal(seen.size, 200_000);
  });
});

describe('storedValue', () => {
  it('keeps the first 191 characters, as MISP stores correlation values', () => {
    assert.equal(storedValue('a'.repeat(300)).length, 191);
    assert.equal(storedValue('short'), 'short');
  });
});
