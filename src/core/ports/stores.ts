import type { EventReadStore, EventWriteStore } from './event-store.js';
import type { IdentityStore } from './identity-store.js';
import type { SettingsStore } from './settings-store.js';
import type { NoticelistStore } from './noticelist-store.js';
import type { TagStore } from './tag-store.js';
import type { TaxonomyStore } from './taxonomy-store.js';
import type { WarninglistStore } from './warninglist-store.js';
import type { DecayingModelStore } from './decaying-model-store.js';
import type { FeedStore } from './feed-store.js';
import type { FeedCacheStore } from './feed-cache-store.js';
import type { GalaxyStore } from './galaxy-store.js';
import type { ObjectTemplateStore } from './object-template-store.js';
import type { AuditLog } from './audit-log.js';
import type { SessionStore } from './session-store.js';
import type { RegistrationStore } from './registration-store.js';
import type { SharingGroupStore } from './sharing-group-store.js';
import type { SearchStore } from './search-store.js';
import type { ProposalStore } from './proposal-store.js';
import type { SightingStore } from './sighting-store.js';
import type { AttachmentStore } from './attachment-store.js';
import type { CorrelationStore } from './correlation-store.js';
import type { EventDelegationStore } from './event-delegation-store.js';
import type { BlocklistStore } from './blocklist-store.js';
import type { StatisticsStore } from './statistics-store.js';
import type { EventReportStore } from './event-report-store.js';

/** Every store, bound to one connection or one transaction. */
export interface Stores {
  readonly identity: IdentityStore;
  readonly settings: SettingsStore;
  readonly eventReads: EventReadStore;
  readonly eventWrites: EventWriteStore;
  readonly tags: TagStore;
  readonly taxonomies: TaxonomyStore;
  readonly warninglists: WarninglistStore;
  readonly noticelists: NoticelistStore;
  readonly galaxies: GalaxyStore;
  readonly objectTemplates: ObjectTemplateStore;
  readonly decayingModels: DecayingModelStore;
  readonly feeds: FeedStore;
  /** Value hashes of cached feeds (spec §7.3). */
  readonly feedCaches: FeedCacheStore;
  /** Audit trail, written in the same transaction as the change it records. */
  readonly audit: AuditLog;
  readonly sessions: SessionStore;
  readonly registrations: RegistrationStore;
  readonly sharingGroups: SharingGroupStore;
  /** restSearch reads, paged and visibility-checked in SQL (spec §3.14). */
  readonly search: SearchStore;
  readonly proposals: ProposalStore;
  readonly sightings: SightingStore;
  readonly attachments: AttachmentStore;
  /** Correlation index, related-event reads, exclusions and rebuilds (spec §5). */
  readonly correlations: CorrelationStore;
  readonly delegations: EventDelegationStore;
  readonly blocklists: BlocklistStore;
  readonly statistics: StatisticsStore;
  /** Event reports, read under the element test of spec §4.3. */
  readonly eventReports: EventReportStore;
}

/**
 * The storage seam the domain sees. `transaction` runs `fn` with stores bound to one database
 * transaction: every multi-row write of a request goes through it, so a failure writes nothing.
 */
export interface Storage extends Stores {
  readonly kind: 'sqlite' | 'postgres';
  transaction<T>(fn: (tx: Stores) => Promise<T>): Promise<T>;
  /** Every schema migration Cairn knows, in order, and whether this database has run it. */
  schemaStatus(): Promise<Array<{ readonly name: string; readonly applied: boolean }>>;
  close(): Promise<void>;
}
