import type { EventDelegation } from '../model/event-delegation.js';

export type NewEventDelegation = Omit<EventDelegation, 'id'>;

/** Event delegation requests (EventDelegation model; spec §1.1, §4.2). */
export interface EventDelegationStore {
  insert(row: NewEventDelegation): Promise<EventDelegation>;
  find(id: number): Promise<EventDelegation | undefined>;
  ofEvent(eventId: number): Promise<EventDelegation | undefined>;
  /** `pending`: requests addressed to the org; `issued`: requests the org made. Newest first. */
  list(filter: { readonly orgId?: number; readonly requesterOrgId?: number }): Promise<EventDelegation[]>;
  delete(id: number): Promise<void>;
  /** Events with a pending request addressed to the org: its users may see them (spec §4.2). */
  eventIdsDelegatedTo(orgId: number): Promise<number[]>;
  /** Hands the event to the org: owner and creator org and creating user change; children stay as they are. */
  transferEvent(eventId: number, orgId: number, userId: number, timestamp: number): Promise<void>;
}
