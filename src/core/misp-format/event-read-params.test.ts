import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readDeletedParam, readEventIndexParams, readTimePoint } from './event-read-params.js';

const NOW = 1_700_000_000;

describe('readDeletedParam', () => {
  it('reads MISP\'s events/view deleted values', () => {
    assert.deepEqual(readDeletedParam(undefined), [0]);
    assert.deepEqual(readDeletedParam(0), [0]);
    assert.deepEqual(readDeletedParam('0'), [0]);
    assert.deepEqual(readDeletedParam(false), [0]);
    assert.deepEqual(readDeletedParam(true), [0, 1], 'PyMISP get_event(deleted=True)');
    assert.deepEqual(readDeletedParam('1'), [0, 1]);
    assert.deepEqual(readDeletedParam(['0', '1']), [0, 1], 'named deleted[]:0/deleted[]:1');
    assert.deepEqual(readDeletedParam([1]), [1]);
    assert.deepEqual(readDeletedParam(['only']), [1]);
    assert.deepEqual(readDeletedParam(2), [1]);
  });
});

describe('readTimePoint', () => {
  it('reads timestamps, relative deltas and dates', () => {
    assert.equal(readTimePoint(1_600_000_000, NOW), 1_600_000_000);
    assert.equal(readTimePoint('1600000000', NOW), 1_600_000_000);
    assert.equal(readTimePoint('2d', NOW), NOW - 2 * 86_400);
    assert.equal(readTimePoint('30m', NOW), NOW - 1_800);
    assert.equal(readTimePoint('2020-09-13T12:26:40Z', NOW), 1_600_000_000);
    assert.equal(readTimePoint('soon', NOW), undefined);
  });
});

describe('readEventIndexParams', () => {
  it('takes body keys with or without the search prefix, case-insensitively', () => {
    const p = readEventIndexParams({}, { searchEventInfo: 'apt|!test', Published: 1 }, NOW);
    assert.deepEqual(p.filter.info, { include: ['apt'], exclude: ['test'] });
    assert.equal(p.filter.published, true);
  });

  it('takes only search-prefixed named parameters as filters, and paging as named parameters', () => {
    const p = readEventIndexParams({ searchpublished: '0', published: '1', limit: '10', page: '2', sort: 'date', direction: 'DESC' }, undefined, NOW);
    assert.equal(p.filter.published, false);
    assert.deepEqual(p.page, { limit: 10, page: 2, sort: 'date', direction: 'desc' });
  });

  it('ignores a limit or page no integer column can hold', () => {
    assert.deepEqual(readEventIndexParams({}, { limit: 99999999999999999999, page: '99999999999999999999' }, NOW).page, {});
  });

  it('ignores a sort on an unknown column, and published 2 or [0, 1] (both)', () => {
    assert.equal(readEventIndexParams({}, { sort: 'value; drop table events' }, NOW).page.sort, undefined);
    assert.equal(readEventIndexParams({}, { published: 2 }, NOW).filter.published, undefined);
    assert.equal(readEventIndexParams({}, { published: [0, 1] }, NOW).filter.published, undefined);
  });

  it('splits eventid into ids and uuids with negation', () => {
    const uuid = '5a3c2fcd-8328-42bb-a95e-4f4402de0b81';
    const p = readEventIndexParams({}, { eventid: `12|!13|${uuid.toUpperCase()}` }, NOW);
    assert.deepEqual(p.filter.ids, { include: [12], exclude: [13] });
    assert.deepEqual(p.filter.uuids, { include: [uuid] });
  });

  it('reads lists of levels, timestamp ranges and PyMISP\'s timestamp dates', () => {
    const p = readEventIndexParams({}, {
      threatlevel: ['1', '!4'], timestamp: ['7d', 1_699_999_999], datefrom: 1_600_000_000, dateuntil: '2024-01-31',
    }, NOW);
    assert.deepEqual(p.filter.threatLevel, { include: [1], exclude: [4] });
    assert.deepEqual(p.filter.timestamp, { from: NOW - 7 * 86_400, until: 1_699_999_999 });
    assert.equal(p.filter.dateFrom, '2020-09-13');
    assert.equal(p.filter.dateUntil, '2024-01-31');
  });

  it('keeps org and tag names for the service, with `a&b` meaning all of them', () => {
    const p = readEventIndexParams({}, { org: 'CIRCL|!3', tags: 'tlp:red&apt' }, NOW);
    assert.deepEqual(p.orgs, { include: ['CIRCL'], exclude: ['3'] });
    assert.deepEqual(p.tags, { include: ['tlp:red', 'apt'], allOf: true });
  });

  it('turns attribute into substring patterns and value into an exact match, both required', () => {
    const p = readEventIndexParams({}, { attribute: 'Evil|!good', value: '1.2.3.4' }, NOW);
    assert.deepEqual(p.filter.attributeValues, [{ include: ['%evil%'], exclude: ['%good%'] }, { include: ['1.2.3.4'] }]);
  });

  it('reads minimal as a shape and as MISP\'s "has attributes" filter', () => {
    const p = readEventIndexParams({ minimal: '1' }, undefined, NOW);
    assert.equal(p.minimal, true);
    assert.equal(p.filter.hasAttributes, true);
  });
});
