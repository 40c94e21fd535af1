import type { Sighting } from '../model/sighting.js';

export type NewSighting = Omit<Sighting, 'id'>;

/** Sightings (spec §2.7, §3.6). */
export interface SightingStore {
  /** Inserts in one batch; returns the stored rows in input order. */
  insert(rows: readonly NewSighting[]): Promise<Sighting[]>;
  /** Sighting::saveSightings for type 2: an org keeps one expiration per attribute. */
  deleteOrgSightingsOfType(orgId: number, type: number, attributeIds: readonly number[]): Promise<void>;
  /** Sightings of one event, optionally only those reported by these orgs (Sighting::createConditions). */
  ofEvent(eventId: number, orgIds?: readonly number[]): Promise<Sighting[]>;
  /** Whether the org reported any sighting on the event (Plugin.Sightings_policy 1). */
  hasReported(eventId: number, orgId: number): Promise<boolean>;
}
