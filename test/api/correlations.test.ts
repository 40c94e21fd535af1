import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SECRET_SETTING } from '../../src/app/bootstrap.js';
import { eventViewer } from '../../src/core/acl/event-visibility.js';
import { correlatedTransaction } from '../../src/core/correlation/correlated-transaction.js';
import { relatedAttributesOf } from '../../src/core/correlation/correlation-view.js';
import type { NewAttribute } from '../../src/core/ports/event-write-store.js';
import { generateApiKey, hashApiKey, keyHints } from '../../src/core/auth/secrets.js';
import { datetime } from '../../src/core/misp-format/scalars.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';
import { holdTransaction } from '../support/held-transaction.js';

/**
 * Correlation through HTTP (spec §5, §2.2 RelatedEvent, §3.12 exclusions): events are written with events/add and
 * attributes/* like PyMISP does, and correlations are observed in events/view as each user sees them.
 */

const NOW = 1_700_000_000;
const USER_ROLE = 3;

async function orgWithUser(s: TestServer, name: string): Promise<{ orgId: number; key: string }> {
  const identity = s.container.storage.identity;
  const org = await identity.createOrganisation({ uuid: randomUUID(), name, local: true, createdBy: 1 }, datetime(NOW));
  const user = await identity.createUser({
    email: `${name.toLowerCase()}@example.test`, passwordHash: 'x', orgId: org.id, roleId: USER_ROLE, legacyKeyHash: '',
    legacyKeyStart: '', legacyKeyEnd: '', invitedBy: 1, now: NOW,
  });
  const key = generateApiKey();
  const { start, end } = keyHints(key);
  await identity.createAuthKey({
    uuid: randomUUID(), hash: hashApiKey(s.container.settings.stored(SECRET_SETTING) as string, key), start, end,
    created: NOW, expiration: 0, readOnly: false, userId: user.id, comment: '', allowedIps: null,
  });
  return { orgId: org.id, key };
}

interface AttrIn {
  type: string;
  value: string;
  category?: string;
  distribution?: number;
  disable_correlation?: boolean;
}

const CATEGORY: Record<string, string> = {
  'ip-dst': 'Network activity', 'ip-src': 'Network activity', 'ip-dst|port': 'Network activity', domain: 'Network activity',
  md5: 'Payload delivery', 'filename|md5': 'Payload delivery', filename: 'Payload delivery', text: 'Other', ssdeep: 'Payload delivery',
};

for (const dialect of testDialects()) {
  describe(`${dialect}: correlations`, () => {
    let s: TestServer;
    let alpha: { orgId: number; key: string };
    let beta: { orgId: number; key: string };

    /** events/add as the given user; returns the event id. */
    const addEvent = async (info: string, attributes: AttrIn[], o: { key?: string; distribution?: number; disable?: boolean } = {}) => {
      const r = await s.call('POST', 'events/add', {
        Event: {
          info, distribution: o.distribution ?? 3, threat_level_id: 2, analysis: 0, disable_correlation: o.disable ?? false,
          Attribute: attributes.map((a) => ({ category: CATEGORY[a.type] ?? 'Other', to_ids: false, ...a })),
        },
      }, o.key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return { id: Number(r.body.Event.id), attributes: r.body.Event.Attribute as { id: string; value: string }[] };
    };
    const view = async (id: number, key?: string, granular = false) => {
      const r = await s.call('GET', `events/view/${id}${granular ? '/includeGranularCorrelations:1' : ''}`, undefined, key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.Event;
    };
    const related = async (id: number, key?: string) => ((await view(id, key)).RelatedEvent as { Event: { id: string } }[])
      .map((r) => Number(r.Event.id)).sort((a, b) => a - b);
    const setSetting = async (name: string, value: unknown) => {
      const r = await s.call('POST', `servers/serverSettingsEdit/${name}`, { value });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    };
    /** Every stored correlation row, in a stable order: the rebuild must reproduce it exactly. */
    const allRows = async () => (await s.container.storage.db.selectFrom('correlations').selectAll()
      .orderBy('event_id').orderBy('attribute_id').orderBy('1_attribute_id').orderBy('value_id').execute())
      .map((r) => ({ ...r, value_id: Number(r.value_id) }));

    before(async () => {
      s = await startTestServer(dialect);
      alpha = await orgWithUser(s, 'Alpha');
      beta = await orgWithUser(s, 'Beta');
    });
    after(() => s.close());

    it('correlates a value two transactions add at the same moment: the second one\'s correlation waits for the first commit', async () => {
      const a = await addEvent('race one', [{ type: 'text', value: 'race filler one' }]);
      const b = await addEvent('race two', [{ type: 'text', value: 'race filler two' }]);
      const { storage, settings } = s.container;
      const ctx = { settings: settings.current() };
      const attribute = (eventId: number): NewAttribute => ({
        uuid: randomUUID(), eventId, objectId: 0, objectRelation: null, category: 'Network activity', type: 'ip-dst',
        value1: '198.51.100.250', value2: '', toIds: false, timestamp: NOW, distribution: 5, sharingGroupId: 0, comment: '',
        deleted: false, disableCorrelation: false, firstSeen: null, lastSeen: null,
      });
      // the first add's correlation is done, but its transaction stays open until released
      const first = await holdTransaction(storage, (outer) =>
        correlatedTransaction(ctx, { transaction: (fn) => fn(outer) }, (tx) => tx.eventWrites.insertAttributes([attribute(a.id)])));
      const second = correlatedTransaction(ctx, storage, (tx) => tx.eventWrites.insertAttributes([attribute(b.id)]));
      setTimeout(first.release, 100);
      await Promise.all([first.committed, second]);
      assert.deepEqual(await related(a.id), [b.id]);
      assert.deepEqual(await related(b.id), [a.id]);
    });

    it('links two events sharing an IP both ways, across attribute types, with MISP RelatedEvent shape', async () => {
      const a = await addEvent('ip one', [{ type: 'ip-dst', value: '198.51.100.7' }]);
      const b = await addEvent('ip two', [{ type: 'ip-src', value: '198.51.100.7' }, { type: 'ip-dst', value: '198.51.100.8' }]);
      assert.deepEqual(await related(a.id), [b.id]);
      assert.deepEqual(await related(b.id), [a.id]);
      const ev = await view(a.id);
      const r = ev.RelatedEvent[0].Event;
      assert.deepEqual(Object.keys(r), [
        'id', 'date', 'threat_level_id', 'info', 'published', 'uuid', 'analysis', 'timestamp', 'distribution', 'org_id', 'orgc_id', 'Org', 'Orgc',
      ]);
      assert.equal(r.info, 'ip two');
      assert.equal(r.id, String(b.id));
      assert.deepEqual(Object.keys(r.Org), ['id', 'name', 'uuid']);
      assert.equal(r.Orgc.name, 'ORGNAME');
    });

    it('matches values case-insensitively and never within one event', async () => {
      const a = await addEvent('case one', [{ type: 'text', value: 'Operation NightFury' }, { type: 'text', value: 'operation nightfury' }]);
      const b = await addEvent('case two', [{ type: 'text', value: 'OPERATION NIGHTFURY' }]);
      assert.deepEqual(await related(b.id), [a.id]);
      const granular = await view(a.id, undefined, true);
      const links = granular.Attribute.flatMap((x: { RelatedAttribute?: unknown[] }) => x.RelatedAttribute ?? []);
      assert.equal(links.length, 2, 'each attribute of event a links to the one of event b, not to each other');
      assert.deepEqual(Object.keys(links[0]), ['id', 'value', 'org_id', 'info', 'event_id']);
      assert.equal(links[0].event_id, String(b.id));
      assert.equal(links[0].value, 'operation nightfury');
    });

    it('correlates both halves of a composite, but only the address of an |port type', async () => {
      const md5 = 'b1946ac92492d2347c6235b4d2611184';
      const composite = await addEvent('composite', [{ type: 'filename|md5', value: `dropper-x.exe|${md5}` }]);
      const hash = await addEvent('hash only', [{ type: 'md5', value: md5 }]);
      const name = await addEvent('name only', [{ type: 'filename', value: 'dropper-x.exe' }]);
      assert.deepEqual(await related(composite.id), [hash.id, name.id]);
      assert.deepEqual(await related(hash.id), [composite.id], 'the md5 and the filename do not correlate with each other');

      const withPort = await addEvent('with port', [{ type: 'ip-dst|port', value: '203.0.113.99|31337' }]);
      const plainIp = await addEvent('plain ip', [{ type: 'ip-dst', value: '203.0.113.99' }]);
      const portText = await addEvent('port as text', [{ type: 'text', value: '31337' }]);
      assert.deepEqual(await related(withPort.id), [plainIp.id]);
      assert.deepEqual(await related(portText.id), []);
    });

    it('skips attributes and events with disable_correlation, and follows attribute edits', async () => {
      const a = await addEvent('dc one', [{ type: 'domain', value: 'disabled-corr.example', disable_correlation: true }]);
      const b = await addEvent('dc two', [{ type: 'domain', value: 'disabled-corr.example' }]);
      const c = await addEvent('dc three', [{ type: 'domain', value: 'disabled-corr.example' }], { disable: true });
      assert.deepEqual(await related(b.id), []);
      assert.deepEqual(await related(c.id), []);
      const edit = await s.call('POST', `attributes/edit/${a.attributes[0]!.id}`, { disable_correlation: false });
      assert.equal(edit.status, 200, JSON.stringify(edit.body));
      assert.deepEqual(await related(b.id), [a.id]);
      const valueEdit = await s.call('POST', `attributes/edit/${a.attributes[0]!.id}`, { value: 'other-value.example' });
      assert.equal(valueEdit.status, 200, JSON.stringify(valueEdit.body));
      assert.deepEqual(await related(b.id), []);
      const eventEdit = await s.call('POST', `events/edit/${c.id}`, { Event: { disable_correlation: false } });
      assert.equal(eventEdit.status, 200, JSON.stringify(eventEdit.body));
      assert.deepEqual(await related(b.id), [c.id]);
    });

    it('removes correlations of deleted attributes and brings them back on restore', async () => {
      const a = await addEvent('del one', [{ type: 'ip-dst', value: '192.0.2.55' }]);
      const b = await addEvent('del two', [{ type: 'ip-dst', value: '192.0.2.55' }]);
      const attr = b.attributes[0]!.id;
      assert.equal((await s.call('POST', `attributes/delete/${attr}`)).status, 200);
      assert.deepEqual(await related(a.id), []);
      assert.equal((await s.call('POST', `attributes/restore/${attr}`)).status, 200);
      assert.deepEqual(await related(a.id), [b.id]);
      assert.equal((await s.call('POST', `attributes/delete/${attr}/1`)).status, 200);
      assert.deepEqual(await related(a.id), []);
      const rows = await s.container.storage.db.selectFrom('correlations').select('attribute_id')
        .where((eb) => eb.or([eb('attribute_id', '=', Number(attr)), eb('1_attribute_id', '=', Number(attr))])).execute();
      assert.equal(rows.length, 0, 'no row mentions the deleted attribute in either direction');
      const c = await addEvent('del three', [{ type: 'ip-dst', value: '192.0.2.55' }]);
      assert.equal((await s.call('POST', `events/delete/${c.id}`)).status, 200);
      assert.deepEqual(await related(a.id), []);
    });

    it('never shows a correlation to an event or attribute the reader may not see', async () => {
      const mine = await addEvent('alpha event', [{ type: 'ip-dst', value: '100.64.7.7' }], { key: alpha.key, distribution: 1 });
      const hidden = await addEvent('beta org only', [{ type: 'ip-src', value: '100.64.7.7' }], { key: beta.key, distribution: 0 });
      const hiddenAttr = await addEvent('beta public, attribute org only', [{ type: 'ip-src', value: '100.64.7.7', distribution: 0 }], { key: beta.key });
      const open = await addEvent('beta public', [{ type: 'ip-src', value: '100.64.7.7' }], { key: beta.key });
      assert.deepEqual(await related(mine.id, alpha.key), [open.id]);
      const granular = await view(mine.id, alpha.key, true);
      const granularLinks = granular.Attribute[0].RelatedAttribute as { event_id: string }[];
      assert.deepEqual(granularLinks.map((l) => Number(l.event_id)), [open.id]);
      assert.deepEqual(await related(mine.id), [hidden.id, hiddenAttr.id, open.id], 'a site admin sees all of them');
      // attribute scope (attributes/restSearch includeCorrelations): the same rule, with the related attribute and event
      const alphaActor = { isSiteAdmin: false, org: { id: alpha.orgId }, role: { perms: { perm_sync: false } } };
      const ctx = { settings: s.container.settings.current() } as Parameters<typeof relatedAttributesOf>[0];
      const attribute = (await s.container.storage.eventWrites.findAttribute({ id: Number(mine.attributes[0]!.id) }))!;
      const scoped = await relatedAttributesOf(ctx, s.container.storage, eventViewer(alphaActor, ctx.settings, []), [attribute]);
      const links = scoped.get(attribute.id) ?? [];
      assert.deepEqual(links.map((l) => l.event?.uuid), [(await s.container.storage.eventWrites.findEvent({ id: open.id }))!.uuid]);
      assert.equal(links[0]!.attribute?.value1, '100.64.7.7');
      assert.deepEqual(await related(hidden.id, beta.key), [mine.id, hiddenAttr.id, open.id]);

      // distribution changes reach the copies of the ACL columns in the rows
      const edit = await s.call('POST', `events/edit/${open.id}`, { Event: { distribution: 0 } }, beta.key);
      assert.equal(edit.status, 200, JSON.stringify(edit.body));
      assert.deepEqual(await related(mine.id, alpha.key), []);
      const stale = await s.container.storage.db.selectFrom('correlations').select('1_event_distribution')
        .where('1_event_id', '=', open.id).execute();
      assert.ok(stale.length > 0 && stale.every((r) => r['1_event_distribution'] === 0));
      // and the hidden side never learns about alpha's community-only attribute through its own private attribute
      const mineOrgOnlyAttr = await addEvent('alpha public, attribute org only', [{ type: 'ip-dst', value: '100.64.8.8', distribution: 0 }], { key: alpha.key });
      const betaOpen = await addEvent('beta sees 8.8', [{ type: 'ip-dst', value: '100.64.8.8' }], { key: beta.key });
      assert.deepEqual(await related(betaOpen.id, beta.key), []);
      assert.deepEqual(await related(mineOrgOnlyAttr.id, beta.key), [], 'the org-only attribute of a visible event hides its correlation');
    });

    it('gives every event of an events/restSearch the RelatedEvent list and sightings events/view gives it, for each reader', async () => {
      // events of both orgs and of several distributions, correlated with each other, with sightings by both orgs
      const a1 = await addEvent('batch alpha public', [{ type: 'domain', value: 'batch.example' }, { type: 'ip-dst', value: '203.0.113.90' }], { key: alpha.key });
      const b1 = await addEvent('batch beta community', [{ type: 'domain', value: 'batch.example' }], { key: beta.key, distribution: 1 });
      const b2 = await addEvent('batch beta private attribute', [{ type: 'domain', value: 'batch.example', distribution: 0 }, { type: 'ip-src', value: '203.0.113.90' }], { key: beta.key });
      const b3 = await addEvent('batch beta org only', [{ type: 'ip-dst', value: '203.0.113.90' }], { key: beta.key, distribution: 0 });
      for (const [attribute, key] of [[a1.attributes[0]!, beta.key], [a1.attributes[0]!, alpha.key], [b2.attributes[1]!, alpha.key], [b2.attributes[1]!, beta.key]] as const) {
        assert.equal((await s.call('POST', `sightings/add/${attribute.id}`, { source: 'batch' }, key)).status, 200);
      }
      const ids = [a1.id, b1.id, b2.id, b3.id];
      const relatedIds = (list: { Event: { id: string } }[]) => list.map((x) => Number(x.Event.id)).sort((x, y) => x - y);
      const sightingsOf = (e: { Attribute?: { id: string; Sighting?: { org_id: string }[] }[] }) =>
        Object.fromEntries((e.Attribute ?? []).map((x) => [x.id, (x.Sighting ?? []).map((g) => g.org_id).sort()]));
      for (const key of [undefined, alpha.key, beta.key]) {
        const r = await s.call('POST', 'events/restSearch', { eventid: ids }, key);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        const found = (r.body.response as { Event: { id: string; RelatedEvent: { Event: { id: string } }[]; Attribute: [] } }[]).map((x) => x.Event);
        assert.ok(found.length >= 2, 'each reader sees several of the events');
        for (const e of found) {
          const viewed = await view(Number(e.id), key);
          assert.deepEqual(relatedIds(e.RelatedEvent), relatedIds(viewed.RelatedEvent), `RelatedEvent of ${e.id} for ${key ?? 'admin'}`);
          assert.deepEqual(sightingsOf(e), sightingsOf(viewed), `sightings of ${e.id} for ${key ?? 'admin'}`);
        }
        const relatedOf = (id: number) => relatedIds(found.find((e) => Number(e.id) === id)!.RelatedEvent);
        if (key === alpha.key) {
          assert.deepEqual(relatedOf(a1.id), [b1.id, b2.id].sort((x, y) => x - y));
          assert.deepEqual(relatedOf(b2.id), [a1.id], "b2's org-only domain hides its link to b1 from alpha");
        }
        if (key === beta.key) assert.deepEqual(relatedOf(a1.id), [b1.id, b2.id, b3.id].sort((x, y) => x - y));
      }
    });

    it('excludes values matching an exclusion, with % wildcards, and re-correlates on delete', async () => {
      const added = await s.call('POST', 'correlation_exclusions/add', { value: '%.sinkhole.test', comment: 'sinkholes' });
      assert.equal(added.status, 200, JSON.stringify(added.body));
      assert.equal(added.body.CorrelationExclusion.value, '%.sinkhole.test');
      const dup = await s.call('POST', 'correlation_exclusions/add', { value: '%.sinkhole.test' });
      assert.equal(dup.status, 403);
      assert.deepEqual(dup.body.errors, { value: ['Value is already in the exclusion list.'] });
      const a = await addEvent('sink one', [{ type: 'domain', value: 'ns1.SINKHOLE.test' }]);
      const b = await addEvent('sink two', [{ type: 'domain', value: 'ns1.sinkhole.test' }]);
      assert.deepEqual(await related(a.id), []);
      const id = added.body.CorrelationExclusion.id;
      const del = await s.call('POST', `correlation_exclusions/delete/${id}`);
      assert.equal(del.status, 200);
      assert.equal(del.body.success, true);
      assert.deepEqual(await related(a.id), [b.id]);
      // an exclusion added later removes existing correlations on clean
      await s.call('POST', 'correlation_exclusions/add', { value: 'ns1.sinkhole%' });
      assert.deepEqual(await related(a.id), [b.id], 'add alone keeps existing correlations, as in MISP');
      const clean = await s.call('POST', 'correlation_exclusions/clean');
      assert.equal(clean.body.success, true);
      assert.deepEqual(await related(a.id), []);
    });

    it('serves the exclusion endpoints the way PyMISP uses them (test_correlation_exclusions)', async () => {
      const r = await s.call('POST', 'correlation_exclusions/add', { value: 'test-correlation-exclusion' });
      assert.equal(r.body.CorrelationExclusion.value, 'test-correlation-exclusion');
      const list = await s.call('GET', 'correlation_exclusions');
      assert.ok(Array.isArray(list.body));
      const first = list.body[0].CorrelationExclusion;
      const one = await s.call('GET', `correlation_exclusions/view/${first.id}`);
      assert.equal(one.body.CorrelationExclusion.value, first.value);
      const edited = await s.call('POST', `correlation_exclusions/edit/${r.body.CorrelationExclusion.id}`, { comment: 'why not' });
      assert.equal(edited.body.CorrelationExclusion.comment, 'why not');
      assert.equal((await s.call('POST', `correlation_exclusions/delete/${r.body.CorrelationExclusion.id}`)).body.success, true);
      assert.equal((await s.call('POST', 'correlation_exclusions/clean')).body.success, true);
      assert.equal((await s.call('GET', 'correlation_exclusions/view/999999')).status, 404);
      assert.equal((await s.call('GET', 'correlation_exclusions', undefined, alpha.key)).status, 403, 'site admins only');
    });

    it('stops linking a value carried by more than correlation_limit + 1 attributes, and resumes below it', async () => {
      await setSetting('MISP.correlation_limit', 2);
      try {
        const value = 'over-correlating.example';
        const events = [];
        for (let i = 0; i < 3; i++) events.push(await addEvent(`over ${i}`, [{ type: 'domain', value }]));
        assert.deepEqual(await related(events[0]!.id), [events[1]!.id, events[2]!.id]);
        const fourth = await addEvent('over 3', [{ type: 'domain', value }]);
        for (const e of [...events, fourth]) assert.deepEqual(await related(e.id), [], `event ${e.id}`);
        const over = await s.container.storage.db.selectFrom('over_correlating_values').selectAll().execute();
        assert.ok(over.some((o) => o.value === value && o.occurrence === 4));
        // a value already over-correlating links a new holder to nothing, and stays blocked until enough are deleted
        const fifth = await addEvent('over 4', [{ type: 'domain', value }]);
        for (const e of [...events, fourth, fifth]) assert.deepEqual(await related(e.id), [], `event ${e.id}`);
        for (const e of [fourth, fifth]) assert.equal((await s.call('POST', `attributes/delete/${e.attributes[0]!.id}`)).status, 200);
        assert.deepEqual(await related(events[0]!.id), [events[1]!.id, events[2]!.id]);
      } finally {
        await setSetting('MISP.correlation_limit', 20);
      }
    });

    it('links CIDR blocks to the addresses inside them and ssdeep hashes by similarity when advanced correlations are on', async () => {
      await setSetting('MISP.enable_advanced_correlations', true);
      try {
        const block = await addEvent('block', [{ type: 'ip-dst', value: '10.77.0.0/16' }]);
        const inside = await addEvent('inside', [{ type: 'ip-src', value: '10.77.3.4' }]);
        const outside = await addEvent('outside', [{ type: 'ip-src', value: '10.78.3.4' }]);
        assert.deepEqual(await related(block.id), [inside.id]);
        assert.deepEqual(await related(inside.id), [block.id]);
        assert.deepEqual(await related(outside.id), []);
        const a = '384:bZAZbnb/PutCDhX1qEpJ75Xk8u4OwiShEDrwugi3xgziKajs52fkyOvW1d:bKzTutCDhX1z75U80w+rwWTjW2fky5';
        const c = '384:bZAZbnb/PutCDhX1qEpJ75Xk8u4OwiShEDrwugi3JB0/M9fPZ9I/G63+apV7/:bKzTutCDhX1z75U80w+rwWJB0KHZ9IVr';
        const b = '384:SEAMbnb/PuYCDhXMqbpJu5Xf8uHdwiLhnDIwBgiSQgGiKDjs52fNyZvW1w:SszTuYCDhXMAu5v8CwwIwIojW2fNyP';
        const first = await addEvent('fuzzy a', [{ type: 'ssdeep', value: a }]);
        const similar = await addEvent('fuzzy c (score 72)', [{ type: 'ssdeep', value: c }]);
        const unrelated = await addEvent('fuzzy b (score 0)', [{ type: 'ssdeep', value: b }]);
        assert.deepEqual(await related(first.id), [similar.id]);
        assert.deepEqual(await related(unrelated.id), []);
      } finally {
        await setSetting('MISP.enable_advanced_correlations', false);
      }
    });

    it('rebuilds exactly the same correlations in a background job with progress', async () => {
      const before = await allRows();
      assert.ok(before.length > 20, `have ${before.length} rows to compare`);
      await setSetting('MISP.enable_advanced_correlations', true);
      try {
        const started = await s.call('POST', 'attributes/generateCorrelation');
        assert.equal(started.status, 200, JSON.stringify(started.body));
        const jobId = started.body.id;
        let job: { job_status: string; progress: number; total: string; processed: string } | undefined;
        for (let i = 0; i < 200; i++) {
          const progress = await s.call('GET', `jobs/getGenerateCorrelationProgress/${jobId}`);
          assert.equal(progress.status, 200);
          job = progress.body[jobId];
          if (job!.job_status === 'Completed' || job!.job_status === 'Failed') break;
          await new Promise((r) => setTimeout(r, 25));
        }
        assert.equal(job?.job_status, 'Completed', JSON.stringify(job));
        assert.equal(job?.progress, 100);
        assert.equal(job?.processed, job?.total);
        assert.deepEqual(await allRows(), before);
      } finally {
        await setSetting('MISP.enable_advanced_correlations', false);
      }
      const top = await s.call('GET', 'correlations/top');
      assert.equal(top.status, 200);
      assert.ok(top.body.length > 0 && typeof top.body[0].Correlation.count === 'number');
    });
  });
}
