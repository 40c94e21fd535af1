import type { Stores } from '../ports/stores.js';
import { isUuid } from '../util/uuid.js';
import { filterId, NO_ROW } from '../misp-format/scalars.js';
import type { RestSearchRequest } from './rest-search-request.js';
import type { SearchQuery, TagCriteria, Terms } from './search-query.js';

/**
 * Turns the names of a restSearch request into ids (spec §3.14): `org` by id, name or uuid (`Event::set_filter_org`),
 * `tags` by id or by name with MISP's case-insensitive LIKE (`Tag::findTagIdsByTagNames`), and the tags a
 * `searchall` pattern names. Unknown positive names become NO_ROW so that they match nothing, unknown negative ones
 * are dropped, as MISP does.
 */

type Deps = Pick<Stores, 'identity' | 'tags'>;

async function orgId(stores: Deps, piece: string): Promise<number | undefined> {
  if (/^\d+$/.test(piece)) return filterId(Number(piece));
  const org = isUuid(piece)
    ? await stores.identity.findOrganisation({ uuid: piece.toLowerCase() }) ?? await stores.identity.findOrganisation({ name: piece })
    : await stores.identity.findOrganisation({ name: piece });
  return org?.id;
}

async function resolveOrgs(stores: Deps, t: Terms<string>): Promise<Terms<number>> {
  const ids = (list: readonly string[]) => Promise.all(list.map((p) => orgId(stores, p)));
  const [or, and, not] = await Promise.all([ids(t.or), ids(t.and), ids(t.not)]);
  return {
    or: or.map((id) => id ?? NO_ROW),
    and: and.map((id) => id ?? NO_ROW),
    not: not.filter((id): id is number => id !== undefined),
  };
}

/** The ids of the tags one list of names/ids stands for: numeric pieces as ids, the rest matched with LIKE. */
async function tagIds(stores: Deps, names: readonly string[]): Promise<number[]> {
  const ids = names.filter((n) => /^\d+$/.test(n)).map((n) => filterId(Number(n)));
  const patterns = names.filter((n) => !/^\d+$/.test(n));
  if (patterns.length) ids.push(...(await stores.tags.find({ likeAny: patterns })).map((t) => t.id));
  return [...new Set(ids)];
}

async function resolveTags(stores: Deps, t: Terms<string>, eventOnly: boolean): Promise<TagCriteria> {
  const [or, not, and] = await Promise.all([
    t.or.length ? tagIds(stores, t.or) : [],
    t.not.length ? tagIds(stores, t.not) : [],
    Promise.all(t.and.map((name) => tagIds(stores, [name]))),
  ]);
  return {
    or: t.or.length && or.length === 0 ? [NO_ROW] : or,
    // Tag::fetchTagIdsSimple: if one AND-ed tag is unknown the whole query matches nothing.
    and: and.map((ids) => (ids.length ? ids : [NO_ROW])),
    not,
    eventOnly,
  };
}

export async function resolveSearchQuery(stores: Deps, request: RestSearchRequest): Promise<SearchQuery> {
  const f = request.filters;
  const [orgcIds, tags, wildcardTags] = await Promise.all([
    f.orgs ? resolveOrgs(stores, f.orgs) : undefined,
    f.tags ? resolveTags(stores, f.tags, f.tagsEventOnly) : undefined,
    f.wildcard !== undefined ? stores.tags.find({ likeAny: [f.wildcard] }).then((ts) => ts.map((t) => t.id)) : [],
  ]);
  return {
    event: { ...f.event, ...(orgcIds ? { orgcIds } : {}) },
    attribute: f.attribute,
    object: f.object,
    ...(tags ? { tags } : {}),
    ...(f.uuids ? { uuids: f.uuids } : {}),
    ...(f.wildcard !== undefined ? { wildcard: { pattern: f.wildcard, tagIds: wildcardTags } } : {}),
    deleted: f.deleted,
    deletedRequested: f.deletedRequested,
  };
}
