import type { EventReadStore, EventWriteStore } from './event-store.js';
import type { IdentityStore } from './identity-store.js';
import type { SettingsStore } from './settings-store.js';
import type { TagStore } from './tag-store.js';

/** Every store, bound to one connection or one transaction. */
export interface Stores {
  readonly identity: IdentityStore;
  readonly settings: SettingsStore;
  readonly eventReads: EventReadStore;
  readonly eventWrites: EventWriteStore;
  readonly tags: TagStore;
}

/**
 * The storage seam the domain sees. `transaction` runs `fn` with stores bound to one database
 * transaction: every multi-row write of a request goes through it, so a failure writes nothing.
 */
export interface Storage extends Stores {
  readonly kind: 'sqlite' | 'postgres';
  transaction<T>(fn: (tx: Stores) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
