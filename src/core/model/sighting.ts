/** Sighting types (spec §2.7, Sighting::TYPE). */
export const SightingType = { Sighting: 0, FalsePositive: 1, Expiration: 2 } as const;

/** One report that an attribute was seen (or was a false positive, or expired), by an organisation (spec §2.7). */
export interface Sighting {
  readonly id: number;
  readonly uuid: string;
  readonly attributeId: number;
  readonly eventId: number;
  readonly orgId: number;
  /** Unix seconds. */
  readonly dateSighting: number;
  readonly source: string;
  readonly type: number;
}

/** A sighting as a reader sees it inside an event: with its attribute's uuid and, when shown, its organisation. */
export interface SightingDetail extends Sighting {
  readonly attributeUuid: string;
  /** `Organisation` block (MISP.showorg); absent when hidden. */
  readonly organisation?: { readonly id: number; readonly uuid: string; readonly name: string };
  /** Plugin.Sightings_anonymise: another org's sighting shows no `org_id`. */
  readonly orgHidden?: boolean;
}
