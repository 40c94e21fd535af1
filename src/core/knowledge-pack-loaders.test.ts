import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadNoticelistPack } from './noticelists/load-noticelists.js';
import { noticesForAttribute } from './noticelists/noticelist-match.js';
import { loadTaxonomyPack, parseTaxonomyVocab } from './taxonomies/load-taxonomies.js';
import { taxonomyTagEntries } from './taxonomies/taxonomy-tags.js';
import { loadWarninglistPack, parseWarninglist } from './warninglists/load-warninglists.js';

const root = mkdtempSync(join(tmpdir(), 'cairn-loaders-'));
const write = (path: string, content: unknown) => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content));
};

write('taxonomies/good/machinetag.json', {
  namespace: 'good', description: 'Good', version: 3, exclusive: true,
  predicates: [{ value: 'a', expanded: 'A' }, { value: 'b', colour: '#ff0000', numerical_value: 5 }],
  values: [{ predicate: 'a', entry: [{ value: 'x', expanded: 'X', numerical_value: 10 }, { value: 'y' }] }],
});
write('taxonomies/broken/machinetag.json', '{ not json');
mkdirSync(join(root, 'taxonomies/empty'), { recursive: true });
write('taxonomies/orgonly/machinetag.json', { namespace: 'orgonly', description: 'd', type: ['org'], predicates: [] });
write('warninglists/lists/ok/list.json', { name: 'OK', description: 'd', type: ['cidr'], list: ['10.0.0.0/8', '', '0'], matching_attributes: [] });
write('warninglists/lists/comments/list.json', { name: 'With comments', description: 'd', version: 2, list: { 'a.example': 'why', 'b.example': '' } });
write('warninglists/lists/bad/list.json', { name: 'Bad', description: 'd', type: 'fuzzy', list: [] });
mkdirSync(join(root, 'warninglists/lists/missing'), { recursive: true });
write('noticelists/lists/gdpr/list.json', {
  name: 'gdpr', expanded_name: 'GDPR', ref: ['r'], geographical_area: ['EU'], version: 2,
  notice: [{ scope: ['attribute'], field: ['category'], value: ['Person'], tags: ['t'], message: { en: 'personal data' } }],
});
write('noticelists/lists/flat.json', { name: 'flat', notice: [] });
write('noticelists/lists/broken.json', '[');

after(() => rmSync(root, { recursive: true, force: true }));

describe('knowledge pack loaders', () => {
  it('loads taxonomies, reports unreadable files by folder and skips non-event vocabularies', () => {
    const pack = loadTaxonomyPack(root);
    assert.deepEqual(pack.vocabs.map((v) => v.namespace), ['good']);
    assert.deepEqual(pack.failures.map((f) => f.name), ['broken', 'empty']);
    assert.match(pack.failures[1]!.reason, /does not exist/);
    assert.deepEqual(pack.skipped.map((f) => f.name), ['orgonly']);
    const good = pack.vocabs[0]!;
    assert.equal(good.exclusive, true);
    assert.deepEqual(good.predicates[0]!.entries.map((e) => [e.value, e.expanded, e.numericalValue]), [['x', 'X', 10], ['y', 'y', null]]);
  });

  it('derives tag names, expansions and colours from a taxonomy', () => {
    const vocab = loadTaxonomyPack(root).vocabs[0]!;
    const entries = taxonomyTagEntries({ id: 1, enabled: true, required: false, ...vocab });
    assert.deepEqual(entries.map((e) => [e.tag, e.expanded, e.numericalValue]), [
      ['good:a="x"', 'A: X', 10], ['good:a="y"', 'A: y', undefined], ['good:b', 'b', 5],
    ]);
    assert.equal(entries[2]!.tagColour, '#ff0000');
    assert.match(entries[0]!.tagColour, /^#[0-9a-f]{6}$/);
    assert.notEqual(entries[0]!.tagColour, entries[1]!.tagColour, 'palette steps per entry');
  });

  it('refuses taxonomies whose values name an unknown predicate', () => {
    const r = parseTaxonomyVocab({ namespace: 'n', description: 'd', predicates: [{ value: 'a' }], values: [{ predicate: 'z', entry: [] }] });
    assert.equal(r, 'Invalid taxonomy `n` provided. Predicate `z` is missing.');
    assert.equal(parseTaxonomyVocab({ namespace: 'n', predicates: [] }), "Required field 'description' not provided.");
  });

  it('loads warninglists with MISP defaults and reports broken ones', () => {
    const pack = loadWarninglistPack(root);
    assert.deepEqual(pack.lists.map((l) => l.name), ['With comments', 'OK']);
    const ok = pack.lists[1]!;
    assert.equal(ok.type, 'cidr');
    assert.deepEqual(ok.matchingAttributes, ['ALL']);
    assert.deepEqual(ok.entries, [{ value: '10.0.0.0/8', comment: null }], "'' and '0' are dropped like PHP's empty()");
    assert.equal(ok.version, 1);
    assert.deepEqual(pack.lists[0]!.entries, [{ value: 'a.example', comment: 'why' }, { value: 'b.example', comment: null }]);
    assert.deepEqual(pack.failures.map((f) => f.name), ['bad', 'missing']);
    assert.equal(parseWarninglist({ name: 'x', description: 'd', list: 'nope' }), "field 'list' must be an array or an object");
  });

  it('loads noticelists from folders and flat files', () => {
    const pack = loadNoticelistPack(root);
    assert.deepEqual(pack.lists.map((l) => l.name).sort(), ['flat', 'gdpr']);
    assert.deepEqual(pack.failures.map((f) => f.name), ['broken']);
  });

  it('finds the notices an attribute triggers on enabled lists only', () => {
    const def = loadNoticelistPack(root).lists.find((l) => l.name === 'gdpr')!;
    const list = {
      id: 7, name: def.name, expandedName: def.expandedName, ref: def.ref, geographicalArea: def.geographicalArea, version: 2, enabled: true,
      entries: def.notices.map((data, k) => ({ id: k + 1, noticelistId: 7, data })),
    };
    const hits = noticesForAttribute([list], { category: 'Person', type: 'first-name' });
    assert.deepEqual(hits.map((h) => [h.listName, h.field, h.value, h.message.en]), [['gdpr', 'category', 'Person', 'personal data']]);
    assert.deepEqual(noticesForAttribute([list], { category: 'Network activity', type: 'ip-dst' }), []);
    assert.deepEqual(noticesForAttribute([{ ...list, enabled: false }], { category: 'Person' }), []);
  });
});
