import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventDetail } from '../model/event.js';
import { aDetail, anAttribute, anObject } from './event-detail.fixture.js';
import { isLargeEvent, mispEventChunks } from './event-json-chunks.js';
import { toMispEvent } from './event-json.js';

const text = (d: EventDetail, ...rest: Parameters<typeof mispEventChunks> extends [unknown, ...infer R] ? R : never) =>
  [...mispEventChunks(d, ...rest)].join('');

/** An event of `n` attributes and `n / 10` objects of one attribute each. */
function bigEvent(n: number): EventDetail {
  const d = aDetail();
  const attributes = Array.from({ length: n }, (_, i) => anAttribute({ id: 1000 + i, value1: `v${i}.example` }));
  const objects = Array.from({ length: Math.floor(n / 10) }, (_, i) => ({
    ...anObject({ id: 50 + i }), attributes: [anAttribute({ id: 900_000 + i, objectId: 50 + i })], references: [],
  }));
  return { ...d, attributes, objects };
}

describe('mispEventChunks', () => {
  it('writes exactly what JSON.stringify(toMispEvent) writes, lists in many chunks', () => {
    const d = bigEvent(1_000);
    const chunks = [...mispEventChunks(d)];
    assert.ok(chunks.length > 4, 'the lists are split into chunks');
    assert.equal(chunks.join(''), JSON.stringify(toMispEvent(d)));
  });

  it('handles empty lists, metadata and a tail such as events/add errors', () => {
    const empty = { ...aDetail(), attributes: [], objects: [] };
    assert.equal(text(empty), JSON.stringify(toMispEvent(empty)));
    assert.equal(text(aDetail(), { metadata: true }), JSON.stringify(toMispEvent(aDetail(), { metadata: true })));
    const errors = { Attribute: { attribute_0: { value: ['x'] } } };
    assert.deepEqual(JSON.parse(text(aDetail(), {}, { errors })), { ...toMispEvent(aDetail()), errors });
  });

  it('is not confused by values that look like JSON or hold NUL characters', () => {
    const d = aDetail();
    const tricky = { ...d, event: { ...d.event, info: '"Attribute":[] \u0000 ]}' }, attributes: [anAttribute({ value1: '\u0000"],"Object":[' })] };
    assert.equal(text(tricky), JSON.stringify(toMispEvent(tricky)));
  });

  it('is chosen only for large events', () => {
    assert.equal(isLargeEvent(aDetail()), false);
    assert.equal(isLargeEvent(bigEvent(5_000)), true);
  });
});
