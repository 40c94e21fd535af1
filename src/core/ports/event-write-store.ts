import type { Attribute, MispEvent, MispObject, ObjectReference } from '../model/event.js';
import type { Ref } from '../util/uuid.js';

export type NewEvent = Omit<MispEvent, 'id' | 'attributeCount' | 'sightingTimestamp' | 'proposalEmailLock'>;
export type NewAttribute = Omit<Attribute, 'id'>;
export type NewObject = Omit<MispObject, 'id'>;
export type NewObjectReference = Omit<ObjectReference, 'id'>;

/** The event columns an edit may change (Event::_edit's field list plus the publish flags). */
export type EventPatch = Partial<Pick<MispEvent,
  'date' | 'info' | 'threatLevelId' | 'analysis' | 'published' | 'publishTimestamp' | 'timestamp' | 'distribution'
  | 'sharingGroupId' | 'disableCorrelation' | 'extendsUuid' | 'locked' | 'protected'>>;

/** Who asks whether a sharing group may be used: a site admin may use any existing one. */
export type SharingGroupUser = { readonly siteAdmin: true } | { readonly siteAdmin: false; readonly orgId: number };

/**
 * Writes of the event graph (spec §2.11, §3.1–§3.3). Every lookup is unfiltered: the services apply MISP's
 * visibility and write checks (src/core/acl). Batch methods are chunked under the dialect's parameter limit so one
 * events/add of 50,000 attributes is a few dozen statements; run them inside `Storage.transaction`.
 */
export interface EventWriteStore {
  /**
   * Inserts the events whose uuid is not stored yet (the unique index checks it); returns their ids in input order,
   * null for an event whose uuid is taken (by a stored event or an earlier row of the same call).
   */
  insertNewEvents(events: readonly NewEvent[]): Promise<(number | null)[]>;
  /** Inserts many rows; returns their ids in input order. */
  insertAttributes(rows: readonly NewAttribute[]): Promise<number[]>;
  insertObjects(rows: readonly NewObject[]): Promise<number[]>;
  /**
   * Inserts the rows whose uuid is not stored yet, in any event (MISP's `isUnique` rule, checked by the unique index
   * instead of a lookup first); returns their ids in input order, null for a row whose uuid is taken. The rows'
   * uuids must differ from each other.
   */
  insertNewAttributes(rows: readonly NewAttribute[]): Promise<(number | null)[]>;
  insertNewObjects(rows: readonly NewObject[]): Promise<(number | null)[]>;
  insertObjectReferences(rows: readonly NewObjectReference[]): Promise<number[]>;
  /** Writes whole rows over the stored ones with the same id (batched). */
  saveAttributes(rows: readonly Attribute[]): Promise<void>;
  saveObjects(rows: readonly MispObject[]): Promise<void>;
  saveObjectReferences(rows: readonly ObjectReference[]): Promise<void>;
  updateEvent(id: number, patch: EventPatch): Promise<void>;

  findEvent(ref: Ref): Promise<MispEvent | undefined>;
  findAttribute(ref: Ref): Promise<Attribute | undefined>;
  findObject(ref: Ref): Promise<MispObject | undefined>;
  findObjectReference(ref: Ref): Promise<ObjectReference | undefined>;
  findAttributesByUuids(uuids: readonly string[]): Promise<Attribute[]>;
  findObjectsByUuids(uuids: readonly string[]): Promise<MispObject[]>;
  findObjectReferencesByUuids(uuids: readonly string[]): Promise<ObjectReference[]>;
  /** Live objects of one event made from one template (breakOnDuplicate candidates). */
  findLiveObjectsOfEvent(eventId: number, templateUuid: string): Promise<MispObject[]>;
  /** Attributes (deleted ones too) of these objects. */
  attributesOfObjects(objectIds: readonly number[]): Promise<Attribute[]>;
  /**
   * Live top-level attributes of one event whose `value1` is among `values`: the candidates for MISP's
   * "A similar attribute already exists for this event." rule (spec §12.15).
   */
  findLiveAttributesByValue(eventId: number, values: readonly string[]): Promise<Attribute[]>;

  /** Hard delete; attributes, objects, references and tag links go with it. */
  deleteEvent(id: number): Promise<boolean>;
  deleteAttribute(id: number): Promise<boolean>;
  /** Hard delete of an object with its attributes and references. */
  deleteObject(id: number): Promise<boolean>;
  deleteObjectReference(id: number): Promise<boolean>;
  /** Soft-deletes every attribute of an object, stamping `timestamp` (MispObject::deleteObject). */
  softDeleteObjectAttributes(objectId: number, timestamp: number): Promise<void>;
  /** Marks references pointing at a soft-deleted attribute (type 0) or object (type 1) deleted. */
  softDeleteReferencesTo(referencedType: number, referencedId: number): Promise<void>;
  /** `attribute_count` = live attributes of the event, objects' included (MispAttribute::__alterAttributeCount), counted. */
  refreshAttributeCount(eventId: number): Promise<void>;
  /** Sets `attribute_count` of new events whose every row the caller has just written, so knows the count (batched). */
  setAttributeCounts(counts: readonly { readonly eventId: number; readonly count: number }[]): Promise<void>;
  touchObject(objectId: number, timestamp: number): Promise<void>;
  /** SharingGroup::checkIfAuthorised: the group exists and the org owns it, is a member, or all orgs are. */
  canUseSharingGroup(sharingGroupId: number, user: SharingGroupUser): Promise<boolean>;
}
