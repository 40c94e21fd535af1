import type { TypeMatrix } from '../attributes/describe-types.js';
import { defaultAttributeDistribution } from '../attributes/distribution.js';
import type { RequestContext } from '../context.js';
import { notFound } from '../errors.js';
import type { MispEvent } from '../model/event.js';
import type { ObjectTemplateRegistry } from '../objects/object-templates.js';
import type { Storage, Stores } from '../ports/stores.js';
import type { WarninglistMatcherCache } from '../warninglists/warninglist-matcher-cache.js';
import { parseRef, type Ref } from '../util/uuid.js';
import { viewerFor } from './event-view.js';
import type { ObjectBuildContext } from './object-build.js';

/** What the event write services need besides the request context: storage and the two MISP data packs they check against. */
export interface EventWriteEnv {
  readonly storage: Storage;
  readonly typeMatrix: TypeMatrix;
  readonly objectTemplates: ObjectTemplateRegistry;
  /** The enabled warninglists, for `enforceWarninglist` on attributes/add. */
  readonly warninglistMatcher?: WarninglistMatcherCache;
}

/** `{Attribute: {attribute_3: {...}}, Object: {object_0: "..."}}`: what add reports about elements it dropped. */
export type WriteErrors = Record<string, Record<string, unknown>>;

export function addError(errors: WriteErrors, group: string, key: string, error: unknown): void {
  (errors[group] ??= {})[key] = error;
}

/** A path id or uuid; anything else is absent, as MISP's `__idToConditions` makes it (404). */
export function refOrNotFound(raw: string | undefined, message: string): Ref {
  const ref = parseRef(raw);
  if (!ref) throw notFound(message);
  return ref;
}

/**
 * Event::fetchSimpleEvent: the event if the actor may see it. Write endpoints load their event this way first, so
 * an invisible event answers 404 exactly like a missing one and only a visible one can answer 403.
 */
export async function visibleEventOrNotFound(ctx: RequestContext, stores: Stores, ref: Ref, message = 'Invalid event'): Promise<MispEvent> {
  const event = await stores.eventReads.findEvent(await viewerFor(ctx, stores), ref);
  if (!event) throw notFound(message);
  return event;
}

/**
 * SharingGroup::checkIfAuthorised for every distinct group a request names, one lookup per group: the answer is
 * a predicate the element builders call synchronously.
 */
export async function sharingGroupGate(ctx: RequestContext, stores: Stores, ids: Iterable<number>): Promise<(id: number) => boolean> {
  const allowed = new Set<number>();
  const user = ctx.actor.isSiteAdmin ? { siteAdmin: true as const } : { siteAdmin: false as const, orgId: ctx.actor.org.id };
  for (const id of new Set(ids)) {
    if (id > 0 && await stores.eventWrites.canUseSharingGroup(id, user)) allowed.add(id);
  }
  return (id) => allowed.has(id);
}

/** Sets `published = 0, timestamp = now` (Event::unpublishEvent, spec §4.6): every content change does this. */
export async function unpublish(stores: Stores, eventId: number, now: number): Promise<void> {
  await stores.eventWrites.updateEvent(eventId, { published: false, timestamp: now });
}

/** The builders' view of the request: validation matrix, templates, defaults and the sharing-group gate. */
export function buildContextOf(ctx: RequestContext, env: EventWriteEnv, sharingGroupAllowed: (id: number) => boolean): ObjectBuildContext {
  return {
    matrix: env.typeMatrix, templates: env.objectTemplates, now: ctx.now, sharingGroupAllowed,
    defaultDistribution: defaultAttributeDistribution(ctx.settings.get('MISP.default_attribute_distribution')),
  };
}

/**
 * Whether `published: true` in an add or edit body is kept (Event::_add / _edit): only with perm_publish, and never
 * for non-sync users under MISP.block_publishing_for_same_creator (four-eyes publishing, spec §4.6).
 */
export function keepsPublishedFlag(ctx: RequestContext, creatorUserId: number): boolean {
  const p = ctx.actor.role.perms;
  const sameCreator = creatorUserId === ctx.actor.user.id;
  if (ctx.settings.bool('MISP.block_publishing_for_same_creator') && !p.perm_sync && sameCreator) return false;
  return ctx.actor.isSiteAdmin || p.perm_publish;
}
