import type { RequestContext } from '../context.js';
import type { TagInput } from '../misp-format/event-input.js';
import type { Stores } from '../ports/stores.js';
import type { TagLinkInput } from '../ports/tag-store.js';
import { mayUseTag, newTagsHidden } from '../tags/tag-access.js';

/** Lower-cased tag name → tag id, for every name of a request that may be attached. */
export type CapturedTags = ReadonlyMap<string, number>;

/**
 * Tag::captureTag for every tag name of one request at once (spec §2.5): names match case-insensitively; unknown
 * names are created only for perm_tag_editor users (otherwise silently dropped, as MISP does); tags restricted to
 * another organisation or user are dropped. One lookup, then one insert per new tag.
 */
export async function captureTags(ctx: RequestContext, stores: Stores, inputs: Iterable<TagInput>): Promise<CapturedTags> {
  const byName = new Map<string, TagInput>();
  for (const t of inputs) if (!byName.has(t.name.toLowerCase())) byName.set(t.name.toLowerCase(), t);
  const out = new Map<string, number>();
  if (byName.size === 0) return out;
  const existing = await stores.tags.findByNames([...byName.values()].map((t) => t.name));
  const mayCreate = ctx.actor.isSiteAdmin || ctx.actor.role.perms.perm_tag_editor;
  for (const [lower, input] of byName) {
    const tag = existing.get(lower);
    if (tag) {
      if (mayUseTag(ctx, tag)) out.set(lower, tag.id);
    } else if (mayCreate) {
      const created = await stores.tags.create({
        name: input.name, hideTag: newTagsHidden(ctx), ...(input.colour ? { colour: input.colour } : {}),
      });
      out.set(lower, created.id);
    }
  }
  return out;
}

/** The captured subset of `tags` as link rows (uncaptured names are dropped). */
export function tagLinks(tags: readonly TagInput[], captured: CapturedTags): TagLinkInput[] {
  const links: TagLinkInput[] = [];
  for (const t of tags) {
    const tagId = captured.get(t.name.toLowerCase());
    if (tagId !== undefined) links.push({ tagId, local: t.local, relationshipType: t.relationshipType });
  }
  return links;
}
