/**
 * Every MISP event document among the shared PyMISP fixtures goes through `POST events/add` and comes back through
 * `GET events/view/<uuid>` with its meaning intact: info, attributes (by uuid: type, category, value, to_ids, comment,
 * distribution, tags), objects (by uuid: template, attributes, references) and event tags by name, on both dialects.
 *
 * The expectation is computed from the fixture with MISP's add rules (spec §2.11): defaults from describeTypes'
 * sane_defaults and the distribution settings, values trimmed, duplicate (value, type, category) attributes dropped,
 * soft-deleted attributes hidden from a plain view, objects without visible attributes dropped, references to
 * unknown targets dropped, malware-sample `encrypt` turning the value into `filename|md5`.
 */
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_DATA_PACKS } from '../../src/app/config.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';

const DATA_PACKS = resolve(process.env.CAIRN_DATA_PACKS ?? DEFAULT_DATA_PACKS);
const FIXTURES = join(DATA_PACKS, 'fixtures');

/**
 * Fixture files that are not MISP event documents, so there is nothing to round-trip through events/add.
 * Everything else under fixtures/ and fixtures/mispevent_testfiles/ is treated as an event.
 */
const NOT_EVENTS: Record<string, string> = {
  'search_index_result.json': 'an events/index result (event metadata rows, no attributes)',
  'sharing_groups.json': 'a sharingGroups/index result',
  'stix2.json': 'a STIX 2.1 bundle (imported through events/upload_stix, not events/add)',
  'mispevent_testfiles/galaxy.json': 'a galaxy with its clusters',
  'mispevent_testfiles/sighting.json': 'a single sighting',
  'mispevent_testfiles/simple.json': 'an empty document ({}): PyMISP\'s serialisation of a blank MISPEvent',
  // The three below are PyMISP unit-test outputs holding only an `Object` list (no info, date or anything else
  // of an event): the unit tests compare object serialisation, and MISP refuses an event without info.
  'mispevent_testfiles/event_obj_attr_tag.json': 'only an Object list (object serialisation test), no event',
  'mispevent_testfiles/event_obj_def_param.json': 'only an Object list (object serialisation test), no event',
  'mispevent_testfiles/event_obj_tag.json': 'only an Object list (object serialisation test), no event',
};

/** Published events without attributes, objects or reports are refused (spec §2.11, Event::_add). */
const REFUSED_AS_EMPTY_PUBLISHED = new Set(['mispevent_testfiles/event.json']);

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_FIELDS = new Set(['uuid', 'referenced_uuid', 'source_uuid', 'object_uuid']);

type Json = any;

interface SaneDefaults {
  [type: string]: { default_category: string; to_ids: number };
}
const SANE: SaneDefaults = JSON.parse(readFileSync(join(DATA_PACKS, 'pymisp/describeTypes.json'), 'utf8')).result.sane_defaults;

function listFixtures(): string[] {
  const top = readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));
  const sub = readdirSync(join(FIXTURES, 'mispevent_testfiles')).filter((f) => f.endsWith('.json')).map((f) => `mispevent_testfiles/${f}`);
  return [...top, ...sub].sort();
}

/**
 * The event document to POST for a fixture file. Two adjustments, both explained where they apply:
 * - `{"response": [event, …]}` (a search export) holds whole events in a list; MISP's add only unwraps `response`
 *   when it holds one event object, so the events are posted one by one.
 * - PyMISP's unit-test fixtures use placeholders such as "a" and "b" for object uuids (and references to them); MISP
 *   drops objects whose uuid is not an RFC 4122 UUID, so each placeholder becomes one fresh UUID, consistently.
 */
function documentsOf(raw: Json): Json[] {
  const docs = raw && typeof raw === 'object' && Array.isArray(raw.response) ? raw.response : [raw];
  return docs.map((d: Json) => replacePlaceholderUuids(d, new Map()));
}

function replacePlaceholderUuids(node: Json, map: Map<string, string>): Json {
  if (Array.isArray(node)) return node.map((n) => replacePlaceholderUuids(n, map));
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (UUID_FIELDS.has(k) && typeof v === 'string' && v !== '' && !UUID_RE.test(v)) {
      if (!map.has(v)) map.set(v, randomUUID());
      out[k] = map.get(v);
    } else {
      out[k] = replacePlaceholderUuids(v, map);
    }
  }
  return out;
}

const bool = (v: unknown): boolean => v === true || v === 1 || v === '1' || v === 'true';
const str = (v: unknown): string => String(v);

/** The comparable view of one attribute. */
interface AttrView {
  type: string;
  category: string;
  value: string;
  to_ids: boolean;
  comment: string;
  distribution: string;
  object_relation: string | null;
  tags: string[];
}

interface ObjectView {
  name: string;
  'meta-category': string | undefined;
  template_uuid: string | undefined;
  template_version: string;
  distribution: string;
  comment: string;
  attributes: Record<string, AttrView>;
  references: string[];
}

interface EventView {
  info: string;
  fields: Record<string, string>;
  tags: string[];
  attributes: Record<string, AttrView>;
  objects: Record<string, ObjectView>;
}

const tagNames = (tags: Json): string[] =>
  [...new Set((Array.isArray(tags) ? tags : []).map((t: Json) => String(t?.name ?? t?.Tag?.name)))].sort();

/** Matching key of an attribute: its uuid when the input gave one, else what identifies it inside its parent. */
function attrKey(a: Json, uuidsGiven: ReadonlySet<string>, value: string): string {
  return typeof a.uuid === 'string' && uuidsGiven.has(a.uuid) ? a.uuid : `${a.object_relation ?? ''}|${a.type}|${value}`;
}

function expectedValue(a: Json): string {
  let value = String(a.value).trim();
  if (a.type === 'malware-sample' && a.encrypt !== undefined && typeof a.data === 'string') {
    // MispAttribute::onDemandEncrypt: value becomes "<filename>|<md5 of the decoded sample>".
    const md5 = createHash('md5').update(Buffer.from(a.data, 'base64')).digest('hex');
    value = `${value.split('|')[0]}|${md5}`;
  }
  return value;
}

function expectedAttr(a: Json): AttrView {
  const sane = SANE[a.type];
  return {
    type: a.type,
    category: a.category ?? sane?.default_category,
    value: expectedValue(a),
    to_ids: a.to_ids === undefined ? sane?.to_ids === 1 : bool(a.to_ids),
    comment: a.comment ?? '',
    // MISP.default_attribute_distribution is "event" (5) by default (spec Appendix B).
    distribution: a.distribution === undefined ? '5' : str(a.distribution),
    object_relation: a.object_relation ?? null,
    tags: tagNames(a.Tag),
  };
}

function actualAttr(a: Json): AttrView {
  return {
    type: a.type,
    category: a.category,
    value: a.value,
    to_ids: a.to_ids,
    comment: a.comment,
    distribution: a.distribution,
    object_relation: a.object_relation ?? null,
    tags: tagNames(a.Tag),
  };
}

function givenUuids(e: Json): Set<string> {
  const all = [...(e.Attribute ?? []), ...(e.Object ?? []).flatMap((o: Json) => o.Attribute ?? [])];
  return new Set(all.map((a: Json) => a.uuid).filter((u: unknown): u is string => typeof u === 'string'));
}

/** What events/view must show for an added event document (spec §2.11 add rules, §2.2 view rules). */
function expectedEvent(doc: Json): EventView {
  const e = doc.Event ?? doc;
  const uuids = givenUuids(e);
  const attributes: Record<string, AttrView> = {};
  const seen = new Set<string>();
  for (const a of e.Attribute ?? []) {
    if (bool(a.deleted)) continue; // stored soft-deleted, hidden from a plain view
    const exp = expectedAttr(a);
    const dedupe = `${exp.value}|${exp.type}|${exp.category}`; // Event::_add drops repeats within one add
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    attributes[attrKey(a, uuids, exp.value)] = exp;
  }
  const objects: Record<string, ObjectView> = {};
  const targets = new Map<string, '0' | '1'>(Object.keys(attributes).filter((k) => UUID_RE.test(k)).map((k) => [k, '0']));
  (e.Object ?? []).forEach((o: Json, i: number) => {
    if (bool(o.deleted)) return;
    const attrs: Record<string, AttrView> = {};
    for (const a of o.Attribute ?? []) {
      if (bool(a.deleted)) continue;
      const exp = expectedAttr(a);
      attrs[attrKey(a, uuids, exp.value)] = exp;
      if (typeof a.uuid === 'string') targets.set(a.uuid, '0');
    }
    if (Object.keys(attrs).length === 0) return; // objects without visible attributes are not shown
    if (typeof o.uuid === 'string') targets.set(o.uuid, '1');
    objects[o.uuid ?? `${o.name}#${i}`] = {
      name: o.name,
      'meta-category': o['meta-category'],
      template_uuid: o.template_uuid,
      template_version: o.template_version === undefined ? '1' : str(o.template_version),
      distribution: o.distribution === undefined ? '5' : str(o.distribution),
      comment: o.comment ?? '',
      attributes: attrs,
      references: [],
    };
  });
  // References are captured after all objects; one to a target that is not in the event is dropped.
  (e.Object ?? []).forEach((o: Json, i: number) => {
    const view = objects[o.uuid ?? `${o.name}#${i}`];
    if (!view) return;
    view.references = (o.ObjectReference ?? [])
      .filter((r: Json) => !bool(r.deleted) && targets.has(r.referenced_uuid))
      .map((r: Json) => `${r.relationship_type} -> ${r.referenced_uuid} (type ${targets.get(r.referenced_uuid)})`)
      .sort();
  });
  const fields: Record<string, string> = {};
  for (const f of ['date', 'threat_level_id', 'analysis', 'distribution'] as const) {
    if (e[f] !== undefined) fields[f] = str(e[f]);
  }
  return { info: e.info, fields, tags: tagNames(e.Tag), attributes, objects };
}

function actualEvent(e: Json, expected: EventView, doc: Json): EventView {
  const uuids = givenUuids(doc.Event ?? doc);
  const attributes: Record<string, AttrView> = {};
  for (const a of e.Attribute ?? []) attributes[attrKey(a, uuids, a.value)] = actualAttr(a);
  const objects: Record<string, ObjectView> = {};
  const expectedNames = Object.keys(expected.objects);
  (e.Object ?? []).forEach((o: Json, i: number) => {
    const attrs: Record<string, AttrView> = {};
    for (const a of o.Attribute ?? []) attrs[attrKey(a, uuids, a.value)] = actualAttr(a);
    const key = expectedNames.includes(o.uuid) ? o.uuid : `${o.name}#${i}`;
    objects[key] = {
      name: o.name,
      'meta-category': o['meta-category'],
      template_uuid: o.template_uuid,
      template_version: o.template_version,
      distribution: o.distribution,
      comment: o.comment,
      attributes: attrs,
      references: (o.ObjectReference ?? [])
        .map((r: Json) => `${r.relationship_type} -> ${r.referenced_uuid} (type ${r.referenced_type})`)
        .sort(),
    };
  });
  const fields: Record<string, string> = {};
  for (const f of Object.keys(expected.fields)) fields[f] = e[f];
  return { info: e.info, fields, tags: tagNames(e.Tag), attributes, objects };
}

function brief(body: unknown): string {
  return JSON.stringify(body)?.slice(0, 600) ?? String(body);
}

const fixtures = listFixtures();

describe('fixtures round trip: the fixture table is current', () => {
  it('every file named as "not an event" exists', () => {
    const missing = Object.keys(NOT_EVENTS).filter((f) => !fixtures.includes(f));
    assert.deepEqual(missing, []);
  });
  it('the comparison reads MISP\'s own events/view output as equal to the event it came from', () => {
    // Fixtures exported from a real MISP (they carry ids) are view outputs: applying the add rules to them must
    // predict exactly what they show, or the expectations below encode a rule MISP does not have.
    let checked = 0;
    for (const file of fixtures.filter((f) => !(f in NOT_EVENTS))) {
      for (const doc of documentsOf(JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')))) {
        const e = doc.Event ?? doc;
        if (e.id === undefined) continue;
        const expected = expectedEvent(doc);
        assert.deepEqual(actualEvent(e, expected, doc), expected, file);
        checked++;
      }
    }
    assert.ok(checked >= 3, `only ${checked} MISP-exported fixtures`);
  });
  it('finds event fixtures to round-trip', () => {
    assert.ok(fixtures.filter((f) => !(f in NOT_EVENTS)).length >= 10, `event fixtures found: ${fixtures.join(', ')}`);
  });
});

for (const dialect of testDialects()) {
  describe(`${dialect}: PyMISP fixtures round-trip through events/add and events/view`, () => {
    for (const file of fixtures) {
      if (file in NOT_EVENTS) {
        it(file, { skip: `not an event: ${NOT_EVENTS[file]}` }, () => {});
        continue;
      }
      const docs = documentsOf(JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')));
      docs.forEach((doc, n) => {
        const label = docs.length > 1 ? `${file} [${n}]` : file;
        // A fresh server per document: several fixtures share event and attribute uuids (existing_event*.json).
        describe(label, () => {
          let s: TestServer;
          before(async () => { s = await startTestServer(dialect); });
          after(() => s?.close());

          if (REFUSED_AS_EMPTY_PUBLISHED.has(file)) {
            it('is refused as a published event without content, and nothing is saved', async () => {
              const r = await s.call('POST', 'events/add', doc);
              assert.equal(r.status, 403, brief(r.body));
              assert.equal(r.body.saved, false);
              assert.equal(r.body.message, 'Could not add Event');
              assert.match(JSON.stringify(r.body.errors), /Received a published event that was empty/);
              const index = await s.call('GET', 'events/index');
              assert.deepEqual(index.body, []);
            });
            return;
          }

          it('keeps info, attributes, objects, references and tags', async () => {
            const e = doc.Event ?? doc;
            const add = await s.call('POST', 'events/add', doc);
            assert.equal(add.status, 200, `events/add answered ${add.status}: ${brief(add.body)}`);
            const uuid = add.body?.Event?.uuid;
            assert.match(String(uuid), UUID_RE, `events/add returned no event uuid: ${brief(add.body)}`);
            if (typeof e.uuid === 'string') assert.equal(uuid, e.uuid);

            const view = await s.call('GET', `events/view/${uuid}`);
            assert.equal(view.status, 200, `events/view answered ${view.status}: ${brief(view.body)}`);
            const expected = expectedEvent(doc);
            assert.deepEqual(actualEvent(view.body.Event, expected, doc), expected);
            // The admin role has perm_sync, so a creator org sent in the document is kept (captured by uuid,
            // else name); without one the caller's org is the creator (spec §2.11).
            const sentOrgc = e.Orgc as Json | undefined;
            if (sentOrgc?.uuid) assert.equal(view.body.Event.Orgc?.uuid, String(sentOrgc.uuid).toLowerCase());
            else if (sentOrgc?.name) assert.equal(view.body.Event.Orgc?.name, sentOrgc.name);
            else assert.equal(view.body.Event.Orgc?.uuid, view.body.Event.Org?.uuid);
          });

          const deleted = ((doc.Event ?? doc).Attribute ?? []).filter((a: Json) => bool(a.deleted));
          if (deleted.length > 0) {
            it('stores soft-deleted attributes, shown with deleted:1', async () => {
              const index = await s.call('GET', 'events/index');
              const uuid = (doc.Event ?? doc).uuid ?? index.body?.[0]?.uuid;
              const r = await s.call('GET', `events/view/${uuid}/deleted:1`);
              assert.equal(r.status, 200, brief(r.body));
              const shown = (r.body.Event.Attribute ?? []).filter((a: Json) => a.deleted === true);
              assert.deepEqual(
                shown.map((a: Json) => `${a.type}|${a.value}`).sort(),
                deleted.map((a: Json) => `${a.type}|${expectedValue(a)}`).sort(),
              );
            });
          }
        });
      });
    }
  });
}
