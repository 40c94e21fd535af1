import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUserWithKey } from '../support/tag-test-fixtures.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';

/**
 * Statistics (spec §3.13): attributes/attributeStatistics, tags/tagStatistics and users/statistics, with MISP's
 * shapes and Cairn's rule that counts and tag names come only from data the user may see.
 */

type User = { key: string; userId: number; orgId: number };

for (const dialect of testDialects()) {
  describe(`${dialect}: statistics`, () => {
    let s: TestServer;
    let owner: User;
    let other: User;

    before(async () => {
      s = await startTestServer(dialect);
      owner = await createUserWithKey(s, { orgName: 'Stats Org', email: 'owner@stats.test', perms: ['perm_add', 'perm_modify', 'perm_tagger', 'perm_tag_editor', 'perm_sighting'] });
      other = await createUserWithKey(s, { orgName: 'Other Org', email: 'other@stats.test', perms: ['perm_add'] });
      await s.call('POST', 'events/add', {
        info: 'shared', distribution: 3, Tag: [{ name: 'stats:shared' }],
        Attribute: [{ type: 'ip-dst', value: '192.0.2.10' }, { type: 'ip-dst', value: '192.0.2.11' }, { type: 'text', value: 'hello' }],
      }, owner.key);
      await s.call('POST', 'events/add', {
        info: 'private', distribution: 0, Tag: [{ name: 'stats:secret-target' }],
        Attribute: [{ type: 'domain', value: 'private.example' }],
      }, owner.key);
    });
    after(() => s.close());

    it('attributeStatistics counts by type or category, as counts or shares, over visible data only', async () => {
      const mine = await s.call('GET', 'attributes/attributeStatistics/type', undefined, owner.key);
      assert.deepEqual(mine.body, { domain: '1', 'ip-dst': '2', text: '1' });
      const shares = await s.call('GET', 'attributes/attributeStatistics/type/true', undefined, owner.key);
      assert.deepEqual(shares.body, { domain: '25%', 'ip-dst': '50%', text: '25%' });
      const theirs = await s.call('GET', 'attributes/attributeStatistics/category/true', undefined, other.key);
      assert.deepEqual(theirs.body, { 'Network activity': '66.667%', Other: '33.333%' });
      const bad = await s.call('GET', 'attributes/attributeStatistics/value', undefined, owner.key);
      assert.equal(bad.status, 405);
      assert.equal(bad.body.message, 'Invalid type requested.');
    });

    it('tagStatistics never names a tag that only sits on events the user cannot see', async () => {
      const mine = await s.call('GET', 'tags/tagStatistics', undefined, owner.key);
      assert.deepEqual(mine.body, { tags: { 'stats:shared': '1', 'stats:secret-target': '1' }, taxonomies: [] });
      const theirs = await s.call('GET', 'tags/tagStatistics/true/true', undefined, other.key);
      assert.deepEqual(theirs.body, { tags: { 'stats:shared': '100%' }, taxonomies: [] });
      const treemap = await s.call('GET', 'users/statistics/tags', undefined, other.key);
      assert.deepEqual(Object.keys(treemap.body), ['flatData', 'treemap']);
      assert.deepEqual(Object.keys(treemap.body.flatData.custom), ['stats:shared']);
    });

    it('users/statistics answers data, orgs, users, attributehistogram and sightings in MISP\'s shapes', async () => {
      const data = (await s.call('GET', 'users/statistics/data', undefined, other.key)).body.stats;
      assert.equal(data.event_count, '1');
      assert.equal(data.attribute_count, '3');
      assert.equal(typeof data.user_count, 'string');
      assert.equal((await s.call('GET', 'users/statistics/data', undefined, owner.key)).body.stats.event_count, '2');

      const orgs = (await s.call('GET', 'users/statistics/orgs')).body;
      assert.ok('ORGNAME' in orgs);
      assert.equal(orgs['Stats Org'].eventCount, '2');
      assert.equal(orgs['Stats Org'].attributeCount, '4');

      const users = (await s.call('GET', 'users/statistics/users')).body;
      assert.deepEqual(Object.keys(users), ['user', 'org_local', 'org_external']);
      assert.equal(users.user.data.total, 3);

      const histogram = (await s.call('GET', 'users/statistics/attributehistogram', undefined, other.key)).body;
      assert.ok(Array.isArray(histogram));
      assert.equal(histogram[0].org_name, 'All organisations');
      assert.equal(histogram[0].total, 3);

      await s.call('POST', 'sightings/add', { value: 'hello', source: 'sensor-1' }, owner.key);
      const sightings = (await s.call('GET', 'users/statistics/sightings', undefined, owner.key)).body;
      assert.deepEqual(Object.keys(sightings), ['toplist', 'eventids']);
      assert.deepEqual(sightings.toplist, { 'sensor-1': 1 });
      assert.equal((await s.call('GET', 'users/statistics/nothing')).status, 404);
    });
  });
}
