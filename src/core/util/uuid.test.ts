import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isUuid, newUuid, parseRef } from './uuid.js';

test('isUuid accepts 8-4-4-4-12 hex digits in either case, as MISP validates a uuid', () => {
  for (const ok of ['5f3c2a9e-0b1d-4c6e-8f2a-9b7d3e1c4a55', '5F3C2A9E-0B1D-4C6E-8F2A-9B7D3E1C4A55', '00000000-0000-0000-0000-000000000000', newUuid()]) {
    assert.equal(isUuid(ok), true, ok);
  }
});

test('isUuid refuses anything else', () => {
  for (const bad of [
    '', '5f3c2a9e0b1d4c6e8f2a9b7d3e1c4a55', '5f3c2a9e-0b1d-4c6e-8f2a-9b7d3e1c4a5', '5f3c2a9e-0b1d-4c6e-8f2a-9b7d3e1c4a555',
    '5f3c2a9e-0b1d-4c6e-8f2a_9b7d3e1c4a55', '5f3c2a9e-0b1d4-c6e-8f2a-9b7d3e1c4a55', 'gf3c2a9e-0b1d-4c6e-8f2a-9b7d3e1c4a55',
    '5f3c2a9e-0b1d-4c6e-8f2a-9b7d3e1c4aé5', ' 5f3c2a9e-0b1d-4c6e-8f2a-9b7d3e1c4a5', '{5f3c2a9e-0b1d-4c6e-8f2a-9b7d3e1c4a}',
  ]) {
    assert.equal(isUuid(bad), false, bad);
  }
  for (const notText of [undefined, null, 12, {}, ['5f3c2a9e-0b1d-4c6e-8f2a-9b7d3e1c4a55']]) assert.equal(isUuid(notText), false);
});

test('parseRef reads a positive id or a uuid, lower-cased', () => {
  assert.deepEqual(parseRef('12'), { id: 12 });
  assert.deepEqual(parseRef(7), { id: 7 });
  assert.deepEqual(parseRef('5F3C2A9E-0B1D-4C6E-8F2A-9B7D3E1C4A55'), { uuid: '5f3c2a9e-0b1d-4c6e-8f2a-9b7d3e1c4a55' });
  for (const bad of ['0', '-1', 'abc', '1.5', 0]) assert.equal(parseRef(bad), undefined);
});
