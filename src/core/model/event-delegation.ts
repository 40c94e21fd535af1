/** A request that another organisation take over an event (spec §1.1 event_delegations). */
export interface EventDelegation {
  readonly id: number;
  /** The organisation asked to take the event over. */
  readonly orgId: number;
  readonly requesterOrgId: number;
  readonly eventId: number;
  readonly message: string;
  /** Requested distribution after the transfer; -1 lets the recipient decide. */
  readonly distribution: number;
  readonly sharingGroupId: number;
}
