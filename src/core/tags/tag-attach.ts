import type { RequestContext } from '../context.js';
import { badRequest, forbidden, notAllowed, notFound, saveFailed } from '../errors.js';
import type { Tag } from '../model/event.js';
import type { Stores } from '../ports/stores.js';
import type { TaggableAttribute, TaggableEvent } from '../ports/tag-store.js';
import { isUuid } from '../util/uuid.js';
import { canModifyTag, isHostOrgUser, newTagsHidden, visibleAttribute, visibleEvent } from './tag-access.js';

/**
 * tags/attachTagToObject and tags/removeTagFromObject (TagsController, spec §3.4): the uuid names an event or
 * an attribute. Global tags may only be changed by the creator org (or a site admin) and unpublish the event
 * (an attribute is "touched": its, its object's and its event's timestamps move, the event is unpublished);
 * local tags only by host-org users, and they leave the event alone (spec §4.6).
 */

type Target =
  | { readonly kind: 'Event'; readonly id: number; readonly event: TaggableEvent }
  | { readonly kind: 'Attribute'; readonly id: number; readonly event: TaggableEvent; readonly attribute: TaggableAttribute };

const ORGC_ONLY = 'Cannot alter the tags of this data, only the organisation that has created the data (orgc) can modify global tags.';
const USE_LOCAL_HINT = 'Please consider using local tags if you are in the host organisation of the instance.';

/**
 * TagsController::__findObjectByUuid: the event with this uuid, else the attribute, among what the actor can
 * see (404 "Invalid Target." otherwise). Changing global tags (`modify`) additionally requires the creator org.
 */
async function findTarget(ctx: RequestContext, stores: Stores, uuid: string, scope: 'view' | 'modify'): Promise<Target> {
  let target: Target | undefined;
  const event = await visibleEvent(ctx, stores, { uuid });
  if (event) target = { kind: 'Event', id: event.id, event };
  else {
    const attribute = await visibleAttribute(ctx, stores, { uuid });
    if (attribute) target = { kind: 'Attribute', id: attribute.id, event: attribute.event, attribute };
  }
  if (!target) throw notFound('Invalid Target.');
  if (scope === 'modify' && !ctx.actor.isSiteAdmin && target.event.orgcId !== ctx.actor.org.id) {
    throw forbidden(isHostOrgUser(ctx) ? `${ORGC_ONLY} ${USE_LOCAL_HINT}` : ORGC_ONLY);
  }
  return target;
}

/** The §4.6 side effect of changing a global tag. */
async function touchTarget(ctx: RequestContext, stores: Stores, target: Target): Promise<void> {
  if (target.kind === 'Event') await stores.tags.unpublishEvent(target.id, ctx.now);
  else await stores.tags.touchAttribute(target.attribute, ctx.now);
}

async function lookupTag(stores: Stores, raw: string): Promise<Tag | undefined> {
  if (/^\d+$/.test(raw)) return stores.tags.findById(Number(raw));
  return (await stores.tags.findByNames([raw])).get(raw.toLowerCase());
}

export interface AttachInput {
  readonly uuid: unknown;
  /** A name, an id, or a list of them. */
  readonly tags: unknown;
  readonly local: boolean;
  readonly relationshipType: string;
}

const isPresent = (v: unknown): boolean => v !== undefined && v !== null && v !== '' && v !== false && v !== 0 && v !== '0'
  && !(Array.isArray(v) && v.length === 0);

function readUuid(raw: unknown): string {
  if (!isPresent(raw)) throw notAllowed('Invalid object uuid');
  if (!isUuid(raw)) throw badRequest('Invalid UUID');
  return raw.toLowerCase();
}

/**
 * Attaches each tag, collecting per-tag failures like MISP: the reply is a success envelope when at least one
 * tag is (or already was) attached — its message names the target as `Event(12)` / `Attribute(34)` — and
 * MISP's 403 "Could not attachTagToObject Tag" envelope with the reasons otherwise. Unknown names are created
 * for perm_tag_editor users. Run it inside a transaction.
 */
export async function attachTagToObject(ctx: RequestContext, stores: Stores, input: AttachInput): Promise<string> {
  const uuid = readUuid(input.uuid);
  if (!isPresent(input.tags)) throw notAllowed('Invalid tag');
  const tags = (Array.isArray(input.tags) ? input.tags : [input.tags]).map((t) => String(t).trim());
  const { local } = input;
  const fails: string[] = [];
  const existingRelations: string[] = [];
  let successes = 0;
  let message = '';
  let target: Target | undefined;
  for (const raw of tags) {
    if (local && !isHostOrgUser(ctx)) {
      fails.push('Local tags can only be added by users of the host organisation.');
      continue;
    }
    target = await findTarget(ctx, stores, uuid, local ? 'view' : 'modify');
    let tag = await lookupTag(stores, raw);
    if (!tag) {
      if (/^\d+$/.test(raw) || raw === '') {
        fails.push('Invalid Tag.');
        continue;
      }
      if (!ctx.actor.isSiteAdmin && !ctx.actor.role.perms.perm_tag_editor) {
        fails.push('Tag not found and insufficient privileges to create it.');
        continue;
      }
      tag = await stores.tags.findOrCreate({ name: raw, hideTag: newTagsHidden(ctx) });
    }
    if (!ctx.actor.isSiteAdmin) {
      if (tag.orgId !== 0 && tag.orgId !== ctx.actor.org.id) {
        fails.push('Invalid Tag. This tag can only be set by a fixed organisation.');
        continue;
      }
      if (tag.userId !== 0 && tag.userId !== ctx.actor.user.id) {
        fails.push('Invalid Tag. This tag can only be set by a fixed user.');
        continue;
      }
    }
    if (tag.localOnly && !local) {
      fails.push('Invalid Tag. This tag can only be set as a local tag.');
      continue;
    }
    const already = target.kind === 'Event'
      ? await stores.tags.eventTagLink(target.id, tag.id)
      : await stores.tags.attributeTagLink(target.id, tag.id);
    if (already) {
      message = `${target.kind} already has the requested tag attached, no changes had to be made for tag ${tag.name}.`;
      existingRelations.push(tag.name);
      successes++;
      continue;
    }
    const link = { tagId: tag.id, local, relationshipType: input.relationshipType };
    if (target.kind === 'Event') await stores.tags.linkEventTags(target.id, [link]);
    else await stores.tags.linkAttributeTags([{ ...link, attributeId: target.id, eventId: target.event.id }]);
    if (!local) await touchTarget(ctx, stores, target);
    message = `${local ? 'Local' : 'Global'} tag ${tag.name}(${tag.id}) successfully attached to ${target.kind}(${target.id}).`;
    successes++;
  }
  // PHP's json_encode($fails, JSON_FORCE_OBJECT): {"0":"reason",...}
  const failedMessage = `Failed to attach ${fails.length} tags. Reasons: ${JSON.stringify({ ...fails })}`;
  if (successes === 0 || !target) throw saveFailed('Could not attachTagToObject Tag', failedMessage);
  if (successes > 1) {
    message = `Successfully attached ${successes} tags to ${target.kind} (${target.id})`;
    if (existingRelations.length) {
      message += `. ${target.id} already has the requested tag attached, no changes had to be made for tags ${JSON.stringify(existingRelations)}.`;
    }
  }
  return fails.length ? `${message}\n${failedMessage}` : message;
}

export interface DetachInput {
  readonly uuid: unknown;
  readonly tag: unknown;
}

/**
 * Detaches one tag (by id or case-insensitive name). Removing a global tag needs the creator org; a local one
 * canModifyTag with the local flag (host-org users may). Returns MISP's success message. Run it in a transaction.
 */
export async function removeTagFromObject(ctx: RequestContext, stores: Stores, input: DetachInput): Promise<string> {
  const uuid = readUuid(input.uuid);
  if (!isPresent(input.tag)) throw notAllowed('Invalid tag');
  const tag = await lookupTag(stores, String(input.tag).trim());
  if (!tag) throw notAllowed('Invalid Tag.');
  let target = await findTarget(ctx, stores, uuid, 'view');
  const link = target.kind === 'Event'
    ? await stores.tags.eventTagLink(target.id, tag.id)
    : await stores.tags.attributeTagLink(target.id, tag.id);
  if (!link) throw notFound(`Could not remove tag as it is not attached to the target ${target.kind}`);
  if (!link.local) target = await findTarget(ctx, stores, uuid, 'modify');
  else if (!canModifyTag(ctx, target.event, true)) {
    throw forbidden('Insufficient privileges to remove local tags from events you do not own.');
  }
  if (target.kind === 'Event') await stores.tags.unlinkEventTag(target.id, tag.id);
  else await stores.tags.unlinkAttributeTag(target.id, tag.id);
  if (!link.local) await touchTarget(ctx, stores, target);
  return `${link.local ? 'Local' : 'Global'} tag ${tag.name} (${tag.id}) successfully removed from ${target.kind}(${target.id}).`;
}
