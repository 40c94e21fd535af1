import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { aDetail, aLink, anAttribute, anEvent } from './event-detail.fixture.js';
import { toMispEvent, toMispEventIndexRow, toMispObjectReference } from './event-json.js';

const dataPacks = process.env.CAIRN_DATA_PACKS ?? new URL('../../../../shared/misp-data/', import.meta.url).pathname;
/** An events/view answer of a real MISP, shipped with PyMISP's tests. */
const fixture = JSON.parse(readFileSync(`${dataPacks}/fixtures/mispevent_testfiles/existing_event.json`, 'utf8'));

const keysOf = (x: Record<string, unknown>) => new Set(Object.keys(x));
function assertCovers(ours: Record<string, unknown>, theirs: Record<string, unknown>, what: string, legacy: string[] = []) {
  const missing = [...keysOf(theirs)].filter((k) => !keysOf(ours).has(k) && !legacy.includes(k));
  assert.deepEqual(missing, [], `${what} lacks keys a real MISP sends`);
}

describe('toMispEvent', () => {
  const out = toMispEvent(aDetail()).Event as Record<string, any>;

  it('emits every key a real MISP events/view answer has, at every level', () => {
    assertCovers(out, fixture, 'Event');
    assertCovers(out.Attribute[0], fixture.Attribute[0], 'Attribute');
    const fixtureObject = fixture.Object.find((o: any) => o.ObjectReference?.length);
    assertCovers(out.Object[0], fixtureObject, 'Object');
    // `object_uuid` left MISP's references when `source_uuid` replaced it.
    assertCovers(out.Object[0].ObjectReference[0], fixtureObject.ObjectReference[0], 'ObjectReference', ['object_uuid']);
    assertCovers(out.Tag[0], fixture.Tag[0], 'Tag');
  });

  it('types scalars as MISP does: strings for numbers, booleans for flags, null for NULL', () => {
    assert.equal(out.id, '12');
    assert.equal(out.attribute_count, '2');
    assert.equal(out.published, false);
    assert.equal(out.protected, null);
    assert.equal(out.Attribute[0].to_ids, true);
    assert.equal(out.Attribute[0].distribution, '5');
    assert.equal(out.Object[0].template_version, '8');
    assert.equal(out.Tag[0].numerical_value, null);
    assert.equal(out.Tag[0].relationship_type, null);
    assert.equal('user_id' in out, false);
    assert.equal('org_id' in out.Tag[0], false);
  });

  it('keeps object attributes out of the top-level list and gives them Galaxy and ShadowAttribute lists', () => {
    assert.deepEqual(out.Attribute.map((a: any) => a.id), ['100']);
    assert.deepEqual(out.Object[0].Attribute.map((a: any) => a.object_id), ['7']);
    assert.deepEqual(out.Object[0].Attribute[0].Galaxy, []);
    assert.deepEqual(out.Object[0].Attribute[0].ShadowAttribute, []);
  });

  it('leaves the element lists out for metadata answers', () => {
    const meta = toMispEvent(aDetail(), { metadata: true }).Event;
    for (const k of ['Attribute', 'Object', 'ShadowAttribute', 'EventReport']) assert.equal(k in meta, false, k);
    assert.ok('Tag' in meta);
  });

  it('joins composite values and renders µs first_seen as ISO with microseconds', () => {
    const d = aDetail();
    const e = toMispEvent({ ...d, attributes: [anAttribute({ type: 'filename|md5', value2: 'abc', firstSeen: 1_614_859_200_000_001 })] }).Event as any;
    assert.equal(e.Attribute[0].value, 'a.exe|abc');
    assert.equal(e.Attribute[0].first_seen, '2021-03-04T12:00:00.000001+00:00');
  });
});

describe('toMispObjectReference', () => {
  it('renders MISP\'s placeholder when the target is not visible in the event', () => {
    const r = toMispObjectReference({ ...aDetail().objects[0]!.references[0]!, referencedType: 1, target: null });
    assert.deepEqual(r.Object, {
      name: '', 'meta-category': 'Object from another event', category: 'Object from another event', type: '', value: '',
      uuid: anAttribute().uuid,
    });
  });
});

describe('toMispEventIndexRow', () => {
  const org = { id: 1, name: 'ORGNAME', uuid: 'u', local: true };
  const entry = { event: anEvent({ sharingGroupId: 2 }), org, orgc: org, sharingGroup: { id: 2, name: 'sg', uuid: 's' }, tags: [aLink()] };

  it('is the flat event with Org, Orgc, SharingGroup and EventTag stubs (spec §2.12)', () => {
    const row = toMispEventIndexRow(entry) as any;
    assert.equal(row.sighting_timestamp, '0');
    assert.deepEqual(row.Orgc, { id: '1', name: 'ORGNAME', uuid: 'u' });
    assert.deepEqual(row.SharingGroup, { id: '2', name: 'sg', uuid: 's' });
    assert.deepEqual(row.EventTag, [{
      id: '9', event_id: '12', tag_id: '3', local: false, relationship_type: null,
      Tag: { id: '3', name: 'tlp:white', colour: '#ffffff', is_galaxy: false },
    }]);
  });

  it('has only the six minimal keys with minimal', () => {
    assert.deepEqual(toMispEventIndexRow(entry, { minimal: true }), {
      id: '12', timestamp: '1727780000', sighting_timestamp: '0', published: false, uuid: anEvent().uuid, orgc_uuid: 'u',
    });
  });
});
