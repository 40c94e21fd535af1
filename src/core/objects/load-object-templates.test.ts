import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it, mock } from 'node:test';
import { loadObjectTemplates, readObjectTemplates } from './load-object-templates.js';
import { TEST_DATA_PACKS } from '../testing/data-packs.js';

const DATA_PACKS = TEST_DATA_PACKS;

describe('readObjectTemplates over the real data packs', () => {
  const { registry, warnings } = readObjectTemplates(DATA_PACKS);

  it('loads every template without warnings', () => {
    assert.deepEqual(warnings, []);
    assert.ok(registry.all().length > 400, `${registry.all().length} templates`);
  });

  it('maps the file template fields to the domain form', () => {
    const file = registry.byName('file');
    assert.ok(file);
    assert.equal(file.uuid, '688c46fb-5edb-40a3-8273-1af7923e2215');
    assert.equal(file.metaCategory, 'file');
    assert.ok(Number.isInteger(file.version) && file.version > 0);
    assert.deepEqual(file.required, []);
    assert.ok(file.requiredOneOf.includes('filename'));
    const filename = file.attributes.get('filename');
    assert.equal(filename?.type, 'filename');
    assert.equal(filename?.multiple, true);
    assert.equal(file.attributes.get('md5')?.multiple, false);
    assert.equal(file.attributes.get('entropy')?.disableCorrelation, true);
    assert.equal(registry.byUuid(file.uuid.toUpperCase()), file);
  });

  it('keeps template attribute order, categories, sane defaults and values lists', () => {
    const domainIp = registry.byName('domain-ip');
    assert.deepEqual([...(domainIp?.attributes.keys() ?? [])].slice(0, 3), ['domain', 'first-seen', 'hostname']);
    assert.deepEqual(domainIp?.attributes.get('ip')?.categories, ['Network activity', 'External analysis']);
    const withList = registry.all().flatMap((t) => [...t.attributes.values()]).find((a) => a.valuesList.length > 0);
    assert.ok(withList, 'some template attribute has a values_list');
    const withDefault = registry.all().flatMap((t) => [...t.attributes.values()]).find((a) => a.saneDefault.length > 0);
    assert.ok(withDefault, 'some template attribute has a sane_default');
  });

  it('lists templates sorted by name', () => {
    const names = registry.all().map((t) => t.name);
    assert.deepEqual(names, [...names].sort());
  });
});

describe('readObjectTemplates with broken data packs', () => {
  const root = mkdtempSync(join(tmpdir(), 'cairn-templates-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'objects', 'objects');
  const put = (name: string, content: string | undefined): void => {
    mkdirSync(join(dir, name), { recursive: true });
    if (content !== undefined) writeFileSync(join(dir, name, 'definition.json'), content);
  };
  const good = (name: string, uuid: string, attributes: object) => JSON.stringify({
    name, uuid, version: 3, 'meta-category': 'misc', description: 'd', requiredOneOf: ['a'], attributes,
  });
  put('good', good('good', 'AAAAAAAA-0000-4000-8000-000000000001', {
    a: { 'misp-attribute': 'text', 'ui-priority': 1 }, b: { description: 'no type' },
  }));
  put('zz-duplicate', good('good', 'aaaaaaaa-0000-4000-8000-000000000002', { a: { 'misp-attribute': 'text' } }));
  put('broken', '{ "name": ');
  put('missing', undefined);
  put('no-uuid', JSON.stringify({ name: 'no-uuid', version: 1, attributes: {} }));
  put('array', '[]');

  it('skips every bad file with one warning each and keeps the good template', () => {
    const { registry, warnings } = readObjectTemplates(root);
    assert.deepEqual(registry.all().map((t) => t.name), ['good']);
    assert.equal(registry.byUuid('aaaaaaaa-0000-4000-8000-000000000001')?.name, 'good');
    assert.deepEqual(registry.byName('good')?.attributes.size, 1);
    const joined = warnings.join('\n');
    for (const needle of ['array', 'broken', 'duplicates', 'missing', 'no uuid', 'attribute b has no misp-attribute']) {
      assert.ok(joined.includes(needle), `a warning mentions ${needle}:\n${joined}`);
    }
    assert.equal(warnings.length, 6);
  });

  it('warns once through console.warn and still returns a registry', () => {
    const warn = mock.method(console, 'warn', () => undefined);
    try {
      const registry = loadObjectTemplates(root);
      assert.equal(registry.all().length, 1);
      assert.equal(warn.mock.callCount(), 1);
    } finally {
      warn.mock.restore();
    }
  });

  it('returns an empty registry with a warning when the folder is absent', () => {
    const { registry, warnings } = readObjectTemplates(join(root, 'nowhere'));
    assert.deepEqual(registry.all(), []);
    assert.equal(registry.byName('file'), undefined);
    assert.equal(warnings.length, 1);
  });
});
