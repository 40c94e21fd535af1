import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exclusionMatcher } from './correlation-exclusions.js';

describe('exclusionMatcher', () => {
  const m = exclusionMatcher(['8.8.8.8', '%.sinkhole.test', 'http://localhost%', '%GREEN%']);

  it('matches exact values', () => {
    assert.equal(m.excludes('8.8.8.8'), true);
    assert.equal(m.excludes('8.8.8.80'), false);
  });

  it('reads a leading % as "ends with", a trailing % as "starts with", both as "contains"', () => {
    assert.equal(m.excludes('ns1.sinkhole.test'), true);
    assert.equal(m.excludes('sinkhole.test.example'), false);
    assert.equal(m.excludes('http://localhost/a'), true);
    assert.equal(m.excludes('see http://localhost'), false);
    assert.equal(m.excludes('code green light'), true);
  });

  it('compares case-insensitively, on the normalised key', () => {
    assert.equal(exclusionMatcher(['EVIL.example']).excludes('evil.example'), true);
  });

  it('excludes everything for a lone %, and nothing without exclusions', () => {
    assert.equal(exclusionMatcher(['%']).excludes('anything'), true);
    assert.equal(exclusionMatcher([]).empty, true);
    assert.equal(exclusionMatcher([]).excludes('x'), false);
  });
});
