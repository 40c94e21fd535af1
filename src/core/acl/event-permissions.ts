import type { Actor } from '../model/user.js';

/** The event columns MISP's write checks read (spec §4.5). */
export interface EventOwnership {
  /** Owner org on this instance (`events.org_id`). */
  readonly orgId: number;
  /** Creator org (`events.orgc_id`). */
  readonly orgcId: number;
  /** Creating user (`events.user_id`). */
  readonly userId: number;
  /** Set on data received by server sync. */
  readonly locked: boolean;
}

/**
 * ACLComponent::canModifyEvent (spec §4.5): site admins; perm_modify_org users on events their org created;
 * perm_modify users on events they created themselves. Modification keys on the *creator* org, never on the
 * owner org that visibility uses.
 */
export function canModifyEvent(actor: Actor, event: Pick<EventOwnership, 'orgcId' | 'userId'>): boolean {
  if (actor.isSiteAdmin) return true;
  const p = actor.role.perms;
  if (p.perm_modify_org && event.orgcId === actor.org.id) return true;
  return p.perm_modify && event.userId === actor.user.id;
}

/** ACLComponent::canPublishEvent (spec §4.5): site admins, or perm_publish on events of the actor's own org. */
export function canPublishEvent(actor: Actor, event: Pick<EventOwnership, 'orgcId'>): boolean {
  if (actor.isSiteAdmin) return true;
  return actor.role.perms.perm_publish && event.orgcId === actor.org.id;
}

/**
 * MispAttribute::deleteAttribute's model check (spec §4.5), stricter than canModifyEvent and independent of the
 * role's modify flags: on a locked (synced) event only a sync user of the owner org may delete; otherwise only
 * users of the creator org.
 */
export function canDeleteAttribute(actor: Actor, event: EventOwnership): boolean {
  if (actor.isSiteAdmin) return true;
  if (event.locked) return actor.org.id === event.orgId && actor.role.perms.perm_sync;
  return actor.org.id === event.orgcId;
}

/**
 * Event::_edit's own gate (spec §4.5 "Event edit via REST by sync user", §6.4): the creator org, a sync user on a
 * locked event, or a site admin may overwrite the stored copy. events/edit lets sync users past canModifyEvent, so
 * this is what stops a sync user from rewriting an event created locally.
 */
export function canOverwriteEvent(actor: Actor, event: Pick<EventOwnership, 'orgcId' | 'locked'>): boolean {
  if (actor.isSiteAdmin) return true;
  if (event.orgcId === actor.org.id) return true;
  return actor.role.perms.perm_sync && event.locked;
}
