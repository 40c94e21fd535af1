import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createUserWithKey } from '../support/tag-test-fixtures.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';

/**
 * events/contact/{id} (EventsController::contact, spec §3.1): a user who can see an event writes to the org that
 * created it. Without an SMTP server the mail is spooled as .eml files, which these tests read back.
 */
for (const dialect of testDialects()) {
  describe(`${dialect}: events/contact`, () => {
    let s: TestServer;
    let eventId = '';
    let privateId = '';
    let reader: { key: string };
    let reporterEmail = '';

    const outbox = () => (existsSync(s.mailSpool) ? readdirSync(s.mailSpool).map((f) => readFileSync(join(s.mailSpool, f), 'utf8')) : []);

    before(async () => {
      s = await startTestServer(dialect);
      // The reporter org has a creator (contactalert off), a colleague who opted in, and one who did not.
      const creator = await createUserWithKey(s, { orgName: 'Reporter Org', email: 'creator@reporter.test', perms: ['perm_add', 'perm_modify', 'perm_tagger', 'perm_tag_editor'] });
      reporterEmail = 'creator@reporter.test';
      const optIn = await createUserWithKey(s, { orgName: 'Reporter Org', email: 'optin@reporter.test', perms: [] });
      await createUserWithKey(s, { orgName: 'Reporter Org', email: 'quiet@reporter.test', perms: [] });
      await s.container.storage.db.updateTable('users').set({ contactalert: 1 } as never).where('id', '=', optIn.userId).execute();
      reader = await createUserWithKey(s, { orgName: 'Reader Org', email: 'reader@reader.test', perms: [] });
      const add = (distribution: number) => s.call('POST', 'events/add', {
        info: 'Contact me', distribution, published: true, Tag: [{ name: 'tlp:green' }],
        Attribute: [{ type: 'ip-dst', value: '198.51.100.7' }],
      }, creator.key);
      eventId = (await add(3)).body.Event.id;
      privateId = (await add(0)).body.Event.id;
    });
    after(() => s.close());
    beforeEach(async () => {
      await s.call('POST', 'servers/serverSettingsEdit/MISP.disable_emailing', { value: false });
    });

    it('mails the creator and the opted-in members of the creator org, with the TLP mark and the requester as Reply-To', async () => {
      const before = outbox().length;
      const r = await s.call('POST', `events/contact/${eventId}`, { message: 'This is a test' }, reader.key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.message, 'Email sent to the reporter.');
      assert.equal(r.body.saved, true);
      const mails = outbox().slice(before);
      const to = mails.map((m) => /^To: (.*)$/m.exec(m)![1]).sort();
      assert.deepEqual(to, ['creator@reporter.test', 'optin@reporter.test']);
      for (const m of mails) {
        assert.match(m, new RegExp(`^Subject: \\[ORGNAME MISP\\] Need info about event ${eventId} - TLP:GREEN`, 'm'));
        assert.match(m, /^Reply-To: reader@reader\.test$/m);
        assert.match(m, /This is a test/);
        assert.match(m, new RegExp(`/events/view/${eventId}`));
      }
    });

    it('mails only the creator when `person` is set (PyMISP wraps the body in Event as MISP\'s form does)', async () => {
      const before = outbox().length;
      const r = await s.call('POST', `events/contact/${eventId}`, { Event: { message: 'creator only', person: 1 } }, reader.key);
      assert.equal(r.status, 200);
      const mails = outbox().slice(before);
      assert.equal(mails.length, 1);
      assert.match(mails[0]!, new RegExp(`^To: ${reporterEmail}$`, 'm'));
    });

    it('answers 404 for an event the user cannot see, and sends nothing', async () => {
      const before = outbox().length;
      const r = await s.call('POST', `events/contact/${privateId}`, { message: 'leak?' }, reader.key);
      assert.equal(r.status, 404);
      assert.equal(r.body.message, 'Invalid event');
      assert.equal((await s.call('POST', 'events/contact/999999', { message: 'x' }, reader.key)).status, 404);
      assert.equal(outbox().length, before);
    });

    it('refuses an empty message with MISP\'s 405', async () => {
      const r = await s.call('POST', `events/contact/${eventId}`, { message: '' }, reader.key);
      assert.equal(r.status, 405);
      assert.equal(r.body.message, 'You must specify a message.');
    });

    it('succeeds without sending when MISP.disable_emailing is on', async () => {
      await s.call('POST', 'servers/serverSettingsEdit/MISP.disable_emailing', { value: true });
      const before = outbox().length;
      const r = await s.call('POST', `events/contact/${eventId}`, { message: 'muted' }, reader.key);
      assert.equal(r.status, 200);
      assert.equal(outbox().length, before);
    });
  });
}
