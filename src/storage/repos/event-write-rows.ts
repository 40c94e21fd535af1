import type { Insertable, Selectable } from 'kysely';
import { valueHash } from '../../core/correlation/correlation-keys.js';
import type { Attribute, MispEvent, MispObject, ObjectReference } from '../../core/model/event.js';
import type { NewAttribute, NewEvent, NewObject, NewObjectReference } from '../../core/ports/event-write-store.js';
import { rowCodec } from '../array-rows.js';
import type { AttributesTable, EventsTable, ObjectReferencesTable, ObjectsTable } from '../db-schema.js';
import type { Dialect } from '../dialect.js';

/** Row ↔ domain mapping for the event graph tables (tinyint(1) flags are 0/1 integers, spec §1). */
const b = (v: number | null): boolean => v === 1;
const i = (v: boolean): number => (v ? 1 : 0);

export function eventFromRow(r: Selectable<EventsTable>): MispEvent {
  return {
    id: r.id, uuid: r.uuid, orgId: r.org_id, orgcId: r.orgc_id, userId: r.user_id, date: r.date, info: r.info,
    threatLevelId: r.threat_level_id, analysis: r.analysis, published: b(r.published), publishTimestamp: r.publish_timestamp,
    timestamp: r.timestamp, sightingTimestamp: r.sighting_timestamp, attributeCount: r.attribute_count,
    distribution: r.distribution, sharingGroupId: r.sharing_group_id, proposalEmailLock: b(r.proposal_email_lock),
    locked: b(r.locked), disableCorrelation: b(r.disable_correlation), extendsUuid: r.extends_uuid,
    protected: r.protected === null ? null : b(r.protected),
  };
}

/** Every column of each table, for array-row reads (array-rows.ts) that map back through the `*FromRow` mappers. */
export const EVENT_ROW = rowCodec<Selectable<EventsTable>>([
  'id', 'uuid', 'org_id', 'orgc_id', 'user_id', 'date', 'info', 'threat_level_id', 'analysis', 'published',
  'publish_timestamp', 'timestamp', 'sighting_timestamp', 'attribute_count', 'distribution', 'sharing_group_id',
  'proposal_email_lock', 'locked', 'disable_correlation', 'extends_uuid', 'protected',
]);
export const ATTRIBUTE_ROW = rowCodec<Selectable<AttributesTable>>([
  'id', 'uuid', 'event_id', 'object_id', 'object_relation', 'category', 'type', 'value1', 'value2', 'to_ids',
  'timestamp', 'distribution', 'sharing_group_id', 'comment', 'deleted', 'disable_correlation', 'first_seen', 'last_seen',
]);
/** `ATTRIBUTE_ROW`'s select list, with the uuid as text (`Dialect.uuidText`): what every attribute read selects. */
export const attributeColumns = (d: Dialect, alias: string) => ATTRIBUTE_ROW.select(alias, { uuid: d.uuidText });
export const OBJECT_ROW = rowCodec<Selectable<ObjectsTable>>([
  'id', 'uuid', 'event_id', 'name', 'meta_category', 'description', 'template_uuid', 'template_version', 'timestamp',
  'distribution', 'sharing_group_id', 'comment', 'deleted', 'first_seen', 'last_seen',
]);

export function eventToRow(e: NewEvent): Insertable<EventsTable> {
  return {
    uuid: e.uuid, org_id: e.orgId, orgc_id: e.orgcId, user_id: e.userId, date: e.date, info: e.info,
    threat_level_id: e.threatLevelId, analysis: e.analysis, published: i(e.published), publish_timestamp: e.publishTimestamp,
    timestamp: e.timestamp, sighting_timestamp: 0, attribute_count: 0, distribution: e.distribution,
    sharing_group_id: e.sharingGroupId, proposal_email_lock: 0, locked: i(e.locked),
    disable_correlation: i(e.disableCorrelation), extends_uuid: e.extendsUuid,
    protected: e.protected === null ? null : i(e.protected),
  };
}

export function attributeFromRow(r: Selectable<AttributesTable>): Attribute {
  return {
    id: r.id, uuid: r.uuid, eventId: r.event_id, objectId: r.object_id, objectRelation: r.object_relation,
    category: r.category, type: r.type, value1: r.value1, value2: r.value2, toIds: b(r.to_ids), timestamp: r.timestamp,
    distribution: r.distribution, sharingGroupId: r.sharing_group_id, comment: r.comment, deleted: b(r.deleted),
    disableCorrelation: b(r.disable_correlation), firstSeen: r.first_seen, lastSeen: r.last_seen,
  };
}

/** The hash columns of an attribute row (migration 0024): every writer of `value1`/`value2` sets them with it. */
export function valueHashes(value1: string, value2: string): Pick<AttributesTable, 'value1_hash' | 'value2_hash'> {
  return { value1_hash: valueHash(value1), value2_hash: value2 === '' ? null : valueHash(value2) };
}

/** Column order is fixed by this literal: batch inserts rely on every row having the same keys. */
export function attributeToRow(a: NewAttribute): Insertable<AttributesTable> {
  return {
    uuid: a.uuid, event_id: a.eventId, object_id: a.objectId, object_relation: a.objectRelation, category: a.category,
    type: a.type, value1: a.value1, value2: a.value2, ...valueHashes(a.value1, a.value2), to_ids: i(a.toIds), timestamp: a.timestamp,
    distribution: a.distribution, sharing_group_id: a.sharingGroupId, comment: a.comment, deleted: i(a.deleted),
    disable_correlation: i(a.disableCorrelation), first_seen: a.firstSeen, last_seen: a.lastSeen,
  };
}

export function objectFromRow(r: Selectable<ObjectsTable>): MispObject {
  return {
    id: r.id, uuid: r.uuid, eventId: r.event_id, name: r.name, metaCategory: r.meta_category, description: r.description,
    templateUuid: r.template_uuid, templateVersion: r.template_version, timestamp: r.timestamp,
    distribution: r.distribution, sharingGroupId: r.sharing_group_id, comment: r.comment, deleted: b(r.deleted),
    firstSeen: r.first_seen, lastSeen: r.last_seen,
  };
}

export function objectToRow(o: NewObject): Insertable<ObjectsTable> {
  return {
    uuid: o.uuid, event_id: o.eventId, name: o.name, meta_category: o.metaCategory, description: o.description,
    template_uuid: o.templateUuid, template_version: o.templateVersion, timestamp: o.timestamp,
    distribution: o.distribution, sharing_group_id: o.sharingGroupId, comment: o.comment, deleted: i(o.deleted),
    first_seen: o.firstSeen, last_seen: o.lastSeen,
  };
}

export function referenceFromRow(r: Selectable<ObjectReferencesTable>): ObjectReference {
  return {
    id: r.id, uuid: r.uuid, timestamp: r.timestamp, objectId: r.object_id, eventId: r.event_id, sourceUuid: r.source_uuid,
    referencedUuid: r.referenced_uuid, referencedId: r.referenced_id, referencedType: r.referenced_type,
    relationshipType: r.relationship_type, comment: r.comment, deleted: b(r.deleted),
  };
}

export function referenceToRow(x: NewObjectReference): Insertable<ObjectReferencesTable> {
  return {
    uuid: x.uuid, timestamp: x.timestamp, object_id: x.objectId, event_id: x.eventId, source_uuid: x.sourceUuid,
    referenced_uuid: x.referencedUuid, referenced_id: x.referencedId, referenced_type: x.referencedType,
    relationship_type: x.relationshipType, comment: x.comment, deleted: i(x.deleted),
  };
}
