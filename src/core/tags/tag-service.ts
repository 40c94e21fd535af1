import type { RequestContext } from '../context.js';
import { notAllowed, notFound } from '../errors.js';
import type { Tag } from '../model/event.js';
import type { Stores } from '../ports/stores.js';
import type { TagCountViewer, TagFilter } from '../ports/tag-store.js';
import { newTagsHidden, sharingGroupIdsOf } from './tag-access.js';
import { readTagFields } from './tag-input.js';

/**
 * Tags administration and lookup: TagsController add/edit/delete/index/view/search (spec §3.4). Writers expect
 * `stores` bound to a transaction (the route opens it).
 */

export type TagWithCounts = Tag & { count: number; attributeCount: number };

const parseId = (raw: string | undefined): number | undefined => (raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined);

/**
 * tags/add: a tag whose name already exists (case-insensitively — names are unique that way here) is returned
 * unchanged, as MISP's REST add does, also when another request creates it at the same moment. New tags get MISP's
 * name-derived colour when none is given.
 */
export async function createTag(ctx: RequestContext, stores: Stores, body: unknown): Promise<Tag> {
  const fields = readTagFields(body);
  if (!fields.name) throw notAllowed('Could not add the Tag. [name]: This field is required.');
  const name = fields.name;
  return stores.tags.findOrCreate({ hideTag: newTagsHidden(ctx), ...fields, name });
}

/** tags/edit/{id} (site admin): partial update; a rename onto another tag's name fails MISP's unique rule. */
export async function editTag(_ctx: RequestContext, stores: Stores, rawId: string | undefined, body: unknown): Promise<Tag> {
  const id = parseId(rawId);
  if (id === undefined) throw notFound(rawId === undefined ? 'No ID set.' : 'Invalid tag');
  const fields = readTagFields(body);
  if (!(await stores.tags.findById(id))) throw notFound('Invalid tag');
  if (fields.name !== undefined) {
    const clash = (await stores.tags.findByNames([fields.name])).get(fields.name.toLowerCase());
    if (clash && clash.id !== id) throw notAllowed('Could not add the Tag. [name]: A similar name already exists.');
  }
  const updated = await stores.tags.update(id, fields);
  if (!updated) throw notFound('Invalid tag');
  return updated;
}

/** tags/delete/{id} (site admin): removes the tag and every event/attribute link to it. */
export async function deleteTag(_ctx: RequestContext, stores: Stores, rawId: string | undefined): Promise<number> {
  const id = parseId(rawId);
  if (id === undefined) throw notFound('Invalid tag');
  if (!(await stores.tags.delete(id))) throw notFound('Invalid tag');
  return id;
}

/** The ACL-aware counting viewer (EventTag::countForTags($ids, $user)); undefined for site admins. */
async function countViewer(ctx: RequestContext, stores: Stores): Promise<TagCountViewer | undefined> {
  if (ctx.actor.isSiteAdmin) return undefined;
  return {
    orgId: ctx.actor.org.id,
    sharingGroupIds: await sharingGroupIdsOf(ctx, stores),
    unpublishedPrivate: ctx.settings.bool('MISP.unpublishedprivate'),
  };
}

export interface TagIndexQuery {
  /** `searchall`: case-insensitive substring of the name. */
  readonly searchall?: string;
  /** `name` / `filter` / `search`: case-insensitive exact name. */
  readonly exactName?: string;
}

/**
 * tags/index: every tag ordered by name with `count` (events) and `attribute_count` the actor can see. Like
 * MISP, the list itself is not narrowed by org/user restrictions or hide_tag.
 */
export async function indexTags(ctx: RequestContext, stores: Stores, q: TagIndexQuery): Promise<TagWithCounts[]> {
  const filter: TagFilter = {};
  if (q.searchall) filter.search = `%${q.searchall}%`;
  if (q.exactName) filter.names = [q.exactName];
  return stores.tags.listWithCounts(filter, await countViewer(ctx, stores));
}

/** tags/view/{id}: the bare tag with counts; unknown ids answer MISP's 405 "Invalid Tag". */
export async function viewTag(ctx: RequestContext, stores: Stores, rawId: string | undefined): Promise<TagWithCounts> {
  const id = parseId(rawId);
  if (id === undefined) throw notAllowed('Invalid Tag');
  const [tag] = await stores.tags.listWithCounts({ ids: [id] }, await countViewer(ctx, stores));
  if (!tag) throw notAllowed('Invalid Tag');
  return tag;
}

export interface TagSearchQuery {
  readonly terms: readonly string[];
  /** Exact (case-insensitive) names or numeric ids instead of LIKE patterns. */
  readonly strict: boolean;
}

/**
 * tags/search: non-strict terms are case-insensitive LIKE patterns (`%` for substrings, as PyMISP documents);
 * strict terms are ids or exact names. Galaxy-cluster synonyms are not consulted yet.
 */
export async function searchTags(_ctx: RequestContext, stores: Stores, q: TagSearchQuery): Promise<Tag[]> {
  const terms = q.terms.map((t) => t.trim()).filter((t) => t !== '');
  if (terms.length === 0) return [];
  if (!q.strict) return stores.tags.find({ likeAny: terms });
  const ids = terms.filter((t) => /^\d+$/.test(t)).map(Number);
  const names = terms.filter((t) => !/^\d+$/.test(t));
  const found = new Map<number, Tag>();
  if (ids.length) for (const t of await stores.tags.find({ ids })) found.set(t.id, t);
  if (names.length) for (const t of await stores.tags.find({ names })) found.set(t.id, t);
  return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id));
}
