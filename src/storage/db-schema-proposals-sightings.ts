import type { Generated } from 'kysely';

/** Row types of proposals, sightings and attachment files (migrations 0009–0011), MISP's column names. */
export interface ShadowAttributesTable {
  id: Generated<number>;
  /** NULL for a proposed new attribute (MISP's 0). */
  old_id: number | null;
  event_id: number;
  type: string;
  category: string;
  value1: string;
  value2: string;
  to_ids: number;
  uuid: string;
  event_uuid: string;
  event_org_id: number;
  email: string;
  org_id: number;
  comment: string;
  deleted: number;
  timestamp: number;
  proposal_to_delete: number;
  disable_correlation: number;
  first_seen: number | null;
  last_seen: number | null;
  data: Uint8Array | null;
}

export interface SightingsTable {
  id: Generated<number>;
  uuid: string;
  attribute_id: number;
  event_id: number;
  org_id: number;
  date_sighting: number;
  source: string;
  type: number;
}

export interface AttributeAttachmentsTable {
  attribute_id: number;
  data: Uint8Array;
}

export interface ProposalSightingTables {
  shadow_attributes: ShadowAttributesTable;
  sightings: SightingsTable;
  attribute_attachments: AttributeAttachmentsTable;
}
