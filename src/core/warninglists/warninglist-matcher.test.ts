import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WarninglistMatcher } from './warninglist-matcher.js';
import type { MatchableWarninglist } from './warninglist-model.js';

const list = (id: number, type: MatchableWarninglist['type'], entries: string[], types = ['ALL'], name = `list ${id}`): MatchableWarninglist =>
  ({ id, name, type, category: 'false_positive', types, entries });

const matched = (m: WarninglistMatcher, type: string, value: string) => m.match(type, value).map((h) => [h.warninglistId, h.matched]);

describe('WarninglistMatcher', () => {
  it('matches string lists exactly and case-sensitively', () => {
    const m = new WarninglistMatcher([list(1, 'string', ['d41d8cd98f00b204e9800998ecf8427e', 'Foo'])]);
    assert.deepEqual(matched(m, 'md5', 'd41d8cd98f00b204e9800998ecf8427e'), [[1, 'd41d8cd98f00b204e9800998ecf8427e']]);
    assert.deepEqual(matched(m, 'text', 'foo'), []);
    assert.deepEqual(matched(m, 'text', 'Foo '), []);
  });

  it('matches hostnames on whole labels: the host itself and its sub-domains, never a longer label', () => {
    const m = new WarninglistMatcher([list(1, 'hostname', ['.google.com', 'example.org.'])]);
    assert.deepEqual(matched(m, 'domain', 'google.com'), [[1, 'google.com']]);
    assert.deepEqual(matched(m, 'hostname', 'mail.eu.google.com'), [[1, 'google.com']]);
    assert.deepEqual(matched(m, 'domain', 'notgoogle.com'), []);
    assert.deepEqual(matched(m, 'domain', 'google.com.evil.net'), []);
    assert.deepEqual(matched(m, 'url', 'https://www.example.org/path?q=1'), [[1, 'example.org']]);
    assert.deepEqual(matched(m, 'domain', 'WWW.Example.ORG.'), [[1, 'example.org']]);
  });

  it('reports the shortest matching suffix when a list holds both a domain and its sub-domain', () => {
    const m = new WarninglistMatcher([list(1, 'hostname', ['www.google.com', 'google.com'])]);
    assert.deepEqual(matched(m, 'domain', 'www.google.com'), [[1, 'google.com']]);
  });

  it('matches IPv4 addresses and networks inside listed CIDR blocks, widest block first', () => {
    const m = new WarninglistMatcher([list(1, 'cidr', ['10.0.0.0/8', '10.1.0.0/16', '192.168.1.1', 'not an ip'])]);
    assert.deepEqual(matched(m, 'ip-dst', '10.1.2.3'), [[1, '10.0.0.0/8']]);
    assert.deepEqual(matched(m, 'ip-dst', '192.168.1.1'), [[1, '192.168.1.1/32']]);
    assert.deepEqual(matched(m, 'ip-dst', '192.168.1.2'), []);
    assert.deepEqual(matched(m, 'ip-src', '10.20.0.0/16'), [[1, '10.0.0.0/8']]);
    assert.deepEqual(matched(m, 'ip-src', '10.0.0.0/7'), [], 'a wider network is not inside the list');
    assert.deepEqual(matched(m, 'ip-src', '11.0.0.1'), []);
    assert.deepEqual(matched(m, 'ip-src', '010.1.2.3'), [], 'PHP refuses leading zeros');
    assert.deepEqual(m.warnings, ['cidr entry not an ip is not an IP address or network']);
  });

  it('matches IPv6 addresses and networks inside listed IPv6 blocks, on any prefix length', () => {
    const m = new WarninglistMatcher([list(1, 'cidr', ['2001:db8::/32', 'fe80::/10', '2001:4860:4860::8888', '2a00:1450:4000::/37'])]);
    assert.deepEqual(matched(m, 'ip-dst', '2001:db8:1234::1'), [[1, '2001:db8::/32']]);
    assert.deepEqual(matched(m, 'ip-dst', '2001:DB8::'), [[1, '2001:db8::/32']]);
    assert.deepEqual(matched(m, 'ip-dst', '2001:db9::1'), []);
    assert.deepEqual(matched(m, 'ip-dst', 'fe80::1'), [[1, 'fe80::/10']]);
    assert.deepEqual(matched(m, 'ip-dst', 'febf:ffff::1'), [[1, 'fe80::/10']]);
    assert.deepEqual(matched(m, 'ip-dst', 'fec0::1'), [], 'just past a /10');
    assert.deepEqual(matched(m, 'ip-dst', '2001:4860:4860:0:0:0:0:8888'), [[1, '2001:4860:4860::8888/128']]);
    assert.deepEqual(matched(m, 'ip-dst', '2001:4860:4860::8844'), []);
    assert.deepEqual(matched(m, 'ip-dst', '2a00:1450:4007:80e::200e'), [[1, '2a00:1450:4000::/37']]);
    assert.deepEqual(matched(m, 'ip-dst', '2a00:1450:4800::1'), [], 'outside the /37');
    assert.deepEqual(matched(m, 'ip-src', '2001:db8:ff00::/40'), [[1, '2001:db8::/32']]);
    assert.deepEqual(matched(m, 'ip-src', '2001:db8::/31'), []);
    assert.deepEqual(matched(m, 'ip-src', '::ffff:10.0.0.1'), []);
  });

  it('finds substrings with the first matching entry in list order', () => {
    const m = new WarninglistMatcher([list(1, 'substring', ['mailinator.com', 'inator', 'x'])]);
    assert.deepEqual(matched(m, 'email-src', 'bob@mailinator.com'), [[1, 'mailinator.com']]);
    assert.deepEqual(matched(m, 'email-src', 'terminator'), [[1, 'inator']]);
    assert.deepEqual(matched(m, 'email-src', 'nobody@test.org'), []);
  });

  it('applies PCRE patterns with their modifiers and never matches patterns PHP would refuse', () => {
    const m = new WarninglistMatcher([
      list(1, 'regex', ['/^(security|abuse)\\@.*\\..*$/i']),
      list(2, 'regex', ['/555-01\\d\\d/g', '#^\\d{3}$#']),
    ]);
    assert.deepEqual(matched(m, 'email-dst', 'ABUSE@example.com'), [[1, '/^(security|abuse)\\@.*\\..*$/i']]);
    assert.deepEqual(matched(m, 'phone-number', '555-0123'), []);
    assert.deepEqual(matched(m, 'phone-number', '123'), [[2, '#^\\d{3}$#']]);
    assert.equal(m.warnings.length, 1);
    assert.match(m.warnings[0]!, /Unknown modifier 'g'/);
  });

  it('only consults lists whose matching attributes include the type, or ALL', () => {
    const m = new WarninglistMatcher([
      list(1, 'string', ['1.2.3.4'], ['ip-src']),
      list(2, 'cidr', ['1.2.3.0/24'], ['ip-dst', 'domain|ip']),
      list(3, 'string', ['1.2.3.4']),
    ]);
    assert.deepEqual(matched(m, 'ip-src', '1.2.3.4'), [[1, '1.2.3.4'], [3, '1.2.3.4']]);
    assert.deepEqual(matched(m, 'ip-dst', '1.2.3.4'), [[2, '1.2.3.0/24'], [3, '1.2.3.4']]);
    assert.deepEqual(matched(m, 'text', '1.2.3.4'), [[3, '1.2.3.4']]);
    assert.deepEqual(m.matchAnyType('1.2.3.4').map((h) => h.warninglistId), [1, 2, 3]);
  });

  it('tests composite values part by part and reports the part that matched', () => {
    const m = new WarninglistMatcher([list(1, 'cidr', ['8.8.8.8']), list(2, 'hostname', ['google.com'])]);
    const hits = m.match('domain|ip', 'dns.google.com|8.8.8.8');
    assert.deepEqual(hits.map((h) => [h.warninglistId, h.value, h.matched]), [[1, '8.8.8.8', '8.8.8.8/32'], [2, 'dns.google.com', 'google.com']]);
    assert.deepEqual(matched(m, 'ip-dst|port', '8.8.8.8|53'), [[1, '8.8.8.8/32']]);
    assert.deepEqual(matched(m, 'domain', 'dns.google.com|8.8.8.8'), [], 'a non-composite type is tested whole');
  });

  it('matches nothing when no list is enabled', () => {
    const m = new WarninglistMatcher([]);
    assert.deepEqual(m.match('ip-src', '8.8.8.8'), []);
    assert.deepEqual(m.matchAnyType('8.8.8.8'), []);
  });
});
