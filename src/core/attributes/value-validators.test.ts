import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HASH_HEX_LENGTH } from './hash-validators.js';
import { VALUE_FORMAT_MESSAGE, validateAttributeValue as validate } from './value-validators.js';

const hex = (n: number): string => 'a1b2c3d4e5f60789'.repeat(Math.ceil(n / 16)).slice(0, n);

function accepts(type: string, ...values: string[]): void {
  for (const v of values) assert.equal(validate(type, v), true, `${type} should accept ${JSON.stringify(v)}`);
}

function refuses(type: string, message: string | RegExp, ...values: string[]): void {
  for (const v of values) {
    const verdict = validate(type, v);
    assert.notEqual(verdict, true, `${type} should refuse ${JSON.stringify(v)}`);
    if (typeof message === 'string') assert.equal(verdict, message);
    else assert.match(verdict as string, message);
  }
}

describe('validateAttributeValue: checksums', () => {
  it('checks every fixed-length hash by length and hex digits', () => {
    for (const [type, length] of Object.entries(HASH_HEX_LENGTH)) {
      if (type === 'telfhash' || type === 'pehash') continue;
      accepts(type, hex(length));
      refuses(type, `Checksum has an invalid length or format (expected: ${length} hexadecimal characters). Please double check the value or select type "other".`,
        hex(length - 1), hex(length + 1), `${hex(length - 1)}g`);
    }
  });

  it('checks filename|hash types by the hash length, with a one-line filename', () => {
    accepts('filename|sha256', `setup.exe|${hex(64)}`, `a b.exe|${hex(64)}`);
    refuses('filename|sha256', /expected: filename\|64 hexadecimal/, `setup.exe|${hex(63)}`, `|${hex(64)}`, `a\nb|${hex(64)}`);
    accepts('filename|imphash', `a.exe|${hex(32)}`);
    accepts('filename|authentihash', `a.exe|${hex(64)}`);
  });

  it('has its own message for pehash and filename|pehash', () => {
    accepts('pehash', hex(40));
    refuses('pehash', /expected sha1 format/, hex(32));
    accepts('filename|pehash', `a.exe|${hex(40)}`);
    refuses('filename|pehash', /expected filename\|sha1 format/, `a.exe|${hex(32)}`);
  });

  it('accepts telfhash of 70 or 72 characters only', () => {
    accepts('telfhash', hex(70), `t1${hex(70)}`);
    refuses('telfhash', /expected: 70 or 72/, hex(71), hex(64));
  });

  it('accepts TLSH of more than 35 hex digits with an optional t prefix', () => {
    accepts('tlsh', hex(36), `t1${hex(70)}`, hex(70));
    refuses('tlsh', /at least 35 hexadecimal/, hex(35), `t${hex(35)}`, `x${hex(70)}`);
    accepts('filename|tlsh', `a.exe|t1${hex(70)}`);
    refuses('filename|tlsh', /^TLSH hash has an invalid/, `a.exe|${hex(10)}`);
    refuses('filename|tlsh', 'Filename must not contain new line character.', `a\nb|t1${hex(70)}`);
  });

  it('checks ssdeep as blocksize:hash:hash', () => {
    accepts('ssdeep', '3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C', '96::');
    refuses('ssdeep', 'Invalid SSDeep hash. The format has to be blocksize:hash:hash', 'x:a:b', '3:a', '3:a:b:c', '3:a-b:c');
    accepts('filename|ssdeep', 'a.exe|3:abc:def');
    refuses('filename|ssdeep', 'Invalid ssdeep hash (expected: blocksize:hash:hash).', 'a.exe|nope');
  });

  it('checks impfuzzy as imports:hash:hash', () => {
    accepts('impfuzzy', '48:abc:def');
    refuses('impfuzzy', 'Invalid impfuzzy format. The format has to be imports:hash:hash', 'a:b:c', '48:abc', '48:a:b:c');
    accepts('filename|impfuzzy', 'a.exe|48:abc:def');
    refuses('filename|impfuzzy', /impfuzzy format/, 'a.exe|nope');
  });

  it('accepts cdhash of 40 or more lower-case hex digits', () => {
    accepts('cdhash', hex(40), hex(64));
    refuses('cdhash', /40 or more hexadecimal/, hex(39), hex(40).toUpperCase());
  });

  it('accepts any one-line vhash', () => {
    accepts('vhash', '065046655d155d15z1d??z3');
    refuses('vhash', VALUE_FORMAT_MESSAGE, 'a\nb');
    accepts('filename|vhash', 'a.exe|065046655d');
    refuses('filename|vhash', /filename\|string characters/, 'a.exe|', '|abc');
  });
});

describe('validateAttributeValue: network', () => {
  it('checks ports as 1–65535', () => {
    accepts('port', '1', '443', '65535', '080');
    refuses('port', 'Port numbers have to be integers between 1 and 65535.', '0', '65536', '-1', '80a', '');
  });

  it('checks ip|port halves', () => {
    accepts('ip-dst|port', '192.0.2.1|80', '2001:db8::1|443');
    refuses('ip-src|port', 'IP address has an invalid format.', '192.0.2.1/24|80', 'host|80');
    refuses('ip-src|port', 'Port numbers have to be integers between 1 and 65535.', '192.0.2.1|0');
  });

  it('checks domains and hostnames with the MISP pattern', () => {
    accepts('domain', 'example.com', 'a-b_c.example.co.uk', 'xn--bcher-kva.example', 'example.x-y');
    refuses('domain', 'Domain has an invalid format. Please double check the value or select type "other".', 'localhost', 'example.c', 'exa mple.com', 'bücher.de');
    refuses('hostname', /^Hostname has an invalid format/, 'nohostname');
  });

  it('checks hostname|port and domain|ip halves', () => {
    accepts('hostname|port', 'example.com|8080');
    refuses('hostname|port', 'Hostname has an invalid format.', 'example|8080');
    refuses('hostname|port', 'Port numbers have to be integers between 1 and 65535.', 'example.com|99999');
    accepts('domain|ip', 'example.com|192.0.2.1', 'example.com|2001:db8::1');
    refuses('domain|ip', 'Domain has an invalid format.', 'example|192.0.2.1');
    refuses('domain|ip', 'IP address has an invalid format.', 'example.com|192.0.2.0/24');
  });

  it('checks MAC addresses', () => {
    accepts('mac-address', 'aa:bb:cc:dd:ee:ff', 'aabbccddeeff');
    refuses('mac-address', VALUE_FORMAT_MESSAGE, 'aa:bb:cc:dd:ee', 'gg:bb:cc:dd:ee:ff');
    accepts('mac-eui-64', '00:1a:2b:ff:fe:3c:4d:5e');
    refuses('mac-eui-64', VALUE_FORMAT_MESSAGE, 'aa:bb:cc:dd:ee:ff');
  });

  it('accepts v2 and v3 onion addresses', () => {
    accepts('onion-address', 'expyuzz4wqqyqhjn.onion', `${'a'.repeat(56)}.onion`);
    refuses('onion-address', 'Onion address has an invalid format.', 'example.onion', 'expyuzz4wqqyqhjn.com');
  });

  it('checks links like PHP FILTER_VALIDATE_URL', () => {
    accepts('link', 'https://www.virustotal.com/gui/file/abc', 'http://192.0.2.1:8080/x?y=1#z', 'ftp://files.example.com/a',
      'mailto:someone@example.com', 'https://user:pw@example.com/');
    refuses('link', VALUE_FORMAT_MESSAGE, 'www.example.com', 'https://exa mple.com', 'https://', 'http://-bad-.com/', 'https://bücher.de', 'urn:isbn:123');
  });

  it('checks e-mail types with MISP lenient pattern', () => {
    for (const type of ['email', 'email-src', 'email-dst', 'eppn', 'target-email', 'whois-registrant-email', 'dns-soa-email', 'jabber-id']) {
      accepts(type, 'a@b.c', 'john.doe+tag@mail.example.com', 'x@y.');
      refuses(type, /^Email address has an invalid format/, 'no-at.example.com', 'a b@c.d', 'a@bcd', '@b.c');
    }
  });
});

describe('validateAttributeValue: formats and numbers', () => {
  it('checks CVE and CWE identifiers', () => {
    accepts('vulnerability', 'CVE-2021-44228', 'CVE-2014-0160');
    refuses('vulnerability', 'Invalid format. Expected: CVE-xxxx-xxxx...', 'CVE-2021-123', 'cve-2021-44228', 'CVE-21-44228');
    accepts('weakness', 'CWE-79');
    refuses('weakness', 'Invalid format. Expected: CWE-x...', 'CWE-', 'CWE79');
  });

  it('checks http methods', () => {
    accepts('http-method', 'GET', 'PROPFIND', 'VERSION-CONTROL');
    refuses('http-method', 'Unknown HTTP method.', 'FETCH', 'get');
  });

  it('checks windows service names', () => {
    accepts('windows-service-name', 'EvilSvc', 'x'.repeat(256));
    refuses('windows-service-displayname', /shorter than 256 characters/, 'a/b', 'a\\b', 'x'.repeat(257));
  });

  it('checks SSH fingerprints in SHA256 and MD5 forms', () => {
    accepts('ssh-fingerprint', 'SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8', 'MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48',
      '16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48', hex(32));
    refuses('ssh-fingerprint', 'SSH fingerprint must be in MD5 or SHA256 format.', 'SHA256:abc', 'SHA256:!!!!', 'MD5:12:34');
  });

  it('checks datetime, counters, sizes and integers', () => {
    accepts('datetime', '2020-01-03T00:00:00.000000+0000');
    refuses('datetime', 'Datetime has to be in the ISO 8601 format.', 'yesterday-ish', '2020-13-01');
    accepts('size-in-bytes', '0', '1048576');
    refuses('counter', 'The value has to be a whole number greater or equal 0.', '-1', '1.5', '');
    accepts('integer', '42', '-42', '+7');
    refuses('integer', 'The value has to be an integer value.', '4.2', 'x');
  });

  it('checks numeric types like PHP is_numeric', () => {
    for (const type of ['float', 'bin', 'cc-number', 'bank-account-nr', 'aba-rtn', 'prtn', 'phone-number', 'whois-registrant-phone']) {
      accepts(type, '42', '+41221234567', '3.14', '.5', '1e3');
      refuses(type, VALUE_FORMAT_MESSAGE, '', 'abc', '1.2.3', '0x1A', '+');
    }
  });

  it('checks alphanumeric financial identifiers', () => {
    for (const type of ['iban', 'bic', 'btc', 'dash', 'xmr']) {
      accepts(type, 'DE89370400440532013000');
      refuses(type, VALUE_FORMAT_MESSAGE, 'DE89 3704', 'bc1q-x');
    }
  });

  it('checks hex, cortex JSON, booleans and AS numbers', () => {
    accepts('hex', 'DEADBEEF');
    refuses('hex', VALUE_FORMAT_MESSAGE, 'XYZ', '');
    accepts('cortex', '{"a":1}', '[]');
    refuses('cortex', VALUE_FORMAT_MESSAGE, '{nope');
    accepts('boolean', '0', '1');
    accepts('AS', '0', '64496', '4294967295');
    refuses('AS', 'AS number have to be integer between 1 and 4294967295', '4294967296', 'AS64496', '-1');
  });

  it('checks uuid values', () => {
    accepts('uuid', '5e8b6d8c-1f3a-4c2b-9d7e-0a1b2c3d4e5f');
    refuses('uuid', 'Please provide a valid RFC 4122 UUID', '5e8b6d8c1f3a4c2b9d7e0a1b2c3d4e5f');
  });

  it('refuses new lines in one-line types but accepts them in free text types', () => {
    for (const type of ['url', 'uri', 'filename', 'regkey', 'user-agent', 'threat-actor', 'named pipe', 'edge-extension-id']) {
      refuses(type, 'Value must not contain new line character.', 'a\nb');
      accepts(type, 'a b');
    }
    for (const type of ['text', 'comment', 'yara', 'sigma', 'snort', 'suricata', 'email-body', 'pgp-public-key']) accepts(type, 'a\nb');
  });

  it('treats a type unknown to it like a one-line value', () => {
    accepts('some-future-type', 'x');
    refuses('some-future-type', 'Value must not contain new line character.', 'a\nb');
  });
});
