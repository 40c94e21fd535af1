import { Distribution } from '../model/event.js';
import type { Settings } from '../settings/settings.js';

/**
 * Who may see an event and its children: MISP's visibility rules as pure predicates (spec §4.2, §4.3).
 * The SQL form of the same rules lives in src/storage/repos/event-visibility-sql.ts; a storage test
 * checks on both databases that the two agree.
 */

/** The part of an Actor the rules read; `Actor` (src/core/model/user.ts) satisfies it. */
export interface AclSubject {
  readonly isSiteAdmin: boolean;
  readonly org: { readonly id: number };
  readonly role: { readonly perms: { readonly perm_sync: boolean } };
}

/** `authorizedSgIds(user)` of spec §4.2.1, as loaded by `EventReadStore.sharingGroupIdsOfOrg`. */
export type SharingGroupIds = ReadonlySet<number> | readonly number[];

export interface EventAccessFacts {
  /** Needed only for the delegation clause. */
  readonly id?: number;
  /** Owner org on this instance (`events.org_id`): visibility keys on it, not on the creator org. */
  readonly orgId: number;
  readonly distribution: number;
  readonly sharingGroupId: number;
  readonly published: boolean;
}

/** An attribute, object or event report as far as visibility is concerned. */
export interface ChildAccessFacts {
  readonly distribution: number;
  readonly sharingGroupId: number;
}

/**
 * Which soft-deletion states a read returns (spec §3.1 `deleted`): `[0]` active only (the default),
 * `[0, 1]` both, `[1]` only soft-deleted ones.
 */
export type DeletedStates = readonly (0 | 1)[];
export const ACTIVE_ONLY: DeletedStates = [0];
export const ACTIVE_AND_DELETED: DeletedStates = [0, 1];

/**
 * Everything the SQL form needs, resolved once per request: the actor's org, the sharing groups it
 * belongs to and the settings that change the rules.
 */
export interface EventViewer {
  readonly orgId: number;
  readonly isSiteAdmin: boolean;
  readonly sharingGroupIds: readonly number[];
  /** `MISP.unpublishedprivate`: other orgs see an event only once it is published. */
  readonly unpublishedPrivate: boolean;
  /** perm_sync: may read soft-deleted children of other orgs' events (Event::fetchEvent). */
  readonly seesOthersDeleted: boolean;
  /** Under MISP.delegation: events with a pending delegation request to the viewer's org (spec §4.2). */
  readonly delegatedEventIds: readonly number[];
}

const has = (ids: SharingGroupIds, id: number): boolean =>
  Array.isArray(ids) ? ids.includes(id) : (ids as ReadonlySet<number>).has(id);

const isCommunityLevel = (d: number): boolean =>
  d === Distribution.Community || d === Distribution.Connected || d === Distribution.All;

/**
 * `Event::createEventConditions` (spec §4.2): site admins and the owner org see everything; others see
 * distributions 1–3 and sharing groups they belong to, published ones only under MISP.unpublishedprivate, and
 * (MISP.delegation) events delegated to their org.
 */
export function canSeeEvent(
  actor: AclSubject, event: EventAccessFacts, settings: Pick<Settings, 'bool'>, sgIds: SharingGroupIds,
  delegatedEventIds: readonly number[] = [],
): boolean {
  if (actor.isSiteAdmin || event.orgId === actor.org.id) return true;
  if (event.id !== undefined && settings.bool('MISP.delegation') && delegatedEventIds.includes(event.id)) return true;
  if (settings.bool('MISP.unpublishedprivate') && !event.published) return false;
  if (isCommunityLevel(event.distribution)) return true;
  return event.distribution === Distribution.SharingGroup && has(sgIds, event.sharingGroupId);
}

/**
 * The element test of spec §4.3, for a child of an event the actor already sees: the owner org sees
 * every child; others see 1–3, 5 (inherit) and sharing groups they belong to.
 */
export function canSeeChild(
  actor: AclSubject, event: Pick<EventAccessFacts, 'orgId'>, child: ChildAccessFacts, sgIds: SharingGroupIds,
): boolean {
  if (actor.isSiteAdmin || event.orgId === actor.org.id) return true;
  if (isCommunityLevel(child.distribution) || child.distribution === Distribution.Inherit) return true;
  return child.distribution === Distribution.SharingGroup && has(sgIds, child.sharingGroupId);
}

/**
 * Attribute scope (`MispAttribute::buildConditions`, spec §4.3): the event test, the attribute test and,
 * for an attribute inside an object, the object test. The effective audience is the intersection.
 */
export function canSeeAttribute(
  actor: AclSubject, event: EventAccessFacts, attribute: ChildAccessFacts, object: ChildAccessFacts | null,
  settings: Pick<Settings, 'bool'>, sgIds: SharingGroupIds,
): boolean {
  return canSeeEvent(actor, event, settings, sgIds)
    && canSeeChild(actor, event, attribute, sgIds)
    && (object === null || canSeeChild(actor, event, object, sgIds));
}

/**
 * Soft-deleted children are returned only when asked for, and then only to the owner org or to sync
 * users (`Event::fetchEvent` deleted handling, spec §4.3); active ones when `wanted` includes 0.
 */
export function canSeeDeletedState(
  actor: AclSubject, event: Pick<EventAccessFacts, 'orgId'>, deleted: boolean, wanted: DeletedStates,
): boolean {
  if (!wanted.includes(deleted ? 1 : 0)) return false;
  return !deleted || actor.role.perms.perm_sync || event.orgId === actor.org.id;
}

/** Resolves the actor, settings and sharing groups into the viewer the SQL form takes. */
export function eventViewer(actor: AclSubject, settings: Pick<Settings, 'bool'>, sgIds: SharingGroupIds,
  delegatedEventIds: readonly number[] = []): EventViewer {
  return {
    delegatedEventIds: settings.bool('MISP.delegation') && !actor.isSiteAdmin ? [...delegatedEventIds].sort((a, b) => a - b) : [],
    orgId: actor.org.id,
    isSiteAdmin: actor.isSiteAdmin,
    sharingGroupIds: [...sgIds].sort((a, b) => a - b),
    unpublishedPrivate: settings.bool('MISP.unpublishedprivate'),
    seesOthersDeleted: actor.role.perms.perm_sync,
  };
}
