import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pcreToRegExp } from './pcre-regex.js';

describe('pcreToRegExp', () => {
  it('reads delimiters, bracket delimiters and modifiers', () => {
    assert.equal(String(pcreToRegExp('/^a.b$/is')), '/^a.b$/is');
    assert.ok((pcreToRegExp('{^x(y)$}') as RegExp).test('xy'));
    assert.ok((pcreToRegExp('#a/b#') as RegExp).test('a/b'));
    assert.ok((pcreToRegExp('/ a b # comment\n/x') as RegExp).test('ab'));
    assert.ok(!(pcreToRegExp('/b/A') as RegExp).test('ab'), 'A anchors at the start');
  });

  it('reports patterns PHP refuses', () => {
    assert.match(pcreToRegExp('/x/g') as string, /Unknown modifier 'g'/);
    assert.match(pcreToRegExp('abc') as string, /Delimiter/);
    assert.match(pcreToRegExp('/abc') as string, /No ending delimiter/);
    assert.equal(typeof pcreToRegExp('/(/'), 'string');
  });
});
