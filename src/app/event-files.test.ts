import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { eventsInPaths, textLines } from './event-files.js';

describe('event files (cairn import)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-event-files-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads lines whole across its 8 MB slices, with characters of every width and a line longer than a slice', () => {
    const long = `{"v":"${'é'.repeat(5_000_000)}"}`; // 10 MB of UTF-8: longer than one slice
    const lines = ['{"a":"Ärger 😀 зло"}', long, ...Array.from({ length: 200_000 }, (_, i) => `{"i":${i},"s":"ü${'x'.repeat(i % 50)}"}`), 'last'];
    const file = join(dir, 'lines.jsonl');
    writeFileSync(file, lines.join('\n'));
    assert.deepEqual([...textLines(file)], lines);
    writeFileSync(file, 'one\r\ntwo\n\n');
    assert.deepEqual([...textLines(file)], ['one\r', 'two', '']);
  });

  it('takes the event files of a folder in name order, lists and restSearch answers item by item, and names what is not JSON', () => {
    const folder = join(dir, 'feed');
    rmSync(folder, { recursive: true, force: true });
    const event = (uuid: string) => ({ Event: { uuid, info: uuid } });
    mkdirSync(folder);
    writeFileSync(join(folder, 'b.json'), JSON.stringify(event('b')));
    writeFileSync(join(folder, 'a.json'), JSON.stringify({ response: [event('a1'), event('a2')] }));
    writeFileSync(join(folder, 'manifest.json'), JSON.stringify({ b: {} }));
    writeFileSync(join(folder, 'hashes.csv'), 'x,y\n');
    writeFileSync(join(folder, 'c.jsonl'), `${JSON.stringify(event('c1'))}\n\n{broken\n${JSON.stringify([event('c2')])}`);
    const read = [...eventsInPaths([folder])].map((e) => ('body' in e ? e.source.slice(folder.length + 1) : `${e.source.slice(folder.length + 1)} ${e.error.slice(0, 8)}`));
    assert.deepEqual(read, ['a.json[0]', 'a.json[1]', 'b.json', 'c.jsonl:1', 'c.jsonl:3 not JSON', 'c.jsonl:4']);
  });
});
