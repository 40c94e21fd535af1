import type { RequestContext } from '../context.js';
import type { TagInput } from '../misp-format/event-input.js';
import type { Stores } from '../ports/stores.js';
import type { TagLinkInput } from '../ports/tag-store.js';
import { mayUseTag, newTagsHidden } from '../tags/tag-access.js';
import { isValidTagColour } from '../tags/tag-colour.js';

/** Lower-cased tag name → tag id, for every name of a request that may be attached. */
export type CapturedTags = ReadonlyMap<string, number>;

/**
 * Tag::captureTag for every tag name of one request at once (spec §2.5): names match case-insensitively; unknown
 * names are created only for perm_tag_editor users (otherwise silently dropped, as MISP does); tags restricted to
 * another organisation or user are dropped. One lookup, then one insert per new tag.
 */
export async function captureTags(ctx: RequestContext, stores: Stores, inputs: Iterable<TagInput>): Promise<CapturedTags> {
  const byName = new Map<string, TagInput>();
  for (const t of inputs) {
    const lower = t.name.toLowerCase();
    // a name sent both ways is wanted attached: the attached copy decides whether it may be created
    if (!byName.has(lower) || byName.get(lower)!.deleted) byName.set(lower, t);
  }
  const out = new Map<string, number>();
  if (byName.size === 0) return out;
  const existing = await stores.tags.findByNames([...byName.values()].map((t) => t.name));
  const mayCreate = ctx.actor.isSiteAdmin || ctx.actor.role.perms.perm_tag_editor;
  for (const [lower, input] of byName) {
    const tag = existing.get(lower);
    if (tag) {
      if (mayUseTag(ctx, tag)) out.set(lower, tag.id);
    } else if (mayCreate && !input.deleted) {
      const created = await stores.tags.findOrCreate({
        name: input.name, hideTag: newTagsHidden(ctx), ...(input.colour && isValidTagColour(input.colour) ? { colour: input.colour } : {}),
      });
      // a request that created the name first may have restricted it
      if (mayUseTag(ctx, created)) out.set(lower, created.id);
    }
  }
  return out;
}

/** The captured subset of `tags` to attach, as link rows (uncaptured names and deleted tags are left out). */
export function tagLinks(tags: readonly TagInput[], captured: CapturedTags): TagLinkInput[] {
  const links: TagLinkInput[] = [];
  for (const t of tags) {
    const tagId = captured.get(t.name.toLowerCase());
    if (tagId !== undefined && !t.deleted) links.push({ tagId, local: t.local, relationshipType: t.relationshipType });
  }
  return links;
}

/** Ids of the tags an edit sends as deleted, to detach (EventTag::handleEventTag, AttributeTag::handleAttributeTag). */
export function tagsToDetach(tags: readonly TagInput[], captured: CapturedTags): number[] {
  return tags.flatMap((t) => {
    const tagId = t.deleted ? captured.get(t.name.toLowerCase()) : undefined;
    return tagId === undefined ? [] : [tagId];
  });
}
