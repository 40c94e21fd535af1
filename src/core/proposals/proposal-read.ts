import type { RequestContext } from '../context.js';
import { notFound } from '../errors.js';
import { viewerFor } from '../events/event-view.js';
import { readBool, readInt } from '../misp-format/scalars.js';
import { type OrgSummary, orgSummaryOf } from '../model/event.js';
import type { Proposal, ProposalDetail } from '../model/proposal.js';
import type { ProposalListFilter } from '../ports/proposal-store.js';
import type { Stores } from '../ports/stores.js';
import { parseRef } from '../util/uuid.js';

/** Reading proposals (ShadowAttributesController::view|index, Event::fetchEvent; spec §2.9, §3.8). */

type ReadStores = Pick<Stores, 'eventReads' | 'proposals' | 'delegations'>;

/** Proposals with the organisation that made each, in one organisation lookup. */
export async function withProposers(stores: Pick<Stores, 'eventReads'>, proposals: readonly Proposal[]): Promise<ProposalDetail[]> {
  const orgs = proposals.length ? await stores.eventReads.organisations([...new Set(proposals.map((p) => p.orgId))]) : new Map<number, OrgSummary>();
  return proposals.map((p) => ({ ...p, org: orgSummaryOf(orgs, p.orgId) }));
}

/** shadowAttributes/view/{id|uuid}: a live proposal the actor may see, else 404 "Invalid proposal.". */
export async function viewProposal(ctx: RequestContext, stores: ReadStores, rawRef: string | undefined): Promise<Proposal> {
  const ref = parseRef(rawRef);
  const found = ref && await stores.proposals.findVisible(await viewerFor(ctx, stores), ref);
  if (!found) throw notFound('Invalid proposal.');
  return found;
}

type Named = Readonly<Record<string, string | string[]>>;
const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/**
 * shadowAttributes/index[/{event id|uuid}]: the proposals the actor may see, deleted ones included unless `deleted:`
 * says otherwise (MISP's REST index), narrowed by `all:0` (events of the actor's org), `timestamp:`, `limit:`/`page:`.
 */
export async function listProposals(ctx: RequestContext, stores: ReadStores & Pick<Stores, 'eventWrites'>, rawEventRef: string | undefined, named: Named): Promise<ProposalDetail[]> {
  const filter: { -readonly [K in keyof ProposalListFilter]: ProposalListFilter[K] } = {};
  if (rawEventRef !== undefined && rawEventRef !== '' && rawEventRef !== '0') {
    const ref = parseRef(rawEventRef);
    const event = ref && ('id' in ref ? ref : await stores.eventWrites.findEvent(ref));
    if (!event) throw notFound('Invalid event');
    filter.eventId = event.id;
  }
  if (readBool(one(named.all)) === false) filter.eventOrgcId = ctx.actor.org.id;
  const deleted = one(named.deleted);
  if (deleted !== undefined) filter.deleted = readBool(deleted) === true;
  const since = readInt(one(named.timestamp));
  if (since) filter.since = since;
  const limit = readInt(one(named.limit));
  if (limit && limit > 0) {
    filter.limit = limit;
    filter.page = Math.max(readInt(one(named.page)) ?? 1, 1);
  }
  return withProposers(stores, await stores.proposals.list(await viewerFor(ctx, stores), filter));
}
