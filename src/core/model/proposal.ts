import type { OrgSummary } from './event.js';

/**
 * A proposal (MISP's ShadowAttribute, spec §2.9, §3.8): a suggested new attribute (`oldId` 0), or a suggested change
 * to (`oldId` = the attribute's id, `uuid` = the attribute's uuid) or deletion of an existing attribute. Accepting or
 * discarding one soft-deletes it (`deleted`).
 */
export interface Proposal {
  readonly id: number;
  /** The attribute a change or deletion proposal targets; 0 for a proposed new attribute. */
  readonly oldId: number;
  readonly eventId: number;
  readonly type: string;
  readonly category: string;
  readonly value1: string;
  readonly value2: string;
  readonly toIds: boolean;
  readonly uuid: string;
  readonly eventUuid: string;
  /** The org owning the event when the proposal was made. */
  readonly eventOrgId: number;
  /** Who proposed: user e-mail and org. */
  readonly email: string;
  readonly orgId: number;
  readonly comment: string;
  readonly deleted: boolean;
  readonly timestamp: number;
  readonly proposalToDelete: boolean;
  readonly disableCorrelation: boolean;
  /** µs, like attributes. */
  readonly firstSeen: number | null;
  readonly lastSeen: number | null;
}

/** A proposal with the organisation that made it, as events/view and shadowAttributes/index show it. */
export interface ProposalDetail extends Proposal {
  readonly org: OrgSummary;
}
