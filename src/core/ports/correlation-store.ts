import type { EventViewer } from '../acl/event-visibility.js';
import type { Attribute } from '../model/event.js';

/**
 * Persistence of correlations (spec §1.5, §5; design in src/core/correlation/README.md). Three parts, one store:
 * the index the engine maintains inside write transactions, the reads of events/view, and the administration
 * (exclusions, full rebuild). Every batch method takes many rows and runs a bounded number of statements.
 */

/** An attribute with the facts correlation needs of it, its event and its object. */
export interface CorrelationSubject {
  readonly id: number;
  readonly eventId: number;
  readonly objectId: number;
  readonly type: string;
  readonly value1: string;
  readonly value2: string;
  readonly distribution: number;
  readonly sharingGroupId: number;
  readonly deleted: boolean;
  readonly disableCorrelation: boolean;
  readonly event: {
    readonly orgId: number;
    readonly distribution: number;
    readonly sharingGroupId: number;
    readonly disableCorrelation: boolean;
  };
  /** Null for an attribute outside objects (or whose object row is gone). */
  readonly object: { readonly distribution: number; readonly sharingGroupId: number } | null;
}

/** The attribute half of a subject: what the code that inserted the attribute already holds. */
export type SubjectAttribute = Omit<CorrelationSubject, 'event' | 'object'>;

/** Event and object facts by id, to complete {@link SubjectAttribute}s. */
export interface SubjectContext {
  readonly events: ReadonlyMap<number, CorrelationSubject['event']>;
  readonly objects: ReadonlyMap<number, NonNullable<CorrelationSubject['object']>>;
}

/** An attribute by id with its event: correlation rows and index entries are keyed event first. */
export interface AttributeRef {
  readonly id: number;
  readonly eventId: number;
}

/** One index entry: attribute `id` of event `eventId` carries the ssdeep gram `hash`. */
export interface KeyEntry extends AttributeRef {
  readonly hash: number;
}

/** A plain address or a CIDR block of an IP attribute (advanced correlation), hex-encoded (cidr-range.ts). */
export interface IpRangeEntry extends AttributeRef {
  /** Key hash of the attribute's first value: for a block, the value group its points join. */
  readonly hash: number;
  readonly lo: string;
  readonly hi: string;
  readonly block: boolean;
}

/**
 * The other side of a correlation as its row stores it: ids plus the ACL columns of the other attribute, its object
 * and its event, denormalised like MISP's default_correlations so reads filter without joins.
 */
export interface CorrelationTarget extends AttributeRef {
  readonly objectId: number;
  readonly orgId: number;
  readonly distribution: number;
  readonly sharingGroupId: number;
  readonly objectDistribution: number;
  readonly objectSharingGroupId: number;
  readonly eventDistribution: number;
  readonly eventSharingGroupId: number;
}

/** One directed correlation row: from attribute `source` to `target` over the value `valueId`. */
export interface CorrelationRow {
  readonly valueId: number;
  readonly source: AttributeRef;
  readonly target: CorrelationTarget;
}

/** What the write-side methods remove at once: whole events and single attributes. */
export interface IndexScope {
  readonly eventIds: readonly number[];
  readonly attributes: readonly AttributeRef[];
}

/** An attribute holding a value (either half) whose `valueHash` is `hash`: a candidate member of its value group. */
export interface ValueHolder {
  readonly hash: number;
  readonly id: number;
}

/** What was detached from the index, so the engine can re-check values that may fall back under the limit. */
export interface Detached {
  /** Value hashes the detached attributes carry, or carried before the transaction changed them. */
  readonly keyHashes: number[];
  /** Addresses of removed plain-IP points (advanced correlation): blocks containing them lost a member. */
  readonly points: string[];
}

export interface ValueEntry {
  /** The key hash (correlation-keys.ts `keyHash`), used as the value id. */
  readonly id: number;
  /** The first 191 characters of the normalised value. */
  readonly value: string;
}

/** The index the engine maintains (src/core/correlation/correlation-engine.ts). */
export interface CorrelationIndexStore {
  /**
   * Waits until no other transaction is changing correlations, and keeps others waiting until this one ends
   * (PostgreSQL: a transaction-scoped advisory lock; SQLite has one writer anyway). Every phase that writes the
   * correlation tables starts with it. Two phases side by side would each miss the other's uncommitted attributes
   * (a value two requests add at the same moment would never correlate) and could deadlock removing each other's rows.
   */
  serializeWrites(): Promise<void>;
  /** Attributes by id with their event and object facts; ids that no longer exist are left out. */
  loadSubjects(ids: readonly number[]): Promise<CorrelationSubject[]>;
  /** Facts of these events and objects (for attributes the caller just inserted). */
  subjectContext(eventIds: readonly number[], objectIds: readonly number[]): Promise<SubjectContext>;
  /** The next `limit` attributes after `afterId` as subjects, in id order (one range scan, for rebuilds). */
  subjectsAfter(afterId: number, limit: number): Promise<CorrelationSubject[]>;
  /** Every attribute of these events, as subjects. */
  loadEventSubjects(eventIds: readonly number[]): Promise<CorrelationSubject[]>;
  /** Ids of the attributes of these objects. */
  attributeIdsOfObjects(objectIds: readonly number[]): Promise<AttributeRef[]>;
  /**
   * The value hashes (`valueHash`, either half, any type) the scope's attributes hold now: read before a write
   * changes or removes them, they name the value groups the attributes leave (correlated-transaction.ts).
   */
  carriedKeys(scope: IndexScope): Promise<number[]>;
  /**
   * Removes everything the scope's attributes contribute besides their rows' value hashes: ssdeep grams, address
   * ranges and correlation rows in both directions. Reports the value hashes of the scope's rows still present.
   */
  detach(scope: IndexScope): Promise<Detached>;
  /**
   * Every attribute whose value1 or value2 hash is one of `hashes` (the attribute rows' hash indexes, read
   * index-only), whatever its type, flags or event: candidates, which the engine checks on their facts. With
   * `below`, only attributes with a smaller id (a rebuild's attributes not reached yet are not in the index).
   */
  keyHolders(hashes: readonly number[], below?: number): Promise<ValueHolder[]>;
  /**
   * The hashes among `hashes` that attributes committed before this transaction may hold: a superset of those they
   * do hold, so `keyHolders` need not look for the others (all of them where the store keeps no such set).
   */
  possiblyStored(hashes: readonly number[]): Promise<number[]>;
  insertGrams(entries: readonly KeyEntry[]): Promise<void>;
  /** Attributes carrying one of these ssdeep gram hashes. */
  gramHolders(hashes: readonly number[]): Promise<AttributeRef[]>;
  insertIpRanges(entries: readonly IpRangeEntry[]): Promise<void>;
  /** Every stored CIDR block (they are few; MISP caches the same list). */
  ipBlocks(): Promise<IpRangeEntry[]>;
  /** Plain addresses inside [lo, hi], at most `limit` of them. */
  pointsIn(lo: string, hi: string, limit: number): Promise<IpRangeEntry[]>;
  /** Value ids among these that are over-correlating. */
  overCorrelating(ids: readonly number[]): Promise<Set<number>>;
  markOverCorrelating(entries: readonly (ValueEntry & { readonly occurrence: number })[]): Promise<void>;
  unmarkOverCorrelating(ids: readonly number[]): Promise<void>;
  /** Deletes the rows over `valueId` whose source is one of `sources` (the value's members). */
  removeValueRows(valueId: number, sources: readonly AttributeRef[]): Promise<void>;
  /** Stores the rows and their values (values already present are kept). */
  insertCorrelations(rows: readonly CorrelationRow[], values: readonly ValueEntry[]): Promise<void>;
  /** Copies the owner org, distribution and sharing group of these events into the rows that point at them. */
  refreshEventAcl(eventIds: readonly number[]): Promise<void>;
  /** The stored exclusion values (spec §5.4). */
  exclusionValues(): Promise<string[]>;
}

/** A correlation of one attribute of the viewed event, after the ACL filter of the other side. */
export interface RelatedRow {
  readonly attributeId: number;
  readonly relatedEventId: number;
  readonly relatedAttributeId: number;
  readonly valueId: number;
}

/**
 * The event whose correlations are read. Its own attributes are filtered too: a viewer of another org only gets
 * correlations of attributes (and objects) it may see in this event.
 */
export interface ViewedEvent {
  readonly id: number;
  readonly orgId: number;
}

/** The read side used by events/view (spec §2.2 RelatedEvent, §5.5). */
export interface CorrelationReadStore {
  /**
   * Correlations of the attributes of `eventId` whose other side the viewer may see, judged on the denormalised
   * ACL columns with the attribute-scope rule (event, attribute and object tests; `published` is re-checked when
   * the related events are loaded). At most `limit` rows.
   */
  relatedRows(viewer: EventViewer, event: ViewedEvent, limit: number): Promise<RelatedRow[]>;
  /** The distinct event ids of {@link relatedRows}, without a row limit (RelatedEvent), for each of the events. */
  relatedEventIdsOf(viewer: EventViewer, events: readonly ViewedEvent[]): Promise<Map<number, number[]>>;
  /**
   * Correlations of the given attributes (already visible to the viewer, e.g. a restSearch page) whose other side
   * the viewer may see, at most `limit` rows (attributes/restSearch `includeCorrelations`).
   */
  relatedRowsOf(viewer: EventViewer, sources: readonly AttributeRef[], limit: number): Promise<RelatedRow[]>;
  /** Attribute rows by id, unfiltered (the caller filtered them through correlation rows already). */
  attributesByIds(ids: readonly number[]): Promise<Attribute[]>;
  /** Display values by value id. */
  values(ids: readonly number[]): Promise<Map<number, string>>;
  /** The most frequent correlation values (correlations/top). */
  topValues(limit: number, offset: number): Promise<{ valueId: number; value: string; count: number }[]>;
}

export interface CorrelationExclusion {
  readonly id: number;
  readonly value: string;
  readonly fromJson: boolean;
  readonly comment: string;
}

export type NewCorrelationExclusion = Omit<CorrelationExclusion, 'id'>;

/** A background rebuild's progress record (MISP's `jobs` row for "generate correlation"). */
export interface CorrelationJob {
  readonly id: number;
  /** `queued`, `running`, `completed` or `failed`. */
  readonly status: string;
  readonly progress: number;
  readonly processed: number;
  readonly total: number;
  readonly message: string;
  readonly started: number;
  readonly finished: number;
}

/** Administration: exclusions (spec §3.12) and the full rebuild (spec §5.3 "generate correlation"). */
export interface CorrelationAdminStore {
  listExclusions(filter: { value?: string }): Promise<CorrelationExclusion[]>;
  findExclusion(id: number): Promise<CorrelationExclusion | undefined>;
  /** Inserts unless the value is listed already (then undefined; the value is unique, also against a concurrent add). */
  insertExclusion(e: NewCorrelationExclusion): Promise<CorrelationExclusion | undefined>;
  updateExclusion(e: CorrelationExclusion): Promise<void>;
  deleteExclusion(id: number): Promise<boolean>;
  /** Live attributes whose value1 or value2 matches a case-insensitive LIKE pattern (candidates; callers re-check). */
  attributesLike(pattern: string): Promise<AttributeRef[]>;
  /** Empties every correlation table (rows, values, keys, grams, ranges, over-correlating values). */
  truncate(): Promise<void>;
  countAttributes(): Promise<number>;
  createJob(now: number): Promise<CorrelationJob>;
  updateJob(id: number, patch: Partial<Omit<CorrelationJob, 'id'>>): Promise<void>;
  findJobs(ids: readonly number[]): Promise<CorrelationJob[]>;
}

export interface CorrelationStore extends CorrelationIndexStore, CorrelationReadStore, CorrelationAdminStore {}
