import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readObjectTemplates } from './load-object-templates.js';
import { checkObjectAgainstTemplate as check, templateForObject, type ObjectAttributeRef } from './object-template-check.js';
import type { ObjectTemplate } from './object-templates.js';
import { TEST_DATA_PACKS } from '../testing/data-packs.js';

const { registry } = readObjectTemplates(TEST_DATA_PACKS);

function template(name: string): ObjectTemplate {
  const t = registry.byName(name);
  assert.ok(t, `template ${name} is in the data packs`);
  return t;
}

const attr = (objectRelation: string, type: string): ObjectAttributeRef => ({ objectRelation, type });
const messages = (issues: readonly { message: string }[]): string[] => issues.map((i) => i.message);

describe('checkObjectAgainstTemplate: MISP refusals', () => {
  it('accepts a conforming file object', () => {
    const r = check(template('file'), [attr('filename', 'filename'), attr('md5', 'md5'), attr('sha256', 'sha256'), attr('size-in-bytes', 'size-in-bytes')]);
    assert.deepEqual(r, { errors: [], warnings: [] });
  });

  it('refuses a domain-ip object with none of ip, domain, hostname with MISP text', () => {
    const r = check(template('domain-ip'), [attr('text', 'text'), attr('port', 'port')]);
    assert.deepEqual(messages(r.errors), [
      'Could not save the object as it requires at least one of the following attributes to be set: ip, domain, hostname',
    ]);
    assert.equal(r.errors[0]?.kind, 'requiredOneOf');
  });

  it('accepts domain-ip with several ips and domains because they are multiple', () => {
    const r = check(template('domain-ip'), [attr('ip', 'ip-dst'), attr('ip', 'ip-dst'), attr('domain', 'domain'), attr('domain', 'domain')]);
    assert.deepEqual(r.errors, []);
  });

  it('refuses a second value for a relation without multiple (asn)', () => {
    const r = check(template('asn'), [attr('asn', 'AS'), attr('asn', 'AS'), attr('subnet-announced', 'ip-src'), attr('subnet-announced', 'ip-src')]);
    assert.equal(r.errors.length, 1);
    assert.deepEqual([r.errors[0]?.kind, r.errors[0]?.relation], ['multiple', 'asn']);
    assert.match(r.errors[0]!.message, /^Could not save the object as a unique relationship within the object was assigned to more than one attribute/);
  });

  it('names the first missing required relation, as MISP does, then the others', () => {
    const r = check(template('av-signature'), [attr('text', 'text')]);
    assert.deepEqual(messages(r.errors), [
      'Could not save the object as a required attribute is not set (software)',
      'Could not save the object as a required attribute is not set (signature)',
    ]);
  });

  it('checks required before requiredOneOf', () => {
    const r = check(template('authentication-failure-report'), [attr('total', 'counter')]);
    assert.deepEqual(r.errors.map((e) => e.kind), ['required', 'requiredOneOf']);
    assert.equal(r.errors[0]?.relation, 'type');
  });

  it('reports an attribute without object_relation first', () => {
    const r = check(template('url'), [attr('url', 'url'), { objectRelation: '', type: 'text' }]);
    assert.deepEqual(messages(r.errors), ['Object attribute sent, but no object_relation set.']);
  });

  it('refuses an empty object for a template with requirements', () => {
    assert.equal(check(template('url'), []).errors[0]?.kind, 'requiredOneOf');
  });
});

describe('checkObjectAgainstTemplate: what MISP accepts but PyMISP warns about', () => {
  it('warns about a relation the template does not know, once per relation', () => {
    const r = check(template('url'), [attr('url', 'url'), attr('colour', 'text'), attr('colour', 'text')]);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(messages(r.warnings), ["The template (url) doesn't have the object_relation (colour) you're trying to add."]);
    assert.equal(r.warnings[0]?.kind, 'unknownRelation');
  });

  it('warns about a type that differs from the template', () => {
    const r = check(template('url'), [attr('url', 'link'), attr('ip', 'ip-src')]);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings.map((w) => [w.kind, w.relation]), [['typeMismatch', 'url'], ['typeMismatch', 'ip']]);
    assert.match(r.warnings[0]!.message, /type link, the template \(url\) expects url/);
  });

  it('does not count unknown relations towards requiredOneOf', () => {
    const r = check(template('domain-ip'), [attr('ip-address', 'ip-dst')]);
    assert.equal(r.errors[0]?.kind, 'requiredOneOf');
    assert.equal(r.warnings[0]?.kind, 'unknownRelation');
  });
});

describe('templateForObject', () => {
  const file = template('file');

  it('finds the template by uuid (any case) when the version matches', () => {
    assert.equal(templateForObject(registry, file.uuid.toUpperCase(), String(file.version)), file);
    assert.equal(templateForObject(registry, file.uuid, file.version), file);
  });

  it('skips the check for another version, an unknown uuid or a missing template reference', () => {
    assert.equal(templateForObject(registry, file.uuid, file.version - 1), undefined);
    assert.equal(templateForObject(registry, '00000000-0000-0000-0000-000000000000', 1), undefined);
    assert.equal(templateForObject(registry, file.uuid, null), undefined);
    assert.equal(templateForObject(registry, null, file.version), undefined);
  });
});
