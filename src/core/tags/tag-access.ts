import { canModifyEvent } from '../acl/event-permissions.js';
import { canSeeAttribute, canSeeEvent } from '../acl/event-visibility.js';
import type { RequestContext } from '../context.js';
import type { Stores } from '../ports/stores.js';
import type { TaggableAttribute, TaggableEvent } from '../ports/tag-store.js';
import type { Tag } from '../model/event.js';

/**
 * Who may see and tag what (spec §4.2–§4.5). Every tag action loads its target through these helpers, so a user
 * can never tag, untag or learn about an event or attribute they cannot see: invisible reads as absent.
 */

/** `authorizedSgIds(user)` (spec §4.2.1); site admins see every group, so none need loading. */
export async function sharingGroupIdsOf(ctx: RequestContext, stores: Pick<Stores, 'eventReads'>): Promise<readonly number[]> {
  return ctx.actor.isSiteAdmin ? [] : stores.eventReads.sharingGroupIdsOfOrg(ctx.actor.org.id);
}

export function isHostOrgUser(ctx: RequestContext): boolean {
  return ctx.actor.org.id === ctx.settings.num('MISP.host_org_id');
}

/** The event by id or uuid, or undefined when absent or invisible to the actor. */
export async function visibleEvent(ctx: RequestContext, stores: Stores, ref: { id: number } | { uuid: string }): Promise<TaggableEvent | undefined> {
  const event = await stores.tags.findTaggableEvent(ref);
  if (!event) return undefined;
  return canSeeEvent(ctx.actor, event, ctx.settings, await sharingGroupIdsOf(ctx, stores)) ? event : undefined;
}

/**
 * A live (not soft-deleted) attribute by id or uuid, or undefined when absent, deleted or invisible: the event,
 * attribute and containing object tests of spec §4.3 (`MispAttribute::fetchAttributeSimple`).
 */
export async function visibleAttribute(ctx: RequestContext, stores: Stores, ref: { id: number } | { uuid: string }): Promise<TaggableAttribute | undefined> {
  const attr = await stores.tags.findTaggableAttribute(ref);
  if (!attr || attr.deleted) return undefined;
  const object = attr.objectId ? { distribution: attr.objectDistribution, sharingGroupId: attr.objectSharingGroupId } : null;
  const sg = await sharingGroupIdsOf(ctx, stores);
  return canSeeAttribute(ctx.actor, attr.event, attr, object, ctx.settings, sg) ? attr : undefined;
}

/**
 * ACLComponent::canModifyTag (spec §4.5): site admins; otherwise perm_tagger or perm_sync, and then either
 * canModifyEvent or — for a local tag — membership of the host organisation.
 */
export function canModifyTag(ctx: RequestContext, event: TaggableEvent, local: boolean): boolean {
  const { actor } = ctx;
  if (actor.isSiteAdmin) return true;
  if (!actor.role.perms.perm_tagger && !actor.role.perms.perm_sync) return false;
  if (canModifyEvent(actor, event)) return true;
  return local && isHostOrgUser(ctx);
}

/** `Tag::createConditions`: tags restricted to another org or user are unusable (site admins use all). */
export function mayUseTag(ctx: RequestContext, tag: Tag): boolean {
  if (ctx.actor.isSiteAdmin) return true;
  return (tag.orgId === 0 || tag.orgId === ctx.actor.org.id) && (tag.userId === 0 || tag.userId === ctx.actor.user.id);
}

/** Tag-filter form of `mayUseTag`, for store lookups. */
export function usableBy(ctx: RequestContext): { orgId: number; userId: number } | undefined {
  return ctx.actor.isSiteAdmin ? undefined : { orgId: ctx.actor.org.id, userId: ctx.actor.user.id };
}

/** Default `hide_tag` of a new tag (`Tag::beforeValidate`). */
export function newTagsHidden(ctx: RequestContext): boolean {
  return ctx.settings.bool('MISP.incoming_tags_disabled_by_default');
}
