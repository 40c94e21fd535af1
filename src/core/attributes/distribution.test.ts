import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  defaultAttributeDistribution, defaultEventDistribution, effectiveSharingGroupId, isAttributeDistribution,
  isEventDistribution, resolveDistribution,
} from './distribution.js';

describe('distribution helpers', () => {
  it('defaults attributes to inherit (5) for "event" or no setting, else the setting', () => {
    assert.equal(defaultAttributeDistribution('event'), 5);
    assert.equal(defaultAttributeDistribution(undefined), 5);
    assert.equal(defaultAttributeDistribution(null), 5);
    assert.equal(defaultAttributeDistribution('0'), 0);
    assert.equal(defaultAttributeDistribution(3), 3);
    assert.equal(defaultAttributeDistribution('9'), 5);
  });

  it('defaults events to the setting, or 0 when it is not 0–4', () => {
    assert.equal(defaultEventDistribution(1), 1);
    assert.equal(defaultEventDistribution('3'), 3);
    assert.equal(defaultEventDistribution(5), 0);
    assert.equal(defaultEventDistribution(undefined), 0);
  });

  it('accepts 0–5 for attributes and 0–4 for events', () => {
    assert.deepEqual([0, 5, 6, -1, 1.5, '1'].map(isAttributeDistribution), [true, true, false, false, false, false]);
    assert.deepEqual([0, 4, 5].map(isEventDistribution), [true, true, false]);
  });

  it('keeps a sharing group only with distribution 4', () => {
    assert.equal(effectiveSharingGroupId(4, 7), 7);
    assert.equal(effectiveSharingGroupId(4, null), 0);
    assert.equal(effectiveSharingGroupId(1, 7), 0);
  });

  it('resolves inherit through object and event', () => {
    assert.equal(resolveDistribution(2, 0), 2);
    assert.equal(resolveDistribution(5, 1), 1);
    assert.equal(resolveDistribution(5, 5, 3), 3);
    assert.equal(resolveDistribution(5, 4, 3), 4);
  });
});
