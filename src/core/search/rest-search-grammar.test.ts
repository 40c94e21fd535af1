import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../errors.js';
import { readDateRange, readDay, readDeleted, readFlags, readRange, readTerms, readTextTerms, resolveTimePoint } from './rest-search-grammar.js';

const NOW = 1_700_000_000;

describe('restSearch filter grammar (spec §3.14)', () => {
  it('reads scalars, && chains, lists, ! negation and {OR, AND, NOT} objects', () => {
    assert.deepEqual(readTerms('a', 'v'), { or: ['a'], and: [], not: [] });
    assert.deepEqual(readTerms('a&&!b', 'v'), { or: ['a'], and: [], not: ['b'] });
    assert.deepEqual(readTerms(['a', '!b', 3], 'v'), { or: ['a', '3'], and: [], not: ['b'] });
    assert.deepEqual(readTerms({ OR: ['a'], AND: 'b', NOT: ['c', '!d'] }, 'v'), { or: ['a'], and: ['b'], not: ['c', 'd'] });
    assert.equal(readTerms('', 'v'), undefined);
    assert.equal(readTerms([], 'v'), undefined);
  });

  it('rejects shapes MISP cannot mean: unknown operators, nested objects, booleans, oversized lists', () => {
    for (const bad of [{ LIKE: 'x' }, [{ a: 1 }], true, { OR: [[1]] }, Array.from({ length: 10_001 }, (_, i) => String(i))]) {
      assert.throws(() => readTerms(bad, 'value'), DomainError, JSON.stringify(bad).slice(0, 40));
    }
  });

  it('marks values starting or ending with % as LIKE patterns', () => {
    assert.deepEqual(readTextTerms(['%x', 'y%', 'z'], 'value')!.or.map((t) => t.like), [true, true, false]);
  });

  it('resolves timestamps, relative times and dates; unreadable ones match nothing, as resolveTimeDelta', () => {
    assert.equal(resolveTimePoint('1700000000.9', NOW, 't'), 1_700_000_000);
    assert.equal(resolveTimePoint(1_699_999_999.5, NOW, 't'), 1_699_999_999);
    assert.equal(resolveTimePoint('2d', NOW, 't'), NOW - 2 * 86_400);
    assert.equal(resolveTimePoint('90m', NOW, 't'), NOW - 5_400);
    assert.equal(resolveTimePoint('2024-01-02', NOW, 't'), Date.UTC(2024, 0, 2) / 1000);
    for (const junk of ['5x', 'ad', 'aaad']) assert.equal(resolveTimePoint(junk, NOW, 't'), NOW + 1);
  });

  it('reads a range as [from, to] (swapped when reversed, a 0 lower bound dropped) and refuses other lengths', () => {
    assert.deepEqual(readRange(['1d', '2d'], NOW, 't'), { from: NOW - 2 * 86_400, until: NOW - 86_400 });
    assert.deepEqual(readRange([0, 10], NOW, 't'), { until: 10 });
    assert.deepEqual(readRange('1h', NOW, 't'), { from: NOW - 3_600 });
    assert.throws(() => readRange([1, 2, 3], NOW, 't'), /Invalid date specification/);
  });

  it('reads event dates from timestamps and date texts, and refuses the rest', () => {
    assert.equal(readDay(Date.UTC(2018, 8, 1, 23) / 1000, 'from'), '2018-09-01');
    assert.equal(readDay('2018-09-01T10:00:00Z', 'from'), '2018-09-01');
    assert.equal(readDay('Aug 18 2018', 'from'), '2018-08-18');
    assert.throws(() => readDay('soon', 'from'), DomainError);
  });

  it('reads a timestamp past the days a date can hold as the first or last such day', () => {
    assert.equal(readDay(99999999999999999999, 'from'), '9999-12-31');
    assert.equal(readDay('-99999999999999999999', 'to'), '0000-01-01');
    assert.deepEqual(readDateRange([0, 1e20], NOW), { until: '9999-12-31' });
  });

  it('reads flags and deletion states the restSearch way (1 = only deleted)', () => {
    assert.deepEqual(readFlags('1', 'to_ids'), [true]);
    assert.deepEqual(readFlags([0, 1], 'to_ids'), [false, true]);
    assert.deepEqual(readFlags('exclude', 'to_ids'), [false]);
    assert.throws(() => readFlags('maybe', 'to_ids'), DomainError);
    assert.deepEqual(readDeleted(1), [1]);
    assert.deepEqual(readDeleted(true), [1]);
    assert.deepEqual(readDeleted('only'), [1]);
    assert.deepEqual(readDeleted([0, 1]), [0, 1]);
    assert.deepEqual(readDeleted(0), [0]);
  });
});
