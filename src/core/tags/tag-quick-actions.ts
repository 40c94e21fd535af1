import type { RequestContext } from '../context.js';
import { notFound } from '../errors.js';
import type { Tag } from '../model/event.js';
import type { Stores } from '../ports/stores.js';
import { taxonomyConflict } from '../taxonomies/taxonomy-service.js';
import { parseRef } from '../util/uuid.js';
import { canModifyTag, mayUseTag, usableBy, visibleAttribute, visibleEvent } from './tag-access.js';

/**
 * events/addTag, events/removeTag, attributes/addTag, attributes/removeTag (EventsController / AttributesController,
 * spec §3.1–§3.2). Unlike tags/attachTagToObject these answer MISP's "ajax-style" bodies with HTTP 200:
 * `{"saved": true, "success": "...", "check_publish": true}` or `{"saved": false, "errors": "..."}`.
 * They use canModifyTag (spec §4.5); invisible events/attributes read exactly like absent ones. Run them in a
 * transaction.
 */

export type AjaxReply =
  | { saved: true; success: string; check_publish: boolean }
  | { saved: false; errors: string };

const fail = (errors: string): AjaxReply => ({ saved: false, errors });

/** PHP's `__n(singular, plural, n)` with `%s` replaced by n. */
const plural = (n: number, one: string, many: string): string => (n === 1 ? one : many).replace('%s', String(n));

/**
 * RequestRearrangeTool as these actions configure it: `{"request": …}` and `{"Event"|"Attribute": …}` wrappers are
 * flattened, `tag_id` reads as `tag`, `<scope>_id` and `id` as `<scope>`.
 */
export function rearrangeTagBody(body: unknown, scope: 'event' | 'attribute'): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
  let b = body as Record<string, unknown>;
  if (b.request && typeof b.request === 'object') b = b.request as Record<string, unknown>;
  const wrapper = scope === 'event' ? 'Event' : 'Attribute';
  if (b[wrapper] && typeof b[wrapper] === 'object') b = { ...b, ...(b[wrapper] as Record<string, unknown>) };
  const out: Record<string, unknown> = { ...b };
  if (b.tag_id !== undefined && out.tag === undefined) out.tag = b.tag_id;
  for (const k of [`${scope}_id`, 'id']) if (b[k] !== undefined && out[scope] === undefined) out[scope] = b[k];
  return out;
}

type TagChoice = { ids: string[] } | { error: string };

/**
 * The `tag` argument: an id, a JSON list of ids, `collection_<id>` (tag collections are not supported yet, so
 * "Invalid Tag Collection."), or a name resolved case-insensitively among tags the actor may use.
 */
async function resolveTagChoice(ctx: RequestContext, stores: Stores, raw: unknown): Promise<TagChoice> {
  if (Array.isArray(raw)) return { ids: raw.map((v) => String(v)) };
  const s = String(raw ?? '').trim();
  if (/^\d+$/.test(s)) return { ids: [s] };
  if (/^collection_\d+$/i.test(s)) return { error: 'Invalid Tag Collection.' };
  if (s.startsWith('[')) {
    try {
      const list = JSON.parse(s) as unknown;
      if (Array.isArray(list)) {
        if (list.some((v) => /^collection_\d+$/i.test(String(v)))) return { error: 'Invalid Tag Collection.' };
        return { ids: list.map((v) => String(v)) };
      }
    } catch {
      // not JSON: a tag name
    }
  }
  const tag = (await stores.tags.findByNames([s])).get(s.toLowerCase());
  if (!tag || !mayUseTag(ctx, tag)) return { error: 'Invalid Tag.' };
  return { ids: [String(tag.id)] };
}

/** Tags by id among those the actor may use, keyed by the id as given. */
async function usableTags(ctx: RequestContext, stores: Stores, ids: readonly string[]): Promise<Map<string, Tag>> {
  const numeric = ids.filter((id) => /^\d+$/.test(id)).map(Number);
  const found = numeric.length ? await stores.tags.find({ ids: numeric, usableBy: usableBy(ctx) }) : [];
  return new Map(found.map((t) => [String(t.id), t]));
}

function refOf(raw: unknown) {
  return parseRef(typeof raw === 'number' ? raw : String(raw ?? '').trim());
}

export interface AddTagInput {
  readonly target: unknown;
  readonly tag: unknown;
  readonly local: boolean;
}

/** events/addTag[/{event_id}[/{tag}]][/local:1]. */
export async function addTagToEvent(ctx: RequestContext, stores: Stores, input: AddTagInput): Promise<AjaxReply> {
  const ref = refOf(input.target);
  const event = ref && (await visibleEvent(ctx, stores, ref));
  if (!event) return fail('Invalid event.');
  if (!canModifyTag(ctx, event, input.local)) return fail("You don't have permission to do that.");
  const choice = await resolveTagChoice(ctx, stores, input.tag);
  if ('error' in choice) return fail(choice.error);
  if (choice.ids.length === 0) return fail('Nothing to add.');
  const tags = await usableTags(ctx, stores, choice.ids);
  const fails: string[] = [];
  let success = 0;
  // taxonomy exclusivity compares with the event's tags of the same scope (local or global), spec §3.4
  const sameScope = ((await stores.tags.eventTags([event.id])).get(event.id) ?? []).filter((l) => l.local === input.local).map((l) => l.tag.name);
  for (const id of choice.ids) {
    const tag = tags.get(id);
    if (!tag) { fails.push('Tag not found.'); continue; }
    if (await stores.tags.eventTagLink(event.id, tag.id)) { fails.push('Tag is already attached to this event.'); continue; }
    if (await taxonomyConflict(stores, sameScope, tag.name)) { fails.push('Tag is not allowed due to taxonomy exclusivity settings'); continue; }
    if (tag.localOnly && !input.local) { fails.push('Invalid Tag. This tag can only be set as a local tag.'); continue; }
    await stores.tags.linkEventTags(event.id, [{ tagId: tag.id, local: input.local, relationshipType: '' }]);
    sameScope.push(tag.name);
    success++;
  }
  if (success && !input.local) await stores.tags.unpublishEvent(event.id, ctx.now);
  if (success && fails.length === 0) return { saved: true, success: plural(success, 'Tag added.', 'Tags added.'), check_publish: true };
  if (success) {
    const msg = `${plural(success, 'Tag added', '%s tags added')}, but ${fails.length} could not be added: ${fails.join(', ')}`;
    return { saved: true, success: msg, check_publish: true };
  }
  return fail(fails.join(', '));
}

export interface RemoveTagInput {
  readonly target: unknown;
  readonly tag: unknown;
}

async function resolveTagToRemove(stores: Stores, raw: unknown): Promise<Tag | undefined> {
  const s = String(raw ?? '').trim();
  if (s === '') return undefined;
  if (/^\d+$/.test(s)) return (await stores.tags.findById(Number(s))) ?? undefined;
  return (await stores.tags.findByNames([s])).get(s.toLowerCase());
}

/** events/removeTag[/{event_id}[/{tag_id or name}]]. */
export async function removeTagFromEvent(ctx: RequestContext, stores: Stores, input: RemoveTagInput): Promise<AjaxReply> {
  const tag = await resolveTagToRemove(stores, input.tag);
  if (!tag) return fail('Invalid Tag.');
  const ref = refOf(input.target);
  const event = ref && (await visibleEvent(ctx, stores, ref));
  const link = event && (await stores.tags.eventTagLink(event.id, tag.id));
  if (!event || !link) return fail('Invalid event - tag combination.');
  if (!canModifyTag(ctx, event, link.local)) return fail("You don't have permission to do that.");
  await stores.tags.unlinkEventTag(event.id, tag.id);
  if (!link.local) await stores.tags.unpublishEvent(event.id, ctx.now);
  return { saved: true, success: 'Tag removed.', check_publish: !link.local };
}

export interface AddAttributeTagInput extends AddTagInput {
  /** `attribute_ids` (JSON list) when the target is `selected`. */
  readonly attributeIds?: unknown;
}

/** attributes/addTag[/{attribute_id|selected}[/{tag}]][/local:1]. */
export async function addTagToAttributes(ctx: RequestContext, stores: Stores, input: AddAttributeTagInput): Promise<AjaxReply> {
  if (input.target === undefined || input.target === null || input.target === '') throw notFound('Invalid attribute');
  let targets: unknown[] = [input.target];
  if (input.target === 'selected') {
    let list: unknown = input.attributeIds;
    if (typeof list === 'string') {
      try { list = JSON.parse(list); } catch { list = undefined; }
    }
    if (!Array.isArray(list)) throw notFound('Invalid attribute');
    targets = list;
  }
  if (input.tag === undefined || input.tag === null || input.tag === '') throw notFound('Invalid tag');
  const choice = await resolveTagChoice(ctx, stores, input.tag);
  if ('error' in choice) return fail(choice.error);
  const tags = await usableTags(ctx, stores, choice.ids);
  let success = 0;
  let fails = 0;
  for (const raw of targets) {
    const ref = refOf(raw);
    const attribute = ref && (await visibleAttribute(ctx, stores, ref));
    if (!attribute) throw notFound('Invalid attribute');
    if (!canModifyTag(ctx, attribute.event, input.local)) { fails++; continue; }
    let changed = false;
    const sameScope = ((await stores.tags.attributeTags([attribute.id])).get(attribute.id) ?? [])
      .filter((l) => l.local === input.local).map((l) => l.tag.name);
    for (const id of choice.ids) {
      const tag = tags.get(id);
      if (!tag || (await stores.tags.attributeTagLink(attribute.id, tag.id))) { fails++; continue; }
      if (await taxonomyConflict(stores, sameScope, tag.name)) { fails++; continue; }
      sameScope.push(tag.name);
      await stores.tags.linkAttributeTags([{ attributeId: attribute.id, eventId: attribute.eventId, tagId: tag.id, local: input.local, relationshipType: '' }]);
      if (!input.local) changed = true;
      success++;
    }
    if (changed) await stores.tags.touchAttribute(attribute, ctx.now);
  }
  if (fails === 0) return { saved: true, success: plural(success, 'Tag added.', '%s tags added'), check_publish: true };
  let msg = plural(fails, 'Tag could not be added.', '%s tags could not be added.');
  if (success > 0) msg += plural(success, ' However, %s tag was added.', ' However, %s tags were added.');
  return fail(msg);
}

/** attributes/removeTag[/{attribute_id}[/{tag_id or name}]]. */
export async function removeTagFromAttribute(ctx: RequestContext, stores: Stores, input: RemoveTagInput): Promise<AjaxReply> {
  if (input.target === undefined || input.target === null || input.target === '') throw notFound('Invalid attribute');
  if (input.tag === undefined || input.tag === null) throw notFound('Invalid tag');
  const ref = refOf(input.target);
  const attribute = ref && (await visibleAttribute(ctx, stores, ref));
  if (!attribute) throw notFound('Invalid attribute');
  const tag = await resolveTagToRemove(stores, input.tag);
  if (!tag) return fail('Invalid Tag.');
  const link = await stores.tags.attributeTagLink(attribute.id, tag.id);
  if (!canModifyTag(ctx, attribute.event, link?.local ?? false)) return fail('You do not have permission to do that.');
  if (!link) return fail('Invalid attribute - tag combination.');
  await stores.tags.unlinkAttributeTag(attribute.id, tag.id);
  if (!link.local) await stores.tags.touchAttribute(attribute, ctx.now);
  return { saved: true, success: 'Tag removed.', check_publish: !link.local };
}
