import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../errors.js';
import { parseAttributeAddBody, parseEventBody, parseObjectBody, parseReferenceBody } from './event-input.js';

const ok = (body: unknown) => {
  const r = parseEventBody(body);
  assert.ok(r.ok, JSON.stringify(r));
  return r.event;
};

describe('parseEventBody', () => {
  it('reads PyMISP\'s unwrapped event, MISP exports ({"response": [{"Event": …}]}) and {"Event": …} alike', () => {
    const event = { info: 'x', uuid: 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE' };
    for (const body of [event, { Event: event }, { response: { Event: event } }, { response: [{ Event: event }] }]) {
      const e = ok(body);
      assert.equal(e.info, 'x');
      assert.equal(e.uuid, 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');
    }
  });

  it('reads numbers sent as strings, analysis names and flags loosely', () => {
    const e = ok({ info: 'x', threat_level_id: '1', analysis: 'Completed', distribution: '3', published: '1', timestamp: '1700000000' });
    assert.deepEqual([e.threatLevelId, e.analysis, e.distribution, e.published, e.timestamp], [1, 2, 3, true, 1700000000]);
  });

  it('reports MISP\'s field errors for the event itself', () => {
    const r = parseEventBody({ info: ' ', uuid: 'nope', distribution: 5, threat_level_id: 9, date: '01/02/2024' });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.deepEqual(Object.keys(r.errors).sort(), ['date', 'distribution', 'info', 'threat_level_id', 'uuid']);
    assert.deepEqual(r.errors.info, ['Info cannot be empty.']);
    assert.deepEqual(r.errors.uuid, ['Please provide a valid RFC 4122 UUID']);
  });

  it('refuses a body that is not an event', () => {
    assert.throws(() => parseEventBody([]), DomainError);
    assert.throws(() => parseEventBody({}), DomainError);
  });

  it('keeps element errors on the element so the rest can be saved', () => {
    const e = ok({ info: 'x', Attribute: [{ type: 'ip-dst', value: '1.2.3.4' }, { type: 'text', value: 'x', uuid: 'bad' }, 'junk'] });
    assert.deepEqual(e.attributes.map((a) => a.ok), [true, false, false]);
    assert.equal(e.attributes[1]!.index, 1);
  });

  it('accepts PHP-style lists keyed "0", "1" and a single element where a list is expected', () => {
    const e = ok({ info: 'x', Attribute: { 0: { type: 'text', value: 'a' }, 1: { type: 'text', value: 'b' } }, Object: { name: 'file', Attribute: [] } });
    assert.equal(e.attributes.length, 2);
    assert.equal(e.objects.length, 1);
  });

  it('reads tags as Tag[], a single Tag and EventTag[{Tag}], once per name case-insensitively', () => {
    const e = ok({ info: 'x', Tag: [{ name: 'tlp:green' }, { name: 'TLP:GREEN' }], EventTag: [{ Tag: { name: 'foo' }, local: 1 }] });
    assert.deepEqual(e.tags.map((t) => [t.name, t.local]), [['foo', true], ['tlp:green', false]]);
    assert.deepEqual(ok({ info: 'x', Tag: { name: 'single' } }).tags.map((t) => t.name), ['single']);
  });

  it('reads first_seen / last_seen as µs from ISO 8601 with any offset; null clears', () => {
    const e = ok({ info: 'x', Attribute: [{ type: 'text', value: 'a', first_seen: '2021-03-04T12:00:00.5+01:00', last_seen: null }] });
    const a = e.attributes[0]!;
    assert.ok(a.ok);
    if (!a.ok) return;
    assert.equal(a.value.firstSeen, Date.parse('2021-03-04T11:00:00Z') * 1000 + 500000);
    assert.equal(a.value.lastSeen, null);
  });

  it('refuses a first_seen / last_seen number past the dates an answer can render', () => {
    const e = ok({ info: 'x', Attribute: [{ type: 'text', value: 'a', first_seen: 1e20 }, { type: 'text', value: 'b', last_seen: -1e20 }] });
    for (const a of e.attributes) {
      assert.ok(!a.ok);
      if (a.ok) continue;
      assert.match(JSON.stringify(a.errors), /Invalid ISO 8601 format/);
    }
  });

  it('lets only a sync user\'s Orgc through as data (the service decides)', () => {
    assert.deepEqual(ok({ info: 'x', Orgc: { name: 'Other', uuid: 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE' } }).orgc,
      { id: undefined, uuid: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', name: 'Other' });
  });
});

describe('parseAttributeAddBody', () => {
  it('expands a value list into one attribute per value (batch add)', () => {
    const list = parseAttributeAddBody({ type: 'domain', value: ['a.example', 'b.example'], comment: 'c' });
    assert.deepEqual(list.map((p) => (p.ok ? [p.value.value, p.value.comment] : null)), [['a.example', 'c'], ['b.example', 'c']]);
  });

  it('reads one attribute, {"Attribute": …} and a list', () => {
    assert.equal(parseAttributeAddBody({ type: 'text', value: 'a' }).length, 1);
    assert.equal(parseAttributeAddBody({ Attribute: { type: 'text', value: 'a' } }).length, 1);
    assert.equal(parseAttributeAddBody([{ type: 'text', value: 'a' }, { type: 'text', value: 'b' }]).length, 2);
  });
});

describe('parseObjectBody / parseReferenceBody', () => {
  it('reads a wrapped object with its attributes beside it and its references', () => {
    const r = parseObjectBody({ Object: { name: 'file', 'meta-category': 'file', ObjectReference: [{ referenced_uuid: 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE', relationship_type: 'x' }] }, Attribute: [{ type: 'filename', value: 'a', object_relation: 'filename' }] });
    assert.ok(r.ok);
    if (!r.ok) return;
    assert.equal(r.value.metaCategory, 'file');
    assert.equal(r.value.attributes.length, 1);
    assert.equal(r.value.references[0]!.referencedUuid, 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');
  });

  it('reads a reference from object_uuid or object_id', () => {
    const r = parseReferenceBody({ ObjectReference: { object_id: '7', referenced_uuid: 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE', relationship_type: 'rel' } });
    assert.equal(r.objectId, 7);
    assert.equal(r.relationshipType, 'rel');
    assert.throws(() => parseReferenceBody({ object_uuid: 'nope', referenced_uuid: 'x' }), DomainError);
  });
});
