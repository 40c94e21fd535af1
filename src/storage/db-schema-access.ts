import type { Generated } from 'kysely';
import type { Default } from './db-schema.js';

/** Row types of the access-control tables created by migration 0006 (sessions, bruteforces, inbox, audit_logs). */
export interface SessionsTable {
  /** SHA-256 hex of the cookie value. */
  id_hash: string;
  user_id: number;
  created: number;
  last_seen: number;
  expires: number;
  ip: Default<string>;
}

export interface BruteforcesTable {
  id: Generated<number>;
  ip: string;
  username: string;
  /** Unix seconds (MISP: datetime). */
  expire: number;
}

export interface InboxTable {
  id: Generated<number>;
  uuid: string;
  title: string;
  type: string;
  ip: Default<string>;
  user_agent: Default<string>;
  user_agent_sha256: Default<string>;
  comment: Default<string>;
  deleted: Default<number>;
  timestamp: number;
  store_as_file: Default<number>;
  /** JSON text. */
  data: string;
}

export interface AuditLogsTable {
  id: Generated<number>;
  /** Unix seconds; rendered as MISP's datetime. */
  created: number;
  user_id: Default<number>;
  org_id: Default<number>;
  authkey_id: number | null;
  ip: string | null;
  request_type: Default<number>;
  request_id: string | null;
  action: string;
  model: string;
  model_id: Default<number>;
  model_title: string | null;
  event_id: number | null;
  /** JSON text, secrets already masked. */
  change: string | null;
  email: Default<string>;
  org_name: Default<string>;
  title: Default<string>;
}

export interface AccessTables {
  sessions: SessionsTable;
  bruteforces: BruteforcesTable;
  inbox: InboxTable;
  audit_logs: AuditLogsTable;
}
