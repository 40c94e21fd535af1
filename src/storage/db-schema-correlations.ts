import type { Generated } from 'kysely';
import type { Default } from './db-schema.js';

/**
 * Row types of migration 0007 (spec §1.5). Value ids and key hashes are 53-bit integers (bigint on PostgreSQL,
 * parsed to numbers by open-database.ts). The `1_*` columns of `correlations` describe the OTHER attribute of the
 * pair; every pair is stored twice, once from each side.
 */
export interface CorrelationsTable {
  event_id: number;
  attribute_id: number;
  '1_attribute_id': number;
  value_id: number;
  '1_event_id': number;
  '1_object_id': number;
  '1_org_id': number;
  '1_distribution': number;
  '1_sharing_group_id': number;
  '1_object_distribution': number;
  '1_object_sharing_group_id': number;
  '1_event_distribution': number;
  '1_event_sharing_group_id': number;
}

export interface CorrelationValuesTable {
  id: number;
  value: string;
}

export interface OverCorrelatingValuesTable {
  id: number;
  value: string;
  occurrence: Default<number>;
}

export interface CorrelationExclusionsTable {
  id: Generated<number>;
  value: string;
  from_json: Default<number>;
  comment: Default<string>;
}

export interface CorrelationIpRangesTable {
  event_id: number;
  attribute_id: number;
  key_hash: number;
  /** 1 for a CIDR block, 0 for a plain address. */
  block: number;
  lo: string;
  hi: string;
}

export interface CorrelationSsdeepGramsTable {
  event_id: number;
  attribute_id: number;
  gram_hash: number;
}

export interface CorrelationJobsTable {
  id: Generated<number>;
  status: string;
  progress: Default<number>;
  processed: Default<number>;
  total: Default<number>;
  message: Default<string>;
  started: number;
  finished: Default<number>;
}

export interface CorrelationTables {
  correlations: CorrelationsTable;
  correlation_values: CorrelationValuesTable;
  over_correlating_values: OverCorrelatingValuesTable;
  correlation_exclusions: CorrelationExclusionsTable;
  correlation_ip_ranges: CorrelationIpRangesTable;
  correlation_ssdeep_grams: CorrelationSsdeepGramsTable;
  correlation_jobs: CorrelationJobsTable;
}
