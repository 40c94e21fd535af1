import { type RawBuilder, sql, type SqlBool } from 'kysely';
import type { DeletedStates, EventViewer } from '../../core/acl/event-visibility.js';

/**
 * The SQL form of src/core/acl/event-visibility.ts (spec §4.2, §4.3), written once for both databases.
 * Each function takes the table aliases it reads so the same rule serves events/view, events/index and
 * the attribute scope. event-read-store.test.ts checks these against the pure rules on generated data.
 */

const TRUE = sql<SqlBool>`1 = 1`;
const FALSE = sql<SqlBool>`1 = 0`;

const col = (alias: string, name: string) => sql.ref(`${alias}.${name}`);

/**
 * The columns that carry one row's audience: a table's own columns, or copies of them denormalised into another
 * row (the correlation rows of src/storage/repos/correlation-store.ts keep the other side's ACL this way).
 */
export interface AudienceColumns {
  /** Owner org of the event (`events.org_id`). */
  readonly orgId: RawBuilder<unknown>;
  readonly distribution: RawBuilder<unknown>;
  readonly sharingGroupId: RawBuilder<unknown>;
  /** Only the event test reads it, and only under MISP.unpublishedprivate. */
  readonly published?: RawBuilder<unknown>;
  /** The event's id, for the delegation clause; rows without it never match by delegation. */
  readonly eventId?: RawBuilder<unknown>;
}

/** `sharing_group_id IN (…)`, or false when the viewer is in no group (MISP uses `[-1]`). */
function inSharingGroups(v: EventViewer, sharingGroupId: RawBuilder<unknown>): RawBuilder<SqlBool> {
  if (v.sharingGroupIds.length === 0) return FALSE;
  return sql<SqlBool>`${sharingGroupId} in (${sql.join(v.sharingGroupIds)})`;
}

/** `Event::createEventConditions` over the given columns (see {@link eventVisibleSql}). */
export function eventAudienceSql(v: EventViewer, c: AudienceColumns): RawBuilder<SqlBool> {
  if (v.isSiteAdmin) return TRUE;
  const published = v.unpublishedPrivate && c.published ? sql<SqlBool>`${c.published} = 1` : TRUE;
  const delegated = c.eventId && v.delegatedEventIds.length ? sql<SqlBool>`${c.eventId} in (${sql.join(v.delegatedEventIds)})` : FALSE;
  return sql<SqlBool>`(${c.orgId} = ${v.orgId}
    or (${c.distribution} in (1, 2, 3) and ${published})
    or (${c.distribution} = 4 and ${inSharingGroups(v, c.sharingGroupId)} and ${published})
    or ${delegated})`;
}

/** The element test of §4.3 over the given columns (see {@link childVisibleSql}). */
export function childAudienceSql(v: EventViewer, c: AudienceColumns): RawBuilder<SqlBool> {
  if (v.isSiteAdmin) return TRUE;
  return sql<SqlBool>`(${c.orgId} = ${v.orgId}
    or ${c.distribution} in (1, 2, 3, 5)
    or (${c.distribution} = 4 and ${inSharingGroups(v, c.sharingGroupId)}))`;
}

/** `Event::createEventConditions`: owner org, or distribution 1–3, or a sharing group the viewer is in. */
export function eventVisibleSql(v: EventViewer, e = 'events'): RawBuilder<SqlBool> {
  return eventAudienceSql(v, {
    orgId: col(e, 'org_id'), distribution: col(e, 'distribution'), sharingGroupId: col(e, 'sharing_group_id'),
    published: col(e, 'published'), eventId: col(e, 'id'),
  });
}

/** The element test of §4.3 for a child row `c` of the event row `e`: owner org, 1–3/5, or a group it is in. */
export function childVisibleSql(v: EventViewer, c: string, e = 'events'): RawBuilder<SqlBool> {
  return childAudienceSql(v, { orgId: col(e, 'org_id'), distribution: col(c, 'distribution'), sharingGroupId: col(c, 'sharing_group_id') });
}

/**
 * An attribute `a` outside objects passes; inside one, its object `o` (left-joined) must pass the element
 * test too (`MispAttribute::buildConditions`).
 */
export function attributeObjectGateSql(v: EventViewer, a: string, o: string, e = 'events'): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${col(a, 'object_id')} = 0 or (${col(o, 'id')} is not null and ${childVisibleSql(v, o, e)}))`;
}

/**
 * Soft-deletion filter of `Event::fetchEvent`: the wanted states, and deleted rows only for the owner org
 * or a sync user.
 */
export function deletedStateSql(v: EventViewer, c: string, wanted: DeletedStates, e = 'events'): RawBuilder<SqlBool> {
  const states = [...new Set(wanted)];
  if (states.length === 0) return FALSE;
  const inStates = states.length === 2 ? TRUE : sql<SqlBool>`${col(c, 'deleted')} = ${states[0]!}`;
  if (!states.includes(1) || v.seesOthersDeleted) return inStates;
  return sql<SqlBool>`(${inStates} and (${col(c, 'deleted')} = 0 or ${col(e, 'org_id')} = ${v.orgId}))`;
}

/** `MispAttribute::buildConditions` plus soft deletion, over `attributes` joined to `events` and `objects as o`. */
export function attributeScope(viewer: EventViewer, deleted: DeletedStates): RawBuilder<SqlBool>[] {
  return [
    eventVisibleSql(viewer), childVisibleSql(viewer, 'attributes'), attributeObjectGateSql(viewer, 'attributes', 'o'),
    deletedStateSql(viewer, 'attributes', deleted),
  ];
}
