import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ATTRIBUTE_EXAMPLES } from './attribute-examples.fixture.js';
import { checkAttribute, COMPOSITE_VALUE_MESSAGE, massageValue, type CheckedAttribute } from './attribute-validation.js';
import { isCompositeType } from './composite.js';
import { loadDescribeTypes, typeMatrix } from './describe-types.js';
import { TEST_DATA_PACKS } from '../testing/data-packs.js';

const matrix = typeMatrix(loadDescribeTypes(TEST_DATA_PACKS));

function ok(r: CheckedAttribute): Extract<CheckedAttribute, { ok: true }> {
  if (!r.ok) assert.fail(`expected ok, got ${r.field}: ${r.error}`);
  return r;
}

function failed(r: CheckedAttribute): Extract<CheckedAttribute, { ok: false }> {
  if (r.ok) assert.fail(`expected a validation error, got ${JSON.stringify(r)}`);
  return r;
}

describe('checkAttribute over every describeTypes type', () => {
  it('has a realistic example for every type', () => {
    const missing = matrix.raw.types.filter((t) => !ATTRIBUTE_EXAMPLES[t]);
    assert.deepEqual(missing, []);
  });

  for (const type of matrix.raw.types) {
    it(`accepts a realistic ${type} and stores it as MISP does`, () => {
      const example = ATTRIBUTE_EXAMPLES[type];
      assert.ok(example, `no example for ${type}`);
      const r = ok(checkAttribute(matrix, { type, value: example.value }));
      assert.equal(r.value, example.stored ?? example.value);
      assert.equal(r.category, matrix.raw.sane_defaults[type]?.default_category);
      assert.equal(r.toIds, matrix.raw.sane_defaults[type]?.to_ids === 1);
      if (isCompositeType(type)) assert.equal(`${r.value1}|${r.value2}`, r.value);
      else assert.deepEqual([r.value1, r.value2], [r.value, '']);
    });
  }

  it('accepts each example in every category that allows its type', () => {
    for (const [category, types] of Object.entries(matrix.raw.category_type_mappings)) {
      for (const type of types) {
        const example = ATTRIBUTE_EXAMPLES[type];
        assert.ok(example, `no example for ${type}`);
        const r = checkAttribute(matrix, { type, category, value: example.value });
        assert.equal(r.ok, true, `${category}/${type}`);
      }
    }
  });

  it('is idempotent: a stored value passes again unchanged', () => {
    for (const type of matrix.raw.types) {
      const example = ATTRIBUTE_EXAMPLES[type];
      if (!example) continue;
      const stored = example.stored ?? example.value;
      assert.equal(ok(checkAttribute(matrix, { type, value: stored })).value, stored, type);
    }
  });
});

describe('checkAttribute type and category', () => {
  it('refuses an empty type with "No type set."', () => {
    assert.deepEqual(failed(checkAttribute(matrix, { type: '', value: 'x' })).errors, { type: ['No type set.'] });
  });

  it('refuses an unknown type with "Invalid type."', () => {
    const r = failed(checkAttribute(matrix, { type: 'ip', value: '1.2.3.4' }));
    assert.deepEqual([r.field, r.error], ['type', 'Invalid type.']);
  });

  it('refuses a category that does not allow the type', () => {
    const r = failed(checkAttribute(matrix, { type: 'md5', category: 'Person', value: ATTRIBUTE_EXAMPLES.md5!.value }));
    assert.deepEqual(r.errors, { type: ['Options depend on the selected category.'] });
  });

  it('refuses an unknown category under both type and category, like MISP', () => {
    const r = failed(checkAttribute(matrix, { type: 'text', category: 'Nonsense', value: 'x' }));
    assert.equal(r.field, 'type');
    assert.deepEqual(Object.keys(r.errors), ['type', 'category']);
    assert.match(r.errors.category![0]!, /^Options : Payload delivery/);
  });

  it('reports type, category and value problems together', () => {
    const r = failed(checkAttribute(matrix, { type: 'md5', category: 'Nonsense', value: 'nope' }));
    assert.deepEqual(Object.keys(r.errors), ['type', 'category', 'value']);
  });

  it('uses the default category for a missing or empty category', () => {
    assert.equal(ok(checkAttribute(matrix, { type: 'ip-dst', value: '192.0.2.1' })).category, 'Network activity');
    assert.equal(ok(checkAttribute(matrix, { type: 'ip-dst', category: '', value: '192.0.2.1' })).category, 'Network activity');
  });

  it('keeps an explicit to_ids and defaults it from sane_defaults otherwise', () => {
    assert.equal(ok(checkAttribute(matrix, { type: 'ip-dst', value: '192.0.2.1', toIds: false })).toIds, false);
    assert.equal(ok(checkAttribute(matrix, { type: 'comment', value: 'x', toIds: true })).toIds, true);
    assert.equal(ok(checkAttribute(matrix, { type: 'comment', value: 'x' })).toIds, false);
  });
});

describe('checkAttribute value rules', () => {
  it('trims PHP whitespace but not other characters', () => {
    assert.equal(ok(checkAttribute(matrix, { type: 'text', value: ' \t hello \n\0' })).value, 'hello');
    assert.equal(ok(checkAttribute(matrix, { type: 'text', value: '\u00a0hello' })).value, '\u00a0hello');
  });

  it('refuses an empty or blank value with "Value cannot be empty."', () => {
    assert.equal(failed(checkAttribute(matrix, { type: 'text', value: '' })).error, 'Value cannot be empty.');
    assert.equal(failed(checkAttribute(matrix, { type: 'text', value: '  \n ' })).error, 'Value cannot be empty.');
  });

  it('accepts "0" as a value', () => {
    assert.equal(ok(checkAttribute(matrix, { type: 'text', value: '0' })).value, '0');
  });

  it('refuses values made only of control characters', () => {
    assert.match(failed(checkAttribute(matrix, { type: 'text', value: '\x01\x02' })).error, /purely of control characters/);
    assert.match(failed(checkAttribute(matrix, { type: 'regkey|value', value: 'HKLM\\x|\x07' })).error, /control characters/);
  });

  it('requires exactly one | in composite types', () => {
    for (const value of ['a.exe', `a|b|${ATTRIBUTE_EXAMPLES.md5!.value}`]) {
      assert.equal(failed(checkAttribute(matrix, { type: 'filename|md5', value })).error, COMPOSITE_VALUE_MESSAGE);
    }
    assert.equal(failed(checkAttribute(matrix, { type: 'malware-sample', value: 'sample.exe' })).error, COMPOSITE_VALUE_MESSAGE);
  });

  it('splits composite values into value1 and value2', () => {
    const r = ok(checkAttribute(matrix, { type: 'domain|ip', value: 'example.com|192.0.2.1' }));
    assert.deepEqual([r.value1, r.value2], ['example.com', '192.0.2.1']);
  });

  it('reads back a composite with an empty right half as value1 alone, like MISP', () => {
    const r = ok(checkAttribute(matrix, { type: 'regkey|value', value: 'HKLM\\Run\\x|' }));
    assert.deepEqual([r.value, r.value1, r.value2], ['HKLM\\Run\\x', 'HKLM\\Run\\x', '']);
  });

  it('accepts 65535 bytes and refuses one more, counting UTF-8 bytes', () => {
    assert.equal(checkAttribute(matrix, { type: 'text', value: 'a'.repeat(65535) }).ok, true);
    assert.match(failed(checkAttribute(matrix, { type: 'text', value: 'a'.repeat(65536) })).error, /too long/);
    assert.match(failed(checkAttribute(matrix, { type: 'text', value: 'é'.repeat(32768) })).error, /too long/);
  });

  it('reports the per-type message for an invalid value', () => {
    const r = failed(checkAttribute(matrix, { type: 'ip-dst', value: '999.1.1.1' }));
    assert.deepEqual(r.errors, { value: ['IP address has an invalid format.'] });
  });

  it('refangs before validating', () => {
    assert.equal(ok(checkAttribute(matrix, { type: 'ip-src', value: '192.0.2[.]1' })).value, '192.0.2.1');
    assert.equal(ok(checkAttribute(matrix, { type: 'email-dst', value: 'a[@]b[dot]com' })).value, 'a@b.com');
  });

  it('does not refang types MISP leaves alone', () => {
    assert.equal(ok(checkAttribute(matrix, { type: 'text', value: 'evil[.]com' })).value, 'evil[.]com');
  });

  it('treats a boolean value of "" as false because MISP normalises before the empty check', () => {
    assert.equal(ok(checkAttribute(matrix, { type: 'boolean', value: '' })).value, '0');
  });
});

describe('massageValue', () => {
  it('trims, refangs and normalises in MISP order', () => {
    assert.equal(massageValue('url', '  hxxp://evil[.]com[:]80/x  '), 'http://evil.com:80/x');
    assert.equal(massageValue('domain', ' EVIL[dot]COM. '), 'evil.com');
  });
});
