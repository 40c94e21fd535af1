import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ipRangeOf, rangeContains } from './cidr-range.js';

describe('ipRangeOf', () => {
  it('turns an IPv4 block into its first and last address, comparable as strings', () => {
    const block = ipRangeOf('ip-dst', '10.0.0.0/8')!;
    assert.equal(block.block, true);
    assert.equal(rangeContains(block, ipRangeOf('ip-src', '10.255.1.2')!.lo), true);
    assert.equal(rangeContains(block, ipRangeOf('ip-src', '11.0.0.0')!.lo), false);
    assert.equal(rangeContains(block, ipRangeOf('ip-src', '9.255.255.255')!.lo), false);
  });

  it('takes a misaligned block as its network, and handles IPv6 and |port types', () => {
    const block = ipRangeOf('ip-src|port', '192.0.2.77/24')!;
    assert.equal(rangeContains(block, ipRangeOf('ip-dst', '192.0.2.1')!.lo), true);
    const v6 = ipRangeOf('ip-dst', '2001:db8::/32')!;
    assert.equal(rangeContains(v6, ipRangeOf('ip-src', '2001:db8:ffff::1')!.lo), true);
    assert.equal(rangeContains(v6, ipRangeOf('ip-src', '2001:db9::1')!.lo), false);
    assert.equal(rangeContains(v6, ipRangeOf('ip-src', '10.0.0.1')!.lo), false);
  });

  it('ignores other types and values that are not addresses', () => {
    assert.equal(ipRangeOf('domain', '10.0.0.0/8'), undefined);
    assert.equal(ipRangeOf('ip-dst', 'not-an-ip'), undefined);
    assert.equal(ipRangeOf('ip-dst', '10.0.0.0/40'), undefined);
  });
});
