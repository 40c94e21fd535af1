import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { datetime } from '../../src/core/misp-format/scalars.js';
import { registeredActions } from '../../src/server/build-app.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';
import { createOrg, createUser, NOW, ROLE, seededRng, type TestUser } from './acl-support.js';
import { storedUuid } from '../support/tag-test-fixtures.js';
import { valueHashes } from '../../src/storage/repos/event-write-rows.js';

/**
 * Every write endpoint refuses, with MISP's status and text, and changes nothing (spec §0.3, §4.4, §4.5), when
 * called by: a user whose role lacks the endpoint's flag, an org admin of another organisation, a read-only key
 * (even a site admin's), a disabled user and an expired key. The expected answers were read in MISP's controllers
 * (cited per row). Before and after each request every table a write could touch is compared.
 *
 * To cover a new endpoint, add a row to `rows()`: its request, which actor lacks the flag, and what MISP answers
 * the other organisation's admin. Read-only keys, disabled users and expired keys get the generic answers.
 */

type Db = TestServer['container']['storage']['db'];

const ACL_DENIED = 'You do not have permission to use this functionality.';
const AUTH_FAILED = 'Authentication failed. Please make sure you pass the API key of an API enabled user along in the Authorization header.';
const AUTH_DISABLED = 'Authentication failed. Your user account has been disabled.';
const NO_PERMISSION = 'You do not have permission to do that.';
const NOT_ORGC = 'Cannot alter the tags of this data, only the organisation that has created the data (orgc) can modify global tags.';
const AUTH_KEY_REFUSED = 'Invalid user or insufficient privileges to interact with an authkey for the given user.';

/** A refusal: the status and whichever of MISP's body fields the row pins down. */
interface Refusal {
  readonly status: number;
  readonly message?: string;
  readonly errors?: unknown;
  readonly saved?: boolean;
}

const denied: Refusal = { status: 403, message: ACL_DENIED };

interface Fixture {
  readonly orgA: number;
  readonly orgB: number;
  readonly orgC: number;
  /** Org A's event, distribution 1 (every org sees it), published, with everything below. */
  readonly event: { id: number; uuid: string };
  /** Org A's organisation-only event (distribution 0): other orgs may not even learn that it exists. */
  readonly hidden: { id: number; uuid: string };
  readonly attribute: number;
  readonly hiddenAttribute: number;
  readonly deletedAttribute: number;
  readonly object: number;
  readonly reference: number;
  /** Attached (globally) to the event and to `attribute`. */
  readonly tag: number;
  /** Attached to nothing. */
  readonly spareTag: number;
  readonly sharingGroup: number;
  /** A plain user of org A and one of its keys. */
  readonly victim: TestUser;
  readonly victimKeyId: number;
  /** Org A's sighting of `attribute`. */
  readonly sighting: number;
}

/** Who lacks the endpoint's flag: the read-only role, a plain user, or an org admin (for site-admin-only actions). */
type NoFlagActor = 'readOnlyRole' | 'plainUser' | 'orgAdmin';

interface Row {
  /** MISP controller::action the expectation was read in. */
  readonly misp: string;
  readonly path: string;
  readonly body?: unknown;
  readonly noFlag: NoFlagActor;
  /** What the role without the flag gets; the ACL refusal unless the action's rule admits it. */
  readonly noFlagRefusal?: Refusal;
  /** What org B's admin gets acting on org A's data; omitted where org B's admin may do it for itself. */
  readonly otherOrgAdmin?: Refusal;
}

function rows(f: Fixture): Row[] {
  const e = f.event.id;
  const h = f.hidden.id;
  const couldNotDelete: Refusal = { status: 403, message: 'Could not delete Event', errors: 'Event was not deleted.', saved: false };
  return [
    // EventsController
    { misp: 'EventsController::add', path: 'events/add', body: { info: 'refused' }, noFlag: 'readOnlyRole' },
    { misp: 'EventsController::edit', path: `events/edit/${e}`, body: { info: 'changed' }, noFlag: 'readOnlyRole', otherOrgAdmin: { status: 403, message: 'You are not authorised to do that.' } },
    { misp: 'EventsController::edit (fetchSimpleEvent)', path: `events/edit/${h}`, body: { info: 'changed' }, noFlag: 'readOnlyRole', otherOrgAdmin: { status: 404, message: 'Invalid event' } },
    { misp: 'EventsController::delete', path: `events/delete/${e}`, noFlag: 'readOnlyRole', otherOrgAdmin: couldNotDelete },
    { misp: 'EventsController::delete', path: `events/delete/${h}`, noFlag: 'readOnlyRole', otherOrgAdmin: couldNotDelete },
    { misp: 'EventsController::__prepareForPublish', path: `events/publish/${e}`, noFlag: 'plainUser', otherOrgAdmin: { status: 405, message: 'You do not have the permission to do that.' } },
    { misp: 'EventsController::unpublish', path: `events/unpublish/${e}`, noFlag: 'readOnlyRole', otherOrgAdmin: { status: 403, message: 'You do not have the permission to do that.' } },
    { misp: 'EventsController::addTag', path: `events/addTag/${e}/${f.spareTag}`, noFlag: 'readOnlyRole', otherOrgAdmin: { status: 200, saved: false, errors: "You don't have permission to do that." } },
    { misp: 'EventsController::removeTag', path: `events/removeTag/${e}/${f.tag}`, noFlag: 'readOnlyRole', otherOrgAdmin: { status: 200, saved: false, errors: "You don't have permission to do that." } },
    // AttributesController, MispAttribute::deleteAttribute
    { misp: 'AttributesController::add', path: `attributes/add/${e}`, body: { type: 'text', value: 'refused' }, noFlag: 'readOnlyRole', otherOrgAdmin: { status: 403, message: NO_PERMISSION } },
    { misp: 'AttributesController::add (fetchSimpleEvent)', path: `attributes/add/${h}`, body: { type: 'text', value: 'refused' }, noFlag: 'readOnlyRole', otherOrgAdmin: { status: 404, message: 'Invalid event' } },
    { misp: 'AttributesController::edit', path: `attributes/edit/${f.attribute}`, body: { comment: 'changed' }, noFlag: 'readOnlyRole', otherOrgAdmin: { status: 403, message: NO_PERMISSION } },
    { misp: 'AttributesController::edit (__fetchAttribute)', path: `attributes/edit/${f.hiddenAttribute}`, body: { comment: 'changed' }, noFlag: 'readOnlyRole', otherOrgAdmin: { status: 404, message: 'Invalid attribute' } },
    { misp: 'MispAttribute::deleteAttribute', path: `attributes/delete/${f.attribute}`, noFlag: 'readOnlyRole', otherOrgAdmin: { status: 403, message: NO_PERMISSION } },
    { misp: 'MispAttribute::deleteAttribute', path: `attributes/delete/${f.attribute}/1`, noFlag: 'readOnlyRole', otherOrgAdmin: { status: 403, message: NO_PERMISSION } },
    { misp: 'AttributesController::restore', path: `attributes/restore/${f.deletedAttribute}`, noFlag: 'readOnlyRole', otherOrgAdmin: { status: 405, message: 'Invalid Attribute' } },
    { misp: 'AttributesController::addTag', path: `attributes/addTag/${f.attribute}/${f.spareTag}`, noFlag: 'readOnlyRole', otherOrgAdmin: { status: 200, saved: false, errors: 'Tag could not be added.' } },
    { misp: 'AttributesController::removeTag', path: `attributes/removeTag/${f.attribute}/${f.tag}`, noFlag: 'readOnlyRole', otherOrgAdmin: { status: 200, saved: false, errors: NO_PERMISSION } },
    // TagsController
    { misp: 'TagsController::attachTagToObject', path: 'tags/attachTagToObject', body: { uuid: f.event.uuid, tag: f.spareTag }, noFlag: 'readOnlyRole', otherOrgAdmin: { status: 403, message: NOT_ORGC } },
    { misp: 'TagsController::attachTagToObject (__findObjectByUuid)', path: 'tags/attachTagToObject', body: { uuid: f.hidden.uuid, tag: f.spareTag }, noFlag: 'readOnlyRole', otherOrgAdmin: { status: 404, message: 'Invalid Target.' } },
    { misp: 'TagsController::removeTagFromObject', path: 'tags/removeTagFromObject', body: { uuid: f.event.uuid, tag: f.tag }, noFlag: 'readOnlyRole', otherOrgAdmin: { status: 403, message: NOT_ORGC } },
    { misp: 'TagsController::add', path: 'tags/add', body: { name: 'refused:tag' }, noFlag: 'plainUser' },
    { misp: 'TagsController::edit (site admin)', path: `tags/edit/${f.tag}`, body: { name: 'renamed' }, noFlag: 'orgAdmin' },
    { misp: 'TagsController::delete (site admin)', path: `tags/delete/${f.tag}`, noFlag: 'orgAdmin' },
    // ObjectsController, ObjectReferencesController
    { misp: 'ObjectsController::add', path: `objects/add/${e}`, body: { name: 'refused', 'meta-category': 'misc', Attribute: [{ type: 'text', object_relation: 'text', value: 'x' }] }, noFlag: 'readOnlyRole', otherOrgAdmin: { status: 403, message: NO_PERMISSION } },
    { misp: 'ObjectsController::add (fetchSimpleEvent)', path: `objects/add/${h}`, body: { name: 'refused', 'meta-category': 'misc', Attribute: [{ type: 'text', object_relation: 'text', value: 'x' }] }, noFlag: 'readOnlyRole', otherOrgAdmin: { status: 404, message: 'Invalid event.' } },
    { misp: 'ObjectsController::edit', path: `objects/edit/${f.object}`, body: { comment: 'changed' }, noFlag: 'readOnlyRole', otherOrgAdmin: { status: 403, message: 'Insufficient permissions to edit this object.' } },
    { misp: 'ObjectsController::delete', path: `objects/delete/${f.object}`, noFlag: 'readOnlyRole', otherOrgAdmin: { status: 403, message: NO_PERMISSION } },
    { misp: 'ObjectReferencesController::add', path: `objectReferences/add/${f.object}`, body: { referenced_uuid: f.event.uuid, relationship_type: 'related-to' }, noFlag: 'readOnlyRole', otherOrgAdmin: { status: 404, message: 'Invalid object.' } },
    { misp: 'ObjectReferencesController::delete', path: `objectReferences/delete/${f.reference}`, noFlag: 'readOnlyRole', otherOrgAdmin: { status: 403, message: 'Invalid object reference.' } },
    // SightingsController (ACLComponent: add perm_sighting; delete perm_sighting AND perm_modify_org, canDeleteSighting)
    { misp: 'SightingsController::add', path: `sightings/add/${f.attribute}`, body: { source: 'refused' }, noFlag: 'readOnlyRole' },
    { misp: 'SightingsController::delete', path: `sightings/delete/${f.sighting}`, noFlag: 'readOnlyRole', otherOrgAdmin: { status: 404, message: 'Invalid sighting.' } },
    // EventDelegationsController: every action behind MISP.delegation (off here), delegateEvent also perm_delegate
    { misp: 'EventDelegationsController::delegateEvent', path: `eventDelegations/delegateEvent/${h}`, body: { org_id: f.orgB }, noFlag: 'plainUser', otherOrgAdmin: denied },
    // UsersController (admin_*), OrganisationsController, RolesController: __adminFetchConditions keeps org admins in their org
    { misp: 'UsersController::admin_add', path: 'admin/users/add', body: { email: 'refused@acl.test', role_id: ROLE.user, org_id: f.orgA }, noFlag: 'plainUser' },
    { misp: 'UsersController::admin_edit', path: `admin/users/edit/${f.victim.id}`, body: { email: 'changed@acl.test' }, noFlag: 'plainUser', otherOrgAdmin: { status: 404, message: 'Invalid user' } },
    { misp: 'UsersController::admin_delete', path: `admin/users/delete/${f.victim.id}`, noFlag: 'plainUser', otherOrgAdmin: { status: 404, message: 'Invalid user' } },
    { misp: 'OrganisationsController::admin_add', path: 'admin/organisations/add', body: { name: 'Refused org' }, noFlag: 'orgAdmin' },
    { misp: 'OrganisationsController::admin_edit', path: `admin/organisations/edit/${f.orgA}`, body: { name: 'Renamed' }, noFlag: 'orgAdmin' },
    { misp: 'OrganisationsController::admin_delete', path: `admin/organisations/delete/${f.orgC}`, noFlag: 'orgAdmin' },
    { misp: 'RolesController::admin_add', path: 'admin/roles/add', body: { name: 'Refused role', permission: 3 }, noFlag: 'orgAdmin' },
    { misp: 'RolesController::admin_edit', path: `admin/roles/edit/${ROLE.user}`, body: { name: 'Renamed' }, noFlag: 'orgAdmin' },
    { misp: 'RolesController::admin_delete', path: `admin/roles/delete/${ROLE.publisher}`, noFlag: 'orgAdmin' },
    { misp: 'RolesController::admin_set_default', path: `admin/roles/set_default/${ROLE.publisher}`, noFlag: 'orgAdmin' },
    // AuthKeysController: a plain user acts only for itself, an org admin only inside its org (__prepareConditions).
    // MISP's __canCreateAuthKeyForUser has no org test for org admins, so MISP would issue org B's admin a key for
    // org A's user; Cairn refuses, with the text MISP uses for every other refusal of that check.
    { misp: 'AuthKeysController::add', path: `auth_keys/add/${f.victim.id}`, body: {}, noFlag: 'plainUser', noFlagRefusal: { status: 405, message: AUTH_KEY_REFUSED }, otherOrgAdmin: { status: 405, message: AUTH_KEY_REFUSED } },
    { misp: 'AuthKeysController::edit', path: `auth_keys/edit/${f.victimKeyId}`, body: { comment: 'changed' }, noFlag: 'plainUser', noFlagRefusal: { status: 405, message: AUTH_KEY_REFUSED }, otherOrgAdmin: { status: 404, message: 'Invalid AuthKey.' } },
    { misp: 'AuthKeysController::delete', path: `auth_keys/delete/${f.victimKeyId}`, noFlag: 'plainUser', noFlagRefusal: { status: 405, message: AUTH_KEY_REFUSED }, otherOrgAdmin: { status: 404, message: 'Invalid AuthKey.' } },
    // SharingGroupsController: edit needs owner or extend (checkIfAuthorisedExtend), delete needs owner
    { misp: 'SharingGroupsController::add', path: 'sharing_groups/add', body: { name: 'Refused SG', releasability: 'none' }, noFlag: 'plainUser' },
    { misp: 'SharingGroupsController::edit', path: `sharing_groups/edit/${f.sharingGroup}`, body: { name: 'Renamed SG' }, noFlag: 'plainUser', otherOrgAdmin: { status: 405, message: 'Action not allowed.' } },
    { misp: 'SharingGroupsController::delete', path: `sharing_groups/delete/${f.sharingGroup}`, noFlag: 'plainUser', otherOrgAdmin: { status: 405, message: 'Action not allowed.' } },
    { misp: 'SharingGroupsController::addOrg (fetchSG)', path: `sharing_groups/addOrg/${f.sharingGroup}/${f.orgC}`, noFlag: 'plainUser', otherOrgAdmin: { status: 405, message: 'Invalid sharing group or no editing rights.' } },
    { misp: 'SharingGroupsController::removeOrg (fetchSG)', path: `sharing_groups/removeOrg/${f.sharingGroup}/${f.orgB}`, noFlag: 'plainUser', otherOrgAdmin: { status: 405, message: 'Invalid sharing group or no editing rights.' } },
    // ServersController
    { misp: 'ServersController::serverSettingsEdit (site admin)', path: 'servers/serverSettingsEdit/MISP.showorg', body: { value: false }, noFlag: 'orgAdmin' },
  ];
}

/* ------------------------------------------------------------------ fixture */

async function seed(s: TestServer, db: Db, keys: () => string): Promise<{ fixture: Fixture; actors: Record<string, TestUser> }> {
  const rng = seededRng(2);
  const orgA = await createOrg(s, 'Org A', rng.uuid());
  const orgB = await createOrg(s, 'Org B', rng.uuid());
  const orgC = await createOrg(s, 'Org C', rng.uuid());
  const user = (name: string, orgId: number, roleId: number, extra: { disabled?: boolean; readOnly?: boolean; expiration?: number } = {}) =>
    createUser(s, { email: `${name}@acl.test`, orgId, roleId, key: keys(), ...extra });
  const actors = {
    orgAdmin: await user('admin-a', orgA.id, ROLE.orgAdmin),
    plainUser: await user('user-a', orgA.id, ROLE.user),
    readOnlyRole: await user('reader-a', orgA.id, ROLE.readOnly),
    otherOrgAdmin: await user('admin-b', orgB.id, ROLE.orgAdmin),
    // The three below are site admins, so only the key or the account state can be what refuses them.
    readOnlyKey: await user('ro-key-admin', 1, ROLE.admin, { readOnly: true }),
    disabled: await user('disabled-admin', 1, ROLE.admin, { disabled: true }),
    expired: await user('expired-admin', 1, ROLE.admin, { expiration: NOW }),
  };
  const victim = await user('victim-a', orgA.id, ROLE.user);
  const victimKey = await db.selectFrom('auth_keys').select('id').where('user_id', '=', victim.id).executeTakeFirstOrThrow();

  const event = async (distribution: number) => {
    const uuid = rng.uuid();
    const r = await db.insertInto('events').values({
      uuid, org_id: orgA.id, orgc_id: orgA.id, user_id: actors.orgAdmin.id, date: '2024-03-01', info: `Org A event ${distribution}`,
      threat_level_id: 2, analysis: 1, published: 1, publish_timestamp: NOW, timestamp: NOW, sighting_timestamp: 0,
      attribute_count: 2, distribution, sharing_group_id: 0, proposal_email_lock: 0, locked: 0, disable_correlation: 0,
      extends_uuid: '', protected: null,
    }).returning('id').executeTakeFirstOrThrow();
    return { id: r.id, uuid };
  };
  const attribute = async (eventId: number, o: { objectId?: number; deleted?: boolean } = {}) => {
    const uuid = rng.uuid();
    const r = await db.insertInto('attributes').values({
      uuid: storedUuid(db, uuid), event_id: eventId, object_id: o.objectId ?? 0, object_relation: o.objectId ? 'text' : null, category: 'Other', type: 'text',
      value1: `value ${uuid}`, value2: '', ...valueHashes(`value ${uuid}`, ''), to_ids: 0, timestamp: NOW, distribution: 5, sharing_group_id: 0, comment: '',
      deleted: o.deleted ? 1 : 0, disable_correlation: 1, first_seen: null, last_seen: null,
    }).returning('id').executeTakeFirstOrThrow();
    return { id: r.id, uuid };
  };
  const ev = await event(1);
  const hidden = await event(0);
  const attr = await attribute(ev.id);
  const hiddenAttr = await attribute(hidden.id);
  const deletedAttr = await attribute(ev.id, { deleted: true });
  const objectUuid = rng.uuid();
  const object = await db.insertInto('objects').values({
    uuid: objectUuid, event_id: ev.id, name: 'acl-probe', meta_category: 'misc', description: 'ACL probe', template_uuid: null,
    template_version: '1', timestamp: NOW, distribution: 5, sharing_group_id: 0, comment: '', deleted: 0, first_seen: null, last_seen: null,
  }).returning('id').executeTakeFirstOrThrow();
  await attribute(ev.id, { objectId: object.id });
  const reference = await db.insertInto('object_references').values({
    uuid: rng.uuid(), timestamp: NOW, object_id: object.id, event_id: ev.id, source_uuid: objectUuid, referenced_uuid: attr.uuid,
    referenced_id: attr.id, referenced_type: 0, relationship_type: 'related-to', comment: '', deleted: 0,
  }).returning('id').executeTakeFirstOrThrow();
  const tag = async (name: string) => (await db.insertInto('tags').values({
    name, name_lower: name.toLowerCase(), colour: '#123456', exportable: 1, org_id: 0, user_id: 0, hide_tag: 0,
    numerical_value: null, is_galaxy: 0, is_custom_galaxy: 0, local_only: 0,
  }).returning('id').executeTakeFirstOrThrow()).id;
  const sighting = await db.insertInto('sightings').values({
    uuid: rng.uuid(), attribute_id: attr.id, event_id: ev.id, org_id: orgA.id, date_sighting: NOW, source: '', type: 0,
  }).returning('id').executeTakeFirstOrThrow();
  const attached = await tag('acl:attached');
  const spare = await tag('acl:spare');
  await db.insertInto('event_tags').values({ event_id: ev.id, tag_id: attached, local: 0, relationship_type: '' }).execute();
  await db.insertInto('attribute_tags').values({ attribute_id: attr.id, event_id: ev.id, tag_id: attached, local: 0, relationship_type: '' }).execute();
  const sg = await db.insertInto('sharing_groups').values({
    uuid: rng.uuid(), name: 'A with B', releasability: '', description: '', organisation_uuid: orgA.uuid, org_id: orgA.id,
    sync_user_id: 0, active: 1, created: datetime(NOW), modified: datetime(NOW), local: 1, roaming: 0,
  }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('sharing_group_orgs').values([
    { sharing_group_id: sg.id, org_id: orgA.id, extend: 1 }, { sharing_group_id: sg.id, org_id: orgB.id, extend: 0 },
  ]).execute();
  await db.insertInto('sharing_group_servers').values({ sharing_group_id: sg.id, server_id: 0, all_orgs: 0 }).execute();

  return {
    actors,
    fixture: {
      orgA: orgA.id, orgB: orgB.id, orgC: orgC.id, event: ev, hidden, attribute: attr.id, hiddenAttribute: hiddenAttr.id,
      deletedAttribute: deletedAttr.id, object: object.id, reference: reference.id, tag: attached, spareTag: spare,
      sharingGroup: sg.id, victim, victimKeyId: victimKey.id, sighting: sighting.id,
    },
  };
}

/* ------------------------------------------------------------------ "nothing changed" */

/** Every table a write endpoint could touch, with the columns that merely record an authentication left out. */
const WATCHED = [
  'events', 'attributes', 'objects', 'object_references', 'event_tags', 'attribute_tags', 'tags', 'users', 'organisations',
  'roles', 'auth_keys', 'user_settings', 'settings', 'sharing_groups', 'sharing_group_orgs', 'sharing_group_servers',
  'sightings', 'event_delegations',
] as const;
const VOLATILE = new Set(['last_api_access', 'current_login', 'last_login', 'unique_ips']);

type Snapshot = Map<string, Set<string>>;

async function snapshot(db: Db): Promise<Snapshot> {
  const out: Snapshot = new Map();
  for (const table of WATCHED) {
    const rows = await db.selectFrom(table).selectAll().execute();
    out.set(table, new Set(rows.map((r) => JSON.stringify(Object.entries(r).filter(([k]) => !VOLATILE.has(k))))));
  }
  return out;
}

/** The rows that appeared or disappeared (a changed row does both), or undefined when nothing did. */
function changes(before: Snapshot, after: Snapshot): string | undefined {
  const out: string[] = [];
  for (const [table, rowsBefore] of before) {
    const rowsAfter = after.get(table)!;
    const gone = [...rowsBefore].filter((r) => !rowsAfter.has(r));
    const added = [...rowsAfter].filter((r) => !rowsBefore.has(r));
    if (gone.length || added.length) out.push(`${table}: -${gone.join(' -')} +${added.join(' +')}`);
  }
  return out.length ? out.join('\n') : undefined;
}

function verdict(want: Refusal, got: { status: number; body: any }): string | undefined {
  const problems: string[] = [];
  if (got.status !== want.status) problems.push(`status ${got.status}, want ${want.status}`);
  for (const field of ['message', 'errors', 'saved'] as const) {
    if (want[field] !== undefined && JSON.stringify(got.body?.[field]) !== JSON.stringify(want[field])) {
      problems.push(`${field} ${JSON.stringify(got.body?.[field])}, want ${JSON.stringify(want[field])}`);
    }
  }
  return problems.length ? problems.join(', ') : undefined;
}

/* ------------------------------------------------------------------ the suite */

for (const dialect of testDialects()) {
  describe(`${dialect}: write endpoints refuse and change nothing`, () => {
    let s: TestServer;
    let fixture: Fixture;
    let actors: Record<string, TestUser>;

    before(async () => {
      s = await startTestServer(dialect);
      const rng = seededRng(1);
      ({ fixture, actors } = await seed(s, s.container.storage.db, () => rng.apiKey()));
    });
    after(() => s?.close());

    it('refuses each actor on every write endpoint with MISP\'s answer, and nothing changes', async (t) => {
      const db = s.container.storage.db;
      let baseline = await snapshot(db);
      const failures: string[] = [];
      let cases = 0;
      for (const row of rows(fixture)) {
        const attempts: Array<[string, TestUser, Refusal]> = [
          [row.noFlag, actors[row.noFlag]!, row.noFlagRefusal ?? denied],
          ['readOnlyKey', actors.readOnlyKey!, denied],
          ['disabled', actors.disabled!, { status: 403, message: AUTH_DISABLED }],
          ['expired', actors.expired!, { status: 403, message: AUTH_FAILED }],
        ];
        if (row.otherOrgAdmin) attempts.push(['otherOrgAdmin', actors.otherOrgAdmin!, row.otherOrgAdmin]);
        for (const [who, actor, want] of attempts) {
          cases++;
          const got = await s.call('POST', row.path, row.body ?? {}, actor.key);
          const wrong = verdict(want, got);
          if (wrong) failures.push(`${who} POST ${row.path} (${row.misp}): ${wrong}; body ${JSON.stringify(got.body)}`);
          const now = await snapshot(db);
          const changed = changes(baseline, now);
          if (changed) {
            failures.push(`${who} POST ${row.path} (${row.misp}) CHANGED DATA:\n${changed}`);
            baseline = now;
          }
        }
      }
      t.diagnostic(`${dialect}: ${cases} refusals checked`);
      assert.deepEqual(failures, []);
      // Control: the same kind of request from the owning org's admin goes through, and the snapshot sees it.
      const allowed = await s.call('POST', `events/edit/${fixture.event.id}`, { info: 'edited by its owner' }, actors.orgAdmin!.key);
      assert.equal(allowed.status, 200);
      assert.match(changes(baseline, await snapshot(db)) ?? '', /^events: /);
    });

    it('refuses disabled users and expired keys on every registered action before touching anything', async (t) => {
      const db = s.container.storage.db;
      const before = await snapshot(db);
      const failures: string[] = [];
      let cases = 0;
      for (const action of registeredActions(s.container.app)) {
        if (action.auth === 'none') continue;
        const path = `${action.admin ? 'admin/' : ''}${action.controller}/${action.action}/1`;
        for (const [who, key, message] of [['disabled', actors.disabled!.key, AUTH_DISABLED], ['expired', actors.expired!.key, AUTH_FAILED]] as const) {
          cases++;
          const got = await s.call('POST', path, {}, key);
          const wrong = verdict({ status: 403, message }, got);
          if (wrong) failures.push(`${who} POST ${path}: ${wrong}`);
        }
      }
      t.diagnostic(`${dialect}: ${cases} sweeps checked`);
      assert.deepEqual(failures, []);
      assert.equal(changes(before, await snapshot(db)), undefined);
    });
  });
}
