import type { EventViewer } from '../acl/event-visibility.js';
import type { Proposal } from '../model/proposal.js';
import type { Ref } from '../util/uuid.js';

export type NewProposal = Omit<Proposal, 'id'>;

/** shadowAttributes/index filters (ShadowAttributesController::index), all optional. */
export interface ProposalListFilter {
  readonly eventId?: number;
  /** `all:0`: only proposals on events created by this org. */
  readonly eventOrgcId?: number;
  /** `deleted:` named parameter; absent lists both states, as MISP's REST index does. */
  readonly deleted?: boolean;
  /** `timestamp:` lower bound. */
  readonly since?: number;
  readonly limit?: number;
  /** 1-based, with `limit`. */
  readonly page?: number;
}

/**
 * Proposals (ShadowAttribute, spec §2.9, §3.8). Reads that take an `EventViewer` apply
 * `ShadowAttribute::buildConditions`: the event must be visible and, for a change proposal, its attribute too.
 */
export interface ProposalStore {
  insert(proposal: NewProposal, payload?: Uint8Array): Promise<Proposal>;
  /**
   * A live proposal by id or uuid, unfiltered (accept/discard check rights themselves). Change proposals share their
   * attribute's uuid, so a uuid names the oldest live proposal carrying it.
   */
  findLive(ref: Ref): Promise<Proposal | undefined>;
  /** shadowAttributes/view: a live proposal the viewer may see. */
  findVisible(viewer: EventViewer, ref: Ref): Promise<Proposal | undefined>;
  /** shadowAttributes/index, ordered like MISP (event id descending, type, then age). */
  list(viewer: EventViewer, filter: ProposalListFilter): Promise<Proposal[]>;
  /** Live proposals of these events (events/view), oldest first. */
  liveOfEvents(eventIds: readonly number[]): Promise<Proposal[]>;
  markDeleted(id: number, timestamp: number): Promise<void>;
  /** The file sent with an attachment / malware-sample proposal. */
  payload(id: number): Promise<Uint8Array | undefined>;
}
