import type { Sighting } from '../model/sighting.js';
import type { Many } from './event-read-store.js';

export type NewSighting = Omit<Sighting, 'id'>;

/** What sightings/restSearch and listSightings select before access control (Sighting::restSearch conditions). */
export interface SightingFilter {
  readonly attributeIds?: readonly number[];
  readonly attributeUuids?: readonly string[];
  readonly eventIds?: readonly number[];
  readonly orgIds?: Many<number>;
  readonly types?: readonly number[];
  readonly sources?: readonly string[];
  /** Inclusive bounds on `date_sighting` (Unix seconds). */
  readonly from?: number;
  readonly until?: number;
}

/** Sightings (spec §2.7, §3.6). */
export interface SightingStore {
  /** Inserts in one batch; returns the stored rows in input order. */
  insert(rows: readonly NewSighting[]): Promise<Sighting[]>;
  /**
   * Sighting::saveSightings for type 2: an org keeps one expiration per attribute, so the new one replaces what this
   * deletes. Waits first for another transaction replacing sightings of the same attributes (PostgreSQL: one
   * advisory lock per attribute, in id order): two at once would each delete the old row and both insert theirs.
   */
  deleteOrgSightingsOfType(orgId: number, type: number, attributeIds: readonly number[]): Promise<void>;
  /** Sightings of these events, by id, optionally only those reported by these orgs (Sighting::createConditions). */
  ofEvents(eventIds: readonly number[], orgIds?: readonly number[]): Promise<Sighting[]>;
  /** Whether the org reported any sighting on the event (Plugin.Sightings_policy 1). */
  hasReported(eventId: number, orgId: number): Promise<boolean>;
  /** The events among `eventIds` the org reported a sighting on. */
  reportedEvents(eventIds: readonly number[], orgId: number): Promise<Set<number>>;
  find(ref: { readonly id: number } | { readonly uuid: string }): Promise<Sighting | undefined>;
  delete(id: number): Promise<boolean>;
  /** Matching sightings with id > `afterId`, by id, at most `limit` (keyset pages for streaming). */
  search(filter: SightingFilter, afterId: number, limit: number): Promise<Sighting[]>;
}
