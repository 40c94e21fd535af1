import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttributeDetail } from '../model/event.js';
import { attributeText, objectText } from './attribute-json-text.js';
import { aDetail, aLink, anAttribute, aTag, variedAttributes } from './event-detail.fixture.js';
import { toMispAttribute, toMispObject } from './event-json.js';

describe('attributeText', () => {
  it('is the text of JSON.stringify(toMispAttribute(…)) for every shape, in events and alone', () => {
    for (const a of variedAttributes()) {
      for (const opts of [{}, { inEvent: true }]) {
        assert.equal(attributeText(a, opts), JSON.stringify(toMispAttribute(a, opts)), `${a.value1} ${JSON.stringify(opts)}`);
      }
    }
  });

  it('renders a tag met again with another link the same way (the per-tag text is cached, not the link)', () => {
    const tag = aTag();
    const a = anAttribute({ tags: [aLink({ tag }), aLink({ tag, local: true, relationshipType: 'x' })] } as Partial<AttributeDetail>);
    const parsed = JSON.parse(attributeText(a));
    assert.deepEqual(parsed.Tag.map((t: { local: boolean; relationship_type: string | null }) => [t.local, t.relationship_type]), [[false, null], [true, 'x']]);
  });
});

describe('objectText', () => {
  it('is the text of JSON.stringify(toMispObject(…)), with and without attributes, in events and alone', () => {
    const object = aDetail().objects[0]!;
    for (const o of [object, { ...object, attributes: variedAttributes() }, { ...object, attributes: [] }]) {
      for (const opts of [{}, { inEvent: true }]) assert.equal(objectText(o, opts), JSON.stringify(toMispObject(o, opts)));
    }
  });
});
