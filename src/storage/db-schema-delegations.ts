import type { Generated } from 'kysely';

/** Row type of event delegation requests (migration 0016), MISP's column names. */
export interface EventDelegationsTable {
  id: Generated<number>;
  org_id: number;
  requester_org_id: number;
  event_id: number;
  message: string;
  /** -1: the recipient decides. */
  distribution: number;
  sharing_group_id: number;
}

export interface EventDelegationTables {
  event_delegations: EventDelegationsTable;
}
