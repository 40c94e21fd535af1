import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';

/**
 * Case-insensitive matching for every alphabet, the same on both databases (MISP compares on MySQL `_ci`
 * collations). SQLite's own lower(), LIKE and NOCASE fold ASCII only: before `Dialect.lower` these searches found
 * nothing on SQLite while PostgreSQL found the rows (a differential run of the same 1,500 requests on both).
 */
for (const dialect of testDialects()) {
  describe(`${dialect}: case-insensitive matching beyond ASCII`, () => {
    let s: TestServer;
    const values = (r: { body: { response: { Attribute: { value: string }[] } } }) => r.body.response.Attribute.map((a) => a.value).sort();
    const search = async (body: unknown) => {
      const r = await s.call('POST', 'attributes/restSearch', body);
      assert.equal(r.status, 200, r.text);
      return values(r);
    };

    before(async () => {
      s = await startTestServer(dialect);
      const r = await s.call('POST', 'events/add', {
        info: 'ΣΚΙΑ campaign', distribution: 1,
        Attribute: [
          { type: 'filename', value: 'Ärger.exe', comment: 'Ärger im Netz' },
          { type: 'text', value: 'зло.рф' },
          { type: 'text', value: 'istanbul' },
          { type: 'text', value: 'plain.example' },
        ],
      });
      assert.equal(r.status, 200, r.text);
    });
    after(() => s?.close());

    it('finds an exact value written in another case', async () => {
      assert.deepEqual(await search({ value: 'ÄRGER.EXE' }), ['Ärger.exe']);
      assert.deepEqual(await search({ value: ['ЗЛО.РФ', 'PLAIN.example'] }), ['plain.example', 'зло.рф']);
      assert.deepEqual(await search({ value: '!ärger.EXE', type: 'filename' }), []);
    });

    it('matches LIKE patterns, searchall and the event info without regard to case', async () => {
      assert.deepEqual(await search({ value: '%ÄRGER%' }), ['Ärger.exe']);
      assert.deepEqual(await search({ value: '%ЗЛО%' }), ['зло.рф']);
      // 'İ' folds to a plain 'i', as PostgreSQL's lower() folds it
      assert.deepEqual(await search({ value: 'İSTANBUL%' }), ['istanbul']);
      assert.deepEqual(await search({ searchall: '%ärger IM%' }), ['Ärger.exe']);
      const index = await s.call('POST', 'events/index', { eventinfo: 'σκια' });
      assert.equal(index.status, 200, index.text);
      assert.deepEqual(index.body.map((e: { info: string }) => e.info), ['ΣΚΙΑ campaign']);
    });

    it('correlates values that differ only in case, and excludes them in any case', async () => {
      const first = await s.call('POST', 'events/add', { info: 'first', distribution: 1, Attribute: [{ type: 'filename', value: 'ümlaut.dll' }] });
      const second = await s.call('POST', 'events/add', { info: 'second', distribution: 1, Attribute: [{ type: 'filename', value: 'ümLAUT.DLL' }] });
      assert.equal(second.status, 200, second.text);
      const related = async () => ((await s.call('GET', `events/view/${first.body.Event.id}`)).body.Event.RelatedEvent ?? [])
        .map((r: { Event: { info: string } }) => r.Event.info);
      assert.deepEqual(await related(), ['second']);
      // an exclusion added later takes effect on existing correlations through clean
      assert.equal((await s.call('POST', 'correlation_exclusions/add', { value: 'ÜMLAUT.%' })).status, 200);
      assert.equal((await s.call('POST', 'correlation_exclusions/clean')).status, 200);
      assert.deepEqual(await related(), []);
    });

    it('finds an organisation by its name in another case', async () => {
      const added = await s.call('POST', 'admin/organisations/add', { name: 'CERT-Österreich' });
      assert.equal(added.status, 200, added.text);
      const found = await s.call('GET', 'organisations/index/scope:local/searchall:ÖSTERREICH');
      assert.equal(found.status, 200, found.text);
      assert.deepEqual(found.body.map((o: { Organisation: { name: string } }) => o.Organisation.name), ['CERT-Österreich']);
    });

    it('exports every alphabet as UTF-8 in each text format (the exports encode their chunks themselves)', async () => {
      const wanted = ['Ärger.exe', 'зло.рф', 'plain.example'];
      for (const returnFormat of ['json', 'csv', 'text', 'xml']) {
        // text is a restrictive export (to_ids and published unless asked otherwise, spec §3.14)
        const r = await s.call('POST', 'attributes/restSearch', { returnFormat, value: wanted, to_ids: [0, 1], published: [0, 1] });
        assert.equal(r.status, 200, r.text);
        for (const v of wanted) assert.ok(r.text.includes(v), `${returnFormat}: ${v} in ${r.text}`);
        assert.ok(!r.text.includes('\uFFFD'), `${returnFormat}: no broken character`);
      }
      const events = await s.call('POST', 'events/restSearch', { value: 'зло.рф' });
      assert.equal(events.body.response[0].Event.info, 'ΣΚΙΑ campaign');
      assert.deepEqual(events.body.response[0].Event.Attribute.map((a: { value: string }) => a.value).sort(), ['istanbul', 'plain.example', 'Ärger.exe', 'зло.рф'].sort());
    });
  });
}
