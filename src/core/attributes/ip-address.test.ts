import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkIpOrCidr, formatIpv6, isIp, isIpv4, isIpv6, normaliseIp, parseIpv6 } from './ip-address.js';

describe('isIpv4 (PHP FILTER_VALIDATE_IP)', () => {
  it('accepts dotted quads from 0.0.0.0 to 255.255.255.255', () => {
    for (const ip of ['0.0.0.0', '192.0.2.1', '255.255.255.255', '10.0.0.10']) assert.equal(isIpv4(ip), true, ip);
  });

  it('refuses leading zeros, out-of-range octets and short forms', () => {
    for (const ip of ['01.2.3.4', '1.2.3.04', '256.1.1.1', '1.2.3', '1.2.3.4.5', '1.2.3.4 ', '0x1.2.3.4', '']) {
      assert.equal(isIpv4(ip), false, ip);
    }
  });
});

describe('isIpv6', () => {
  it('accepts full, compressed and IPv4-tailed forms', () => {
    for (const ip of ['::', '::1', '2001:db8::1', '2001:DB8:0:0:0:0:0:1', '::ffff:192.0.2.1', '64:ff9b::192.0.2.1', '1::']) {
      assert.equal(isIpv6(ip), true, ip);
    }
  });

  it('refuses zone ids, double compression, long groups and bad IPv4 tails', () => {
    for (const ip of ['fe80::1%eth0', '1::2::3', '12345::1', '1:2:3:4:5:6:7:8:9', '::1.2.3', '::01.2.3.4', 'abc', '1.2.3.4']) {
      assert.equal(isIpv6(ip), false, ip);
    }
  });

  it('keeps the bits of an IPv4-compatible tail (ipaddr.js alone would map it to ::ffff:)', () => {
    assert.deepEqual(parseIpv6('::1.2.3.4'), [0, 0, 0, 0, 0, 0, 0x102, 0x304]);
    assert.deepEqual(parseIpv6('::ffff:1.2.3.4'), [0, 0, 0, 0, 0, 0xffff, 0x102, 0x304]);
  });

  it('isIp accepts either family', () => {
    assert.equal(isIp('192.0.2.1'), true);
    assert.equal(isIp('2001:db8::1'), true);
    assert.equal(isIp('example.com'), false);
  });
});

describe('formatIpv6 (glibc inet_ntop)', () => {
  const fmt = (ip: string) => formatIpv6(parseIpv6(ip)!);

  it('compresses the longest zero run, the first one on ties', () => {
    assert.equal(fmt('2001:0db8:0000:0000:0000:0000:0000:0001'), '2001:db8::1');
    assert.equal(fmt('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
    assert.equal(fmt('2001:0:0:1:0:0:0:1'), '2001:0:0:1::1');
  });

  it('does not compress a single zero word', () => {
    assert.equal(fmt('2001:db8:0:1:1:1:1:1'), '2001:db8:0:1:1:1:1:1');
    assert.equal(fmt('1:2:3:4:5:6:7::'), '1:2:3:4:5:6:7:0');
  });

  it('writes the all-zero, loopback and trailing-zero addresses like inet_ntop', () => {
    assert.equal(fmt('0:0:0:0:0:0:0:0'), '::');
    assert.equal(fmt('0:0:0:0:0:0:0:1'), '::1');
    assert.equal(fmt('2001:db8:0:0:0:0:0:0'), '2001:db8::');
  });

  it('writes IPv4-mapped and IPv4-compatible addresses with a dotted tail', () => {
    assert.equal(fmt('0:0:0:0:0:ffff:c000:0201'), '::ffff:192.0.2.1');
    assert.equal(fmt('::c000:201'), '::192.0.2.1');
    assert.equal(fmt('64:ff9b::c000:201'), '64:ff9b::c000:201');
  });
});

describe('normaliseIp (MISP normalizeIp)', () => {
  it('compresses IPv6 and leaves IPv4 alone', () => {
    assert.equal(normaliseIp('2001:DB8:0:0:0:0:0:1'), '2001:db8::1');
    assert.equal(normaliseIp('192.0.2.1'), '192.0.2.1');
  });

  it('leaves an IPv6 value starting with ":" as written, as MISP tests strpos() for truth', () => {
    assert.equal(normaliseIp('::0:1'), '::0:1');
  });

  it('drops /32 on IPv4 and /128 on IPv6 but keeps other prefixes', () => {
    assert.equal(normaliseIp('192.0.2.1/32'), '192.0.2.1');
    assert.equal(normaliseIp('2001:db8:0::1/128'), '2001:db8::1');
    assert.equal(normaliseIp('192.0.2.0/24'), '192.0.2.0/24');
    assert.equal(normaliseIp('2001:DB8::/32'), '2001:db8::/32');
  });

  it('returns invalid input unchanged', () => {
    assert.equal(normaliseIp('not an ip'), 'not an ip');
    assert.equal(normaliseIp('1:2:3/99'), '1:2:3/99');
  });
});

describe('checkIpOrCidr', () => {
  it('accepts addresses and CIDR blocks, host bits included', () => {
    for (const v of ['192.0.2.1', '192.0.2.1/24', '0.0.0.0/0', '2001:db8::/32', '2001:db8::1/64']) assert.equal(checkIpOrCidr(v), true, v);
  });

  it('gives MISP messages for each kind of mistake', () => {
    assert.equal(checkIpOrCidr('192.0.2.1/33'), 'Invalid CIDR notation value found, for IPv4 must be lower or equal 32.');
    assert.equal(checkIpOrCidr('2001:db8::/129'), 'Invalid CIDR notation value found, for IPv6 must be lower or equal 128.');
    assert.equal(checkIpOrCidr('192.0.2.1/x'), 'Invalid CIDR notation value found.');
    assert.equal(checkIpOrCidr('192.0.2.1/24/8'), 'Invalid CIDR notation value found.');
    assert.equal(checkIpOrCidr('192.0.2.1/'), 'Invalid CIDR notation value found.');
    assert.equal(checkIpOrCidr('example.com/24'), 'IP address has an invalid format.');
    assert.equal(checkIpOrCidr('192.0.2.256'), 'IP address has an invalid format.');
  });
});
