import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultFeed } from './feed-service.js';
import { eventCacheEntries, feedsInScope, md5, parseHashesCsv } from './feed-cache.js';

describe('feed cache parsing (spec §7.3)', () => {
  it('reads hashes.csv lines, skipping malformed ones', () => {
    const uuid = '5b8d6b3e-2c1c-4f9a-9d1e-0a3c4e5f6a7b';
    const text = `${md5('a.example').toUpperCase()},${uuid}\r\nnot-a-hash,${uuid}\n${md5('b')},not-a-uuid\n\n${md5('c')},${uuid.toUpperCase()}`;
    assert.deepEqual(parseHashesCsv(text), [
      { md5: md5('a.example'), eventUuid: uuid }, { md5: md5('c'), eventUuid: uuid },
    ]);
  });

  it('hashes correlating values of a feed event, splitting composites as MISP does', () => {
    const entries = eventCacheEntries({
      Event: {
        uuid: 'AAAAAAAA-2c1c-4f9a-9d1e-0a3c4e5f6a7b',
        Attribute: [
          { type: 'domain', value: 'evil.example' },
          { type: 'filename|md5', value: 'a.exe|0123456789abcdef0123456789abcdef' },
          { type: 'ip-dst|port', value: '203.0.113.9|443' },
          { type: 'comment', value: 'never cached' },
          { type: 'domain' },
        ],
      },
    });
    assert.deepEqual(entries.map((e) => e.md5), [
      md5('evil.example'), md5('a.exe'), md5('0123456789abcdef0123456789abcdef'), md5('203.0.113.9'),
    ]);
    assert.ok(entries.every((e) => e.eventUuid === 'aaaaaaaa-2c1c-4f9a-9d1e-0a3c4e5f6a7b'));
  });

  it('selects the caching-enabled feeds of a scope', () => {
    const feed = (id: number, sourceFormat: string, cachingEnabled = true) => ({ ...defaultFeed({ name: `f${id}`, url: 'http://x' }, 0), id, sourceFormat, cachingEnabled });
    const feeds = [feed(1, 'misp'), feed(2, 'freetext'), feed(3, 'csv'), feed(4, 'misp', false)];
    const ids = (scope: string) => feedsInScope(feeds, scope)?.map((f) => f.id);
    assert.deepEqual(ids('all'), [1, 2, 3]);
    assert.deepEqual(ids('misp'), [1]);
    assert.deepEqual(ids('freetext'), [2, 3]);
    assert.deepEqual(ids('csv'), [2, 3]);
    assert.deepEqual(ids('4'), []);
    assert.equal(ids('nonsense'), undefined);
  });
});
