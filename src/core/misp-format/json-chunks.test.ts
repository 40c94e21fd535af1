import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buffered } from '../export/export-items.js';
import type { Chunk } from '../util/utf8-join.js';
import { jsonElements, textElements } from './json-chunks.js';

/** Values in several alphabets: Latin-1, Cyrillic, CJK, an emoji (a surrogate pair), NUL, quotes and backslashes. */
const VALUES = ['8.8.8.8', 'Événement', 'зло.рф', '恶意软件', 'ok 🦀 ok', 'nul \u0000 "q" \\ end', ''];
const items = Array.from({ length: 1_300 }, (_, i) => ({ id: String(i), value: VALUES[i % VALUES.length]! }));

const bytesOf = (chunks: Iterable<Chunk>): Buffer => Buffer.concat([...chunks].map((c) => (typeof c === 'string' ? Buffer.from(c) : c)));

describe('textElements', () => {
  it('encodes every element as UTF-8, in chunks whose bytes join to the list JSON.stringify writes', () => {
    const chunks = [...textElements(items, (item) => JSON.stringify(item))];
    assert.ok(chunks.length > 2, 'the list is split');
    const text = bytesOf(chunks).toString('utf8');
    assert.equal(text, JSON.stringify(items).slice(1, -1));
    assert.deepEqual(JSON.parse(`[${text}]`), items);
    // a chunk ends on an element's end, never inside a character's bytes
    for (const c of chunks) assert.equal(Buffer.from(c).toString('utf8').includes('\uFFFD'), false);
  });

  it('starts with a comma when elements were written before, as jsonElements does', () => {
    const render = (item: (typeof items)[number]) => JSON.stringify(item);
    const two = items.slice(0, 2);
    assert.equal(bytesOf(textElements(two, render, true)).toString(), bytesOf(jsonElements(two, (x) => x, true)).toString());
    assert.equal(bytesOf(textElements([], render, true)).length, 0);
  });
});

describe('buffered', () => {
  it('joins strings and bytes into writes of at least `size` bytes, the same bytes in the same order', async () => {
    const parts: Chunk[] = [];
    for (const [k, item] of items.entries()) parts.push(k % 2 ? JSON.stringify(item) : Buffer.from(JSON.stringify(item)), '', ',');
    const out: Uint8Array[] = [];
    for await (const c of buffered((async function* () { yield* parts; })(), 4096)) out.push(c);
    assert.ok(out.length > 3);
    for (const c of out.slice(0, -1)) assert.ok(c.length >= 4096, `a write of ${c.length} bytes`);
    assert.deepEqual(Buffer.concat(out), bytesOf(parts));
  });
});
