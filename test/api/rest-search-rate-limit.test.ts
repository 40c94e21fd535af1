import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createConnection } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { createUserWithKey, rawDb } from '../support/tag-test-fixtures.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';

/**
 * MISP's restSearch rate limit (RateLimitComponent; spec §3.1 "rate-limited"): a role with `enforce_rate_limit`
 * gets `rate_limit_count` events/attributes searches per user and 15 minutes, with X-Rate-Limit-* headers, then
 * 429 "Rate limit exceeded."; a count of 0 refuses API searches (405). Run with the in-memory windows (default) and
 * with Redis (CAIRN_REDIS_URL; skipped when no Redis answers on TEST_REDIS_URL, default 127.0.0.1:6379), and an
 * unreachable Redis lets searches through as MISP does.
 */

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/15';

async function redisUp(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: u.hostname, port: Number(u.port || 6379), timeout: 500 });
    socket.once('connect', () => { socket.end(); resolve(true); });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
  });
}

const redisAvailable = await redisUp(REDIS_URL);

type Backend = 'memory' | 'redis';

for (const dialect of testDialects()) {
  for (const backend of ['memory', 'redis'] as Backend[]) {
    describe(`${dialect}: restSearch rate limit (${backend})`, { skip: backend === 'redis' && !redisAvailable ? `no Redis at ${REDIS_URL}` : false }, () => {
      let s: TestServer;
      let instance: string;

      async function limitedUser(email: string, count: number, enforce = true): Promise<{ key: string; userId: number }> {
        const u = await createUserWithKey(s, { orgName: 'Rate org', email, perms: [] });
        const user = await rawDb(s).selectFrom('users').select('role_id').where('id', '=', u.userId).executeTakeFirstOrThrow();
        await rawDb(s).updateTable('roles').set({ enforce_rate_limit: enforce ? 1 : 0, rate_limit_count: count }).where('id', '=', user.role_id).execute();
        return u;
      }
      const search = (path: string, key: string) => s.call('POST', path, { value: 'nothing.example' }, key);

      before(async () => {
        s = await startTestServer(dialect, backend === 'redis' ? { CAIRN_REDIS_URL: REDIS_URL } : {});
        // The window key is misp:<MISP.uuid>:rate_limit:<user id>: a fresh instance uuid keeps runs apart in Redis.
        instance = randomUUID();
        const r = await s.call('POST', 'servers/serverSettingsEdit/MISP.uuid', { value: instance });
        assert.equal(r.status, 200, JSON.stringify(r.body));
      });
      after(() => s.close());

      it('counts events and attributes searches per user, then refuses with 429 and MISP\'s message', async () => {
        const u = await limitedUser(`limited-${backend}@rate.test`, 3);
        const first = await search('events/restSearch', u.key);
        assert.equal(first.status, 200, JSON.stringify(first.body));
        assert.equal(first.headers.get('x-rate-limit-limit'), '3');
        assert.equal(first.headers.get('x-rate-limit-remaining'), '2');
        const reset = Number(first.headers.get('x-rate-limit-reset'));
        assert.ok(reset > 890 && reset <= 900, `reset ${reset}`);
        const second = await search('attributes/restSearch', u.key);
        assert.equal(second.headers.get('x-rate-limit-remaining'), '1');
        const objects = await search('objects/restSearch', u.key);
        assert.equal(objects.status, 200);
        assert.equal(objects.headers.get('x-rate-limit-limit'), null, 'objects/restSearch is not limited');
        assert.equal((await search('attributes/restSearch', u.key)).headers.get('x-rate-limit-remaining'), '0');

        const refused = await search('events/restSearch', u.key);
        assert.equal(refused.status, 429);
        assert.deepEqual(refused.body, { name: 'Rate limit exceeded.', message: 'Rate limit exceeded.', url: '/events/restSearch' });
        assert.equal(refused.headers.get('x-rate-limit-limit'), '3');
        assert.equal(refused.headers.get('x-rate-limit-remaining'), '0');
        assert.ok(Number(refused.headers.get('x-rate-limit-reset')) <= 900);
        assert.equal((await search('attributes/restSearch', u.key)).status, 429);
        assert.equal((await s.call('GET', 'events/index', undefined, u.key)).status, 200, 'other actions are not limited');

        const other = await limitedUser(`other-${backend}@rate.test`, 3);
        const fresh = await search('events/restSearch', other.key);
        assert.equal(fresh.status, 200);
        assert.equal(fresh.headers.get('x-rate-limit-remaining'), '2', 'each user has its own window');

        if (backend === 'redis') {
          const redis = new Redis(REDIS_URL);
          try {
            const k = `misp:${instance}:rate_limit:${u.userId}`;
            assert.equal(await redis.get(k), '3', 'refused searches are not counted');
            const ttl = await redis.ttl(k);
            assert.ok(ttl > 0 && ttl <= 900);
            // the window lives in Redis: emptying it there opens it again for every process
            await redis.del(k);
            assert.equal((await search('events/restSearch', u.key)).status, 200);
            await redis.del(k, `misp:${instance}:rate_limit:${other.userId}`);
          } finally {
            redis.disconnect();
          }
        }
      });

      it('leaves roles without enforce_rate_limit alone and refuses API searches when the count is 0', async () => {
        const free = await limitedUser(`free-${backend}@rate.test`, 1, false);
        for (let i = 0; i < 3; i++) {
          const r = await search('events/restSearch', free.key);
          assert.equal(r.status, 200);
          assert.equal(r.headers.get('x-rate-limit-limit'), null);
        }
        const none = await limitedUser(`none-${backend}@rate.test`, 0);
        const r = await search('attributes/restSearch', none.key);
        assert.equal(r.status, 405);
        assert.equal(r.body.message, 'API searches are not allowed for this user role.');
        assert.equal(r.body.url, '/attributes/restSearch');
      });
    });
  }

  describe(`${dialect}: restSearch rate limit with Redis unreachable`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(dialect, { CAIRN_REDIS_URL: 'redis://127.0.0.1:1' });
    });
    after(() => s.close());

    it('lets searches through without rate-limit headers, as MISP does when Redis is down', async () => {
      const u = await createUserWithKey(s, { orgName: 'Rate org', email: 'down@rate.test', perms: [] });
      const user = await rawDb(s).selectFrom('users').select('role_id').where('id', '=', u.userId).executeTakeFirstOrThrow();
      await rawDb(s).updateTable('roles').set({ enforce_rate_limit: 1, rate_limit_count: 1 }).where('id', '=', user.role_id).execute();
      for (let i = 0; i < 3; i++) {
        const r = await s.call('POST', 'events/restSearch', { value: 'x' }, u.key);
        assert.equal(r.status, 200);
        assert.equal(r.headers.get('x-rate-limit-limit'), null);
      }
    });
  });
}
