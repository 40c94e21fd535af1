import { randomUUID } from 'node:crypto';
import { type Kysely, type RawBuilder, SqliteAdapter } from 'kysely';
import { SECRET_SETTING } from '../../src/app/bootstrap.js';
import { generateApiKey, hashApiKey, keyHints } from '../../src/core/auth/secrets.js';
import { datetime } from '../../src/core/misp-format/scalars.js';
import { noPermissions, type PermFlag } from '../../src/core/model/role.js';
import { uuidBytes } from '../../src/storage/binary-uuids.js';
import type { Database } from '../../src/storage/db-schema.js';
import type { TestServer } from './test-server.js';
import { valueHashes } from '../../src/storage/repos/event-write-rows.js';

/**
 * Raw inserts for the tag tests: events and attributes written straight through the storage Kysely handle,
 * so the tag feature is tested without depending on the event write path.
 */
export function rawDb(s: TestServer): Kysely<Database> {
  return (s.container.storage as unknown as { db: Kysely<Database> }).db;
}

/** An attribute uuid as a raw insert must write it: SQLite keeps those as 16 bytes (src/storage/binary-uuids.ts). */
export function storedUuid(db: Kysely<any>, uuid: string): RawBuilder<string> | string {
  return db.getExecutor().adapter instanceof SqliteAdapter ? uuidBytes(uuid) as RawBuilder<string> : uuid;
}

export interface RawEvent {
  id: number;
  uuid: string;
}

export async function insertEvent(s: TestServer, over: Partial<{
  orgId: number; orgcId: number; userId: number; distribution: number; sharingGroupId: number; published: boolean; timestamp: number; info: string;
}> = {}): Promise<RawEvent> {
  const uuid = randomUUID();
  const r = await rawDb(s).insertInto('events').values({
    uuid, org_id: over.orgId ?? 1, orgc_id: over.orgcId ?? over.orgId ?? 1, user_id: over.userId ?? 1, date: '2024-01-01',
    info: over.info ?? 'tag test event', threat_level_id: 4, analysis: 0, published: over.published ? 1 : 0,
    publish_timestamp: 0, timestamp: over.timestamp ?? 1000, sighting_timestamp: 0, attribute_count: 0,
    distribution: over.distribution ?? 0, sharing_group_id: over.sharingGroupId ?? 0, proposal_email_lock: 0, locked: 0,
    disable_correlation: 0, extends_uuid: '', protected: null,
  }).returning('id').executeTakeFirstOrThrow();
  return { id: r.id, uuid };
}

export async function insertAttribute(s: TestServer, eventId: number, over: Partial<{
  distribution: number; sharingGroupId: number; deleted: boolean; objectId: number; value: string; timestamp: number;
}> = {}): Promise<RawEvent> {
  const uuid = randomUUID();
  const r = await rawDb(s).insertInto('attributes').values({
    uuid: storedUuid(rawDb(s), uuid), event_id: eventId, object_id: over.objectId ?? 0, object_relation: null, category: 'Network activity',
    type: 'ip-dst', value1: over.value ?? '198.51.100.7', value2: '', ...valueHashes(over.value ?? '198.51.100.7', ''), to_ids: 1, timestamp: over.timestamp ?? 1000,
    distribution: over.distribution ?? 5, sharing_group_id: over.sharingGroupId ?? 0, comment: '',
    deleted: over.deleted ? 1 : 0, disable_correlation: 0, first_seen: null, last_seen: null,
  }).returning('id').executeTakeFirstOrThrow();
  return { id: r.id, uuid };
}

export async function eventRow(s: TestServer, id: number) {
  return rawDb(s).selectFrom('events').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/**
 * A user in `orgName` (created when missing) with a role holding exactly `perms`, and a clear-text API key
 * for it, written through the identity store (no users/add dependency).
 */
export async function createUserWithKey(s: TestServer, opts: { orgName: string; email: string; perms: readonly PermFlag[] }): Promise<{ key: string; userId: number; orgId: number }> {
  const identity = s.container.storage.identity;
  const now = datetime(Math.floor(Date.now() / 1000));
  const org = (await identity.findOrganisation({ name: opts.orgName }))
    ?? (await identity.createOrganisation({ uuid: randomUUID(), name: opts.orgName, local: true, createdBy: 1 }, now));
  const perms = noPermissions();
  for (const p of opts.perms) perms[p] = true;
  perms.perm_auth = true;
  const role = await identity.createRole({ name: `role-${opts.email}`, perms, defaultRole: false, created: now });
  const user = await identity.createUser({
    email: opts.email, passwordHash: 'x', orgId: org.id, roleId: role.id, legacyKeyHash: '', legacyKeyStart: '',
    legacyKeyEnd: '', changePw: false, termsaccepted: true, invitedBy: 1, now: Math.floor(Date.now() / 1000),
  });
  const key = generateApiKey();
  const { start, end } = keyHints(key);
  await identity.createAuthKey({
    uuid: randomUUID(), hash: hashApiKey(s.container.settings.stored(SECRET_SETTING) as string, key), start, end,
    created: Math.floor(Date.now() / 1000), expiration: 0, readOnly: false, userId: user.id, comment: 'test', allowedIps: null,
  });
  return { key, userId: user.id, orgId: org.id };
}
