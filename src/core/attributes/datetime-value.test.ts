import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normaliseDatetime, parseDatetimeValue } from './datetime-value.js';

describe('normaliseDatetime (PHP DateTime in GMT, format Y-m-d\\TH:i:s.uO)', () => {
  const cases: [string, string][] = [
    ['2020-01-03', '2020-01-03T00:00:00.000000+0000'],
    ['2020-01-03T10:11:12', '2020-01-03T10:11:12.000000+0000'],
    ['2020-01-03 10:11:12', '2020-01-03T10:11:12.000000+0000'],
    ['2020-01-03T10:11', '2020-01-03T10:11:00.000000+0000'],
    ['2020-01-03T10:11:12Z', '2020-01-03T10:11:12.000000+0000'],
    ['2020-01-03T10:11:12.5Z', '2020-01-03T10:11:12.500000+0000'],
    ['2020-01-03T10:11:12.123456789Z', '2020-01-03T10:11:12.123456+0000'],
    ['2020-01-03T10:11:12+02:00', '2020-01-03T10:11:12.000000+0200'],
    ['2020-01-03T10:11:12-0530', '2020-01-03T10:11:12.000000-0530'],
    ['2020-01-03T10:11:12+02', '2020-01-03T10:11:12.000000+0200'],
    ['2020-01-03T10:11:12 UTC', '2020-01-03T10:11:12.000000+0000'],
    ['2020-02-30', '2020-03-01T00:00:00.000000+0000'],
    ['@1577836800', '2020-01-01T00:00:00.000000+0000'],
    ['@0.25', '1970-01-01T00:00:00.250000+0000'],
    ['Fri, 03 Jan 2020 10:11:12 GMT', '2020-01-03T10:11:12.000000+0000'],
    ['3 January 2020 10:11:12', '2020-01-03T10:11:12.000000+0000'],
  ];
  for (const [input, stored] of cases) {
    it(`stores ${input} as ${stored}`, () => assert.equal(normaliseDatetime(input), stored));
  }

  it('keeps its own output unchanged', () => {
    for (const [, stored] of cases) assert.equal(normaliseDatetime(stored), stored);
  });

  it('refuses what PHP cannot read', () => {
    for (const v of ['2020-13-01', '2020-01-03T25:00:00', 'soon', '12345', '2020/01/03x', '']) {
      assert.equal(parseDatetimeValue(v), undefined, v);
      assert.equal(normaliseDatetime(v), v);
    }
  });
});
