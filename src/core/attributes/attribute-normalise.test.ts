import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normaliseAttributeValue as norm } from './attribute-normalise.js';

describe('normaliseAttributeValue: case', () => {
  it('lower-cases hashes, hostnames, e-mail types and the other types MISP lists', () => {
    for (const type of ['md5', 'sha256', 'sha3-512', 'imphash', 'tlsh', 'cdhash', 'hostname', 'email-src', 'target-email',
      'whois-registrant-email', 'dom-hash', 'onion-address', 'anonymised', 'jarm-fingerprint']) {
      assert.equal(norm(type, 'ABCdef'), 'abcdef', type);
    }
  });

  it('lower-cases ASCII only, like PHP 8 strtolower', () => {
    assert.equal(norm('email', 'JÖRG@EXAMPLE.COM'), 'jÖrg@example.com');
  });

  it('leaves case alone for eppn, dns-soa-email, filename, text and git-commit-id', () => {
    for (const type of ['eppn', 'dns-soa-email', 'filename', 'text', 'git-commit-id', 'ssh-fingerprint']) {
      assert.equal(norm(type, 'AbC'), 'AbC', type);
    }
  });

  it('lower-cases only the hash half of filename|hash', () => {
    assert.equal(norm('filename|sha256', 'Setup.EXE|ABCDEF'), 'Setup.EXE|abcdef');
    assert.equal(norm('filename|tlsh', 'A.exe|T1AB'), 'A.exe|t1ab');
    assert.equal(norm('filename|md5', 'NoBar'), 'NoBar');
    assert.equal(norm('filename|ssdeep', 'A.exe|3:AB:CD'), 'A.exe|3:AB:CD');
  });

  it('upper-cases http-method and hex', () => {
    assert.equal(norm('http-method', 'get'), 'GET');
    assert.equal(norm('hex', '0xdead'), '0XDEAD');
  });

  it('upper-cases vulnerability and weakness and replaces an en dash', () => {
    assert.equal(norm('vulnerability', 'cve–2021–44228'), 'CVE-2021-44228');
    assert.equal(norm('weakness', 'cwe-79'), 'CWE-79');
  });
});

describe('normaliseAttributeValue: domains', () => {
  it('lower-cases and trims dots on both ends', () => {
    assert.equal(norm('domain', '..Example.COM.'), 'example.com');
  });

  it('converts internationalised names to punycode', () => {
    assert.equal(norm('domain', 'Bücher.example'), 'xn--bcher-kva.example');
  });

  it('does not trim or punycode hostnames', () => {
    assert.equal(norm('hostname', 'WWW.Example.com.'), 'www.example.com.');
  });

  it('normalises both halves of domain|ip and drops anything after a second |', () => {
    assert.equal(norm('domain|ip', 'Example.com.|2001:DB8:0::1'), 'example.com|2001:db8::1');
    assert.equal(norm('domain|ip', 'a.com|192.0.2.1|x'), 'a.com|192.0.2.1');
    assert.equal(norm('domain|ip', 'A.COM'), 'a.com');
  });

  it('turns hostname:port into hostname|port', () => {
    assert.equal(norm('hostname|port', 'C2.Example.com:8443'), 'c2.example.com|8443');
  });
});

describe('normaliseAttributeValue: ip|port', () => {
  const cases: [string, string][] = [
    ['192.0.2.1:80', '192.0.2.1|80'],
    ['192.0.2.1|80', '192.0.2.1|80'],
    ['2001:db8:0::1|80', '2001:db8::1|80'],
    ['[2001:db8:0::1]:443', '2001:db8::1|443'],
    ['2001:db8::1.80', '2001:db8::1|80'],
    ['2001:db8::1 port 80', '2001:db8::1|80'],
    ['2001:db8::1p80', '2001:db8::1|80'],
    ['2001:db8::1#80', '2001:db8::1|80'],
    ['2001:db8::1:80', '2001:db8::1|80'],
    ['192.0.2.1', '192.0.2.1'],
  ];
  for (const [input, stored] of cases) {
    it(`stores ${input} as ${stored}`, () => {
      assert.equal(norm('ip-dst|port', input), stored);
      assert.equal(norm('ip-src|port', input), stored);
    });
  }
});

describe('normaliseAttributeValue: numbers and identifiers', () => {
  it('strips AS prefixes in any case and converts asdot', () => {
    assert.equal(norm('AS', 'AS64496'), '64496');
    assert.equal(norm('AS', 'as64496'), '64496');
    assert.equal(norm('AS', '1.10'), '65546');
    assert.equal(norm('AS', 'AS1.x'), '1.x');
    assert.equal(norm('AS', '64496'), '64496');
  });

  it('keeps digits only for cc-number and bin', () => {
    assert.equal(norm('cc-number', '4111 1111-1111 1111'), '4111111111111111');
    assert.equal(norm('bin', '4111 11'), '411111');
  });

  it('upper-cases iban and bic and keeps letters and digits only', () => {
    assert.equal(norm('iban', 'de89 3704-0044'), 'DE8937040044');
    assert.equal(norm('bic', 'deut de ff'), 'DEUTDEFF');
  });

  it('turns a leading 00 into +, drops (0) and keeps + and digits for phone types', () => {
    for (const type of ['phone-number', 'prtn', 'whois-registrant-phone']) {
      assert.equal(norm(type, '0041 (0) 22 123-45-67'), '+41221234567', type);
    }
    assert.equal(norm('phone-number', '+1.555.555.1234'), '+15555551234');
  });

  it('strips colons and lower-cases x509 fingerprints', () => {
    assert.equal(norm('x509-fingerprint-sha1', 'AB:CD:EF'), 'abcdef');
    assert.equal(norm('x509-fingerprint-md5', 'AB:CD'), 'abcd');
    assert.equal(norm('x509-fingerprint-sha256', 'AB:CD'), 'abcd');
  });

  it('writes MAC addresses as lower-case colon pairs whatever the separator', () => {
    assert.equal(norm('mac-address', 'AA-BB-CC-DD-EE-FF'), 'aa:bb:cc:dd:ee:ff');
    assert.equal(norm('mac-address', 'aabb.ccdd.eeff'), 'aa:bb:cc:dd:ee:ff');
    assert.equal(norm('mac-eui-64', '00 1A 2B FF FE 3C 4D 5E'), '00:1a:2b:ff:fe:3c:4d:5e');
  });

  it('maps booleans to 1/0 by PHP truthiness', () => {
    assert.deepEqual(['true', 'TRUE', ' True ', '1', 'yes', 'no'].map((v) => norm('boolean', v)), ['1', '1', '1', '1', '1', '1']);
    assert.deepEqual(['false', 'False', '0', ''].map((v) => norm('boolean', v)), ['0', '0', '0', '0']);
  });

  it('re-formats datetimes and leaves unreadable ones for validation to refuse', () => {
    assert.equal(norm('datetime', '2020-01-03'), '2020-01-03T00:00:00.000000+0000');
    assert.equal(norm('datetime', 'not a date'), 'not a date');
  });

  it('compresses IPs of ip-src and ip-dst', () => {
    assert.equal(norm('ip-src', '2001:0DB8::0001'), '2001:db8::1');
    assert.equal(norm('ip-dst', '192.0.2.1/32'), '192.0.2.1');
  });

  it('leaves types without a rule untouched', () => {
    assert.equal(norm('text', '  Mixed Case  '), '  Mixed Case  ');
    assert.equal(norm('url', 'HTTP://Example.com/A'), 'HTTP://Example.com/A');
  });
});
