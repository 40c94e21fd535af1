import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkTaxonomyExclusivity, splitTaxonomyTag, stripLastTagComponent } from './taxonomy-exclusivity.js';

const tlp = { namespace: 'tlp', exclusive: true, exclusivePredicates: [] };
const pap = { namespace: 'PAP', exclusive: true, exclusivePredicates: [] };
const admiralty = { namespace: 'admiralty-scale', exclusive: false, exclusivePredicates: ['source-reliability', 'information-credibility'] };
const osint = { namespace: 'osint', exclusive: false, exclusivePredicates: [] };

describe('taxonomy exclusivity', () => {
  it('splits machine tags like MISP', () => {
    assert.deepEqual(splitTaxonomyTag('tlp:red'), { namespace: 'tlp', predicate: 'red' });
    assert.deepEqual(splitTaxonomyTag('admiralty-scale:source-reliability="a"'), { namespace: 'admiralty-scale', predicate: 'source-reliability', value: 'a' });
    assert.equal(splitTaxonomyTag('no namespace'), undefined);
    assert.equal(stripLastTagComponent('a:b="c"'), 'a:b');
    assert.equal(stripLastTagComponent('a:b'), 'a');
  });

  it('refuses a second tag of an exclusive taxonomy', () => {
    assert.deepEqual(checkTaxonomyExclusivity(['tlp:red'], 'tlp:amber', [tlp]), { namespace: 'tlp', conflict: 'Taxonomy `tlp` is an exclusive Taxonomy' });
    assert.ok(checkTaxonomyExclusivity(['pap:RED'], 'pap:GREEN', [pap]), 'the taxonomy is found case-insensitively');
    assert.equal(checkTaxonomyExclusivity(['tlp:red', 'osint:source-type="blog-post"'], 'osint:lifetime="perpetual"', [osint]), undefined);
  });

  it('lets tlp:white and tlp:clear sit together', () => {
    assert.equal(checkTaxonomyExclusivity(['tlp:clear'], 'tlp:white', [tlp]), undefined);
    assert.equal(checkTaxonomyExclusivity(['tlp:white'], 'tlp:clear', [tlp]), undefined);
  });

  it('refuses a second value of an exclusive predicate, but not of another predicate', () => {
    const have = ['admiralty-scale:source-reliability="a"'];
    assert.deepEqual(checkTaxonomyExclusivity(have, 'admiralty-scale:source-reliability="b"', [admiralty]),
      { namespace: 'admiralty-scale', conflict: 'Predicate `source-reliability` is exclusive' });
    assert.equal(checkTaxonomyExclusivity(have, 'admiralty-scale:information-credibility="1"', [admiralty]), undefined);
  });

  it('allows tags outside any known taxonomy and tags that share nothing with the existing ones', () => {
    assert.equal(checkTaxonomyExclusivity(['foo:bar'], 'foo:baz', []), undefined);
    assert.equal(checkTaxonomyExclusivity(['tlp:red'], 'free text tag', [tlp]), undefined);
    assert.equal(checkTaxonomyExclusivity([], 'tlp:red', [tlp]), undefined);
  });
});
