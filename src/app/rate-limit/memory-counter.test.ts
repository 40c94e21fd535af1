import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryRateLimitCounter } from './memory-counter.js';

describe('in-memory rate-limit windows', () => {
  it('counts up to the limit, refuses without counting, and opens a new window when the old one ends', async () => {
    let now = 1_000_000;
    const c = createMemoryRateLimitCounter(() => now);
    assert.deepEqual(await c.hit('k', 2, 900), { count: 1, exceeded: false, resetSeconds: 900 });
    now += 100_500;
    assert.deepEqual(await c.hit('k', 2, 900), { count: 2, exceeded: false, resetSeconds: 800 });
    assert.deepEqual(await c.hit('k', 2, 900), { count: 2, exceeded: true, resetSeconds: 800 });
    assert.deepEqual(await c.hit('other', 2, 900), { count: 1, exceeded: false, resetSeconds: 900 });
    now += 800_000;
    assert.deepEqual(await c.hit('k', 2, 900), { count: 1, exceeded: false, resetSeconds: 900 });
  });

  it('drops ended windows as the map grows', async () => {
    let now = 0;
    const c = createMemoryRateLimitCounter(() => now);
    for (let i = 0; i < 1500; i++) await c.hit(`user-${i}`, 5, 1);
    now += 2000;
    for (let i = 0; i < 1000; i++) await c.hit(`later-${i}`, 5, 1);
    // every user-* window ended: the next one starts afresh
    assert.equal((await c.hit('user-1', 5, 1))!.count, 1);
  });
});
