import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasCompositeShape, isCompositeType, joinValue, splitValue } from './composite.js';
import { refangValue } from './refang.js';

describe('refangValue (ComplexTypeTool::REFANG_REGEX_TABLE)', () => {
  it('refangs the scheme of urls and links only at the start', () => {
    for (const scheme of ['hxxp', 'HXXP', 'hxtp', 'htxp', 'meow', 'h[tt]p']) {
      assert.equal(refangValue('url', `${scheme}://a.example/x`), 'http://a.example/x', scheme);
    }
    assert.equal(refangValue('link', 'hxxps://a.example'), 'https://a.example');
    assert.equal(refangValue('url', 'x hxxp://a'), 'x hxxp://a');
  });

  it('refangs dots in network types', () => {
    for (const type of ['url', 'link', 'ip-src', 'ip-dst', 'domain|ip', 'domain', 'hostname', 'email', 'email-src', 'email-dst']) {
      assert.equal(refangValue(type, 'a[.]b[dot]c(dot)d'), 'a.b.c.d', type);
    }
  });

  it('refangs [hxxp://], [@], [at] and [:] only where MISP does', () => {
    assert.equal(refangValue('url', '[hxxp://]a.example'), 'http://a.example');
    assert.equal(refangValue('email-src', 'a[@]b[.]c'), 'a@b.c');
    assert.equal(refangValue('email-dst', 'a[at]b.c'), 'a@b.c');
    assert.equal(refangValue('url', 'http://a.example[:]8080'), 'http://a.example:8080');
    assert.equal(refangValue('domain', 'a[:]b'), 'a[:]b');
    assert.equal(refangValue('target-email', 'a[at]b.c'), 'a[at]b.c');
  });

  it('leaves other types alone', () => {
    assert.equal(refangValue('text', 'hxxp://evil[.]com'), 'hxxp://evil[.]com');
    assert.equal(refangValue('whois-registrant-email', 'a[at]b[.]c'), 'a[at]b[.]c');
  });
});

describe('composite values', () => {
  it('knows the composite types: every type with | plus malware-sample', () => {
    assert.equal(isCompositeType('filename|md5'), true);
    assert.equal(isCompositeType('malware-sample'), true);
    assert.equal(isCompositeType('attachment'), false);
    assert.equal(isCompositeType('md5'), false);
  });

  it('requires exactly one |', () => {
    assert.equal(hasCompositeShape('a|b'), true);
    assert.equal(hasCompositeShape('|'), true);
    assert.equal(hasCompositeShape('ab'), false);
    assert.equal(hasCompositeShape('a|b|c'), false);
  });

  it('splits composite values and keeps others whole', () => {
    assert.deepEqual(splitValue('domain|ip', 'a.com|192.0.2.1'), { value1: 'a.com', value2: '192.0.2.1' });
    assert.deepEqual(splitValue('domain', 'a.com'), { value1: 'a.com', value2: '' });
    assert.throws(() => splitValue('domain|ip', 'a.com'));
  });

  it('joins like MISP virtual value field', () => {
    assert.equal(joinValue('a.com', '192.0.2.1'), 'a.com|192.0.2.1');
    assert.equal(joinValue('a.com', ''), 'a.com');
  });
});
