import { type ExpressionBuilder, type Kysely, type RawBuilder, type Selectable, sql, type SqlBool } from 'kysely';
import { CUSTOM_GALAXY_TAG_RE, GALAXY_TAG_RE } from '../../core/galaxies/galaxy-model.js';
import type { Tag, TagLink } from '../../core/model/event.js';
import type {
  AttributeTagLinkInput, EventTagLinkInput, NewTag, TagCountViewer, TagFilter, TagLinkInput, TaggableEvent, TagStore,
} from '../../core/ports/tag-store.js';
import { defaultTagColour } from '../../core/tags/tag-colour.js';
import type { Database, EventsTable, TagsTable } from '../db-schema.js';
import { type ArrayRow, arrayRows, rowCodec } from '../array-rows.js';
import { bulkInsert, type BulkColumn, type Dialect, intIn, uuidIs } from '../dialect.js';
import { chunks } from '../chunks.js';

const b = (v: number | null | undefined): boolean => v === 1;
const i = (v: boolean | undefined): number => (v ? 1 : 0);

const EVENT_TAG_COLUMNS: readonly BulkColumn[] = [
  { name: 'event_id', type: 'int4' }, { name: 'tag_id', type: 'int4' }, { name: 'local', type: 'int4' }, { name: 'relationship_type', type: 'text' },
];
const ATTRIBUTE_TAG_COLUMNS: readonly BulkColumn[] = [
  { name: 'attribute_id', type: 'int4' }, { name: 'event_id', type: 'int4' }, { name: 'tag_id', type: 'int4' },
  { name: 'local', type: 'int4' }, { name: 'relationship_type', type: 'text' },
];

export function toTag(r: Selectable<TagsTable>): Tag {
  return {
    id: r.id, name: r.name, colour: r.colour, exportable: b(r.exportable), orgId: r.org_id, userId: r.user_id,
    hideTag: b(r.hide_tag), numericalValue: r.numerical_value === null ? null : Number(r.numerical_value),
    isGalaxy: b(r.is_galaxy), isCustomGalaxy: b(r.is_custom_galaxy), localOnly: b(r.local_only),
  };
}

/** Every column of `tags`, for the array-row link reads below. */
export const TAG_ROW = rowCodec<Selectable<TagsTable>>([
  'id', 'name', 'name_lower', 'colour', 'exportable', 'org_id', 'user_id', 'hide_tag', 'numerical_value', 'is_galaxy',
  'is_custom_galaxy', 'local_only',
]);

/**
 * Tag links of many events or attributes as array rows (array-rows.ts): `link id, owner id, local,
 * relationship_type`, then the tag's columns. A tag attached many times is mapped once per call.
 */
function groupLinks(rows: readonly ArrayRow[], into: Map<number, TagLink[]>): void {
  const tags = new Map<number, Tag>();
  for (const r of rows) {
    const tagId = r[4] as number;
    let tag = tags.get(tagId);
    if (!tag) tags.set(tagId, (tag = toTag(TAG_ROW.fromArray(r, 4))));
    const link: TagLink = { linkId: r[0] as number, tag, local: b(r[2] as number), relationshipType: (r[3] as string | null) ?? '' };
    const owner = r[1] as number;
    const list = into.get(owner);
    if (list) list.push(link);
    else into.set(owner, [link]);
  }
}

function toTaggableEvent(r: Pick<Selectable<EventsTable>, 'id' | 'uuid' | 'org_id' | 'orgc_id' | 'user_id' | 'distribution'
  | 'sharing_group_id' | 'published' | 'publish_timestamp' | 'timestamp' | 'locked'>): TaggableEvent {
  return {
    id: r.id, uuid: r.uuid, orgId: r.org_id, orgcId: r.orgc_id, userId: r.user_id, distribution: r.distribution,
    sharingGroupId: r.sharing_group_id, published: b(r.published), publishTimestamp: Number(r.publish_timestamp),
    timestamp: Number(r.timestamp), locked: b(r.locked),
  };
}

/** Tag columns narrowed by a TagFilter (names are matched on `name_lower`, the lower-cased copy). */
function applyFilter(eb: ExpressionBuilder<Database & { t: TagsTable }, 't'>, f: TagFilter) {
  const and = [];
  if (f.search !== undefined) and.push(eb('t.name_lower', 'like', f.search.toLowerCase()));
  if (f.names) and.push(f.names.length ? eb('t.name_lower', 'in', f.names.map((n) => n.toLowerCase())) : sql<boolean>`1 = 0`);
  if (f.likeAny) and.push(f.likeAny.length ? eb.or(f.likeAny.map((p) => eb('t.name_lower', 'like', p.toLowerCase()))) : sql<boolean>`1 = 0`);
  if (f.ids) and.push(f.ids.length ? eb('t.id', 'in', [...f.ids]) : sql<boolean>`1 = 0`);
  if (f.usableBy) {
    and.push(eb('t.org_id', 'in', [0, f.usableBy.orgId]));
    and.push(eb('t.user_id', 'in', [0, f.usableBy.userId]));
  }
  if (f.hideTag !== undefined) and.push(eb('t.hide_tag', '=', i(f.hideTag)));
  if (f.isGalaxy !== undefined) and.push(eb('t.is_galaxy', '=', i(f.isGalaxy)));
  return eb.and(and);
}

/**
 * MISP orders tags by `name` under a binary collation. PostgreSQL's locale collation would order differently from
 * SQLite's, so the order is applied here, by UTF-16 code unit (binary for every BMP name), identically on both.
 */
const byName = (a: { name: string; id: number }, b: { name: string; id: number }): number =>
  (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id);

const sgList = (ids: readonly number[]): number[] => (ids.length ? [...ids] : [-1]);

/** Event visibility (spec §4.2) over alias `e`. */
function eventVisible(eb: ExpressionBuilder<any, any>, v: TagCountViewer) {
  const pub = v.unpublishedPrivate ? [eb('e.published', '=', 1)] : [];
  return eb.or([
    eb('e.org_id', '=', v.orgId),
    eb.and([eb('e.distribution', 'in', [1, 2, 3]), ...pub]),
    eb.and([eb('e.distribution', '=', 4), eb('e.sharing_group_id', 'in', sgList(v.sharingGroupIds)), ...pub]),
  ]);
}

/** The element test of spec §4.3 for the child alias `c` of event `e`. */
function childVisible(eb: ExpressionBuilder<any, any>, v: TagCountViewer, c: 'a' | 'o') {
  return eb.or([
    eb('e.org_id', '=', v.orgId),
    eb(`${c}.distribution`, 'in', [1, 2, 3, 5]),
    eb.and([eb(`${c}.distribution`, '=', 4), eb(`${c}.sharing_group_id`, 'in', sgList(v.sharingGroupIds))]),
  ]);
}

/**
 * Attribute visibility inside a visible event over aliases `a`, `e` and the left-joined object `o`: the attribute
 * test and, inside an object, the object test (MispAttribute::buildConditions, spec §4.3).
 */
function attributeVisible(eb: ExpressionBuilder<any, any>, v: TagCountViewer) {
  return eb.and([
    childVisible(eb, v, 'a'),
    eb.or([eb('a.object_id', '=', 0), eb.and([eb('o.id', 'is not', null), childVisible(eb, v, 'o')])]),
  ]);
}

export function createTagStore(db: Kysely<Database>, dialect: Dialect): TagStore {
  /** Ids per statement when the query binds one parameter per id. */
  const idChunk = Math.max(1, dialect.maxParams - 10);

  const tagSelect = () => db.selectFrom('tags as t').selectAll('t');

  const insertEventTagLinks = async (links: readonly EventTagLinkInput[]): Promise<void> => {
    if (links.length === 0) return;
    await bulkInsert(dialect, db, 'event_tags', EVENT_TAG_COLUMNS,
      links.map((l) => [l.eventId, l.tagId, i(l.local), l.relationshipType ?? '']));
  };

  /** The links of `table` whose rows satisfy `where` (alias `l`), by owner (`owner` column), in link order. */
  async function links(table: 'event_tags' | 'attribute_tags', owner: 'event_id' | 'attribute_id', where: RawBuilder<SqlBool>, into = new Map<number, TagLink[]>()) {
    groupLinks(await arrayRows(db, sql`select l.id, ${sql.ref(`l.${owner}`)}, l.local, l.relationship_type, ${TAG_ROW.select('t')}
      from ${sql.table(table)} l inner join tags t on t.id = l.tag_id where ${where} order by l.id`), into);
    return into;
  }

  /** The links of many events or attributes; the ids travel as one parameter (`intIn`), so the statement stays prepared. */
  async function linksOf(table: 'event_tags' | 'attribute_tags', owner: 'event_id' | 'attribute_id', column: 'event_id' | 'attribute_id', ids: readonly number[]) {
    const out = new Map<number, TagLink[]>();
    for (const part of chunks([...new Set(ids)], 10_000)) await links(table, owner, intIn(dialect, sql.ref(`l.${column}`), part), out);
    return out;
  }

  function newTagRow(tag: NewTag) {
    return {
      name: tag.name, name_lower: tag.name.toLowerCase(), colour: tag.colour ?? defaultTagColour(tag.name),
      exportable: i(tag.exportable ?? true), org_id: tag.orgId ?? 0, user_id: tag.userId ?? 0, hide_tag: i(tag.hideTag),
      numerical_value: tag.numericalValue ?? null,
      // Tag::beforeValidate: the galaxy flags follow the name (misp-galaxy:<type>="<value>") unless given.
      is_galaxy: i(tag.isGalaxy ?? GALAXY_TAG_RE.test(tag.name)), is_custom_galaxy: i(tag.isCustomGalaxy ?? CUSTOM_GALAXY_TAG_RE.test(tag.name)),
      local_only: i(tag.localOnly),
    };
  }

  function tagValues(patch: Partial<NewTag>) {
    const v: Partial<Omit<Selectable<TagsTable>, 'id'>> = {};
    if (patch.name !== undefined) { v.name = patch.name; v.name_lower = patch.name.toLowerCase(); }
    if (patch.colour !== undefined) v.colour = patch.colour;
    if (patch.exportable !== undefined) v.exportable = i(patch.exportable);
    if (patch.orgId !== undefined) v.org_id = patch.orgId;
    if (patch.userId !== undefined) v.user_id = patch.userId;
    if (patch.hideTag !== undefined) v.hide_tag = i(patch.hideTag);
    if (patch.numericalValue !== undefined) v.numerical_value = patch.numericalValue;
    if (patch.isGalaxy !== undefined) v.is_galaxy = i(patch.isGalaxy);
    if (patch.isCustomGalaxy !== undefined) v.is_custom_galaxy = i(patch.isCustomGalaxy);
    if (patch.localOnly !== undefined) v.local_only = i(patch.localOnly);
    return v;
  }

  return {
    async findById(id) {
      const r = await db.selectFrom('tags').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toTag(r);
    },

    async findByNames(names) {
      const out = new Map<string, Tag>();
      const lowered = [...new Set(names.map((n) => n.toLowerCase()))];
      for (const part of chunks(lowered, idChunk)) {
        const rows = await db.selectFrom('tags').selectAll().where('name_lower', 'in', part).execute();
        for (const r of rows) out.set(r.name_lower, toTag(r));
      }
      return out;
    },

    async find(filter) {
      const rows = await tagSelect().where((eb) => applyFilter(eb, filter)).execute();
      return rows.map(toTag).sort(byName);
    },

    async create(tag) {
      const r = await db.insertInto('tags').values(newTagRow(tag)).returningAll().executeTakeFirstOrThrow();
      return toTag(r);
    },

    async findOrCreate(tag) {
      const row = newTagRow(tag);
      // on PostgreSQL a conflicting insert of an open transaction waits for it, then does nothing if it committed
      const inserted = await db.insertInto('tags').values(row).onConflict((oc) => oc.column('name_lower').doNothing())
        .returningAll().executeTakeFirst();
      return toTag(inserted ?? await tagSelect().where('t.name_lower', '=', row.name_lower).executeTakeFirstOrThrow());
    },

    async createMany(tags) {
      const out: Tag[] = [];
      for (const part of chunks(tags.map(newTagRow), Math.max(1, Math.floor(dialect.maxParams / 12)))) {
        if (part.length) out.push(...(await db.insertInto('tags').values(part).returningAll().execute()).map(toTag));
      }
      return out;
    },

    async updateMany(ids, patch) {
      const values = tagValues(patch);
      if (ids.length === 0 || Object.keys(values).length === 0) return;
      for (const part of chunks([...ids], idChunk)) await db.updateTable('tags').set(values).where('id', 'in', part).execute();
    },

    async update(id, patch) {
      const values = tagValues(patch);
      if (Object.keys(values).length > 0) await db.updateTable('tags').set(values).where('id', '=', id).execute();
      const r = await db.selectFrom('tags').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toTag(r);
    },

    async delete(id) {
      // Explicit child deletes: the declared FK cascade does nothing on a SQLite connection opened without
      // foreign_keys = ON (e.g. an operator's sqlite3 shell), and links must never outlive their tag.
      await db.deleteFrom('event_tags').where('tag_id', '=', id).execute();
      await db.deleteFrom('attribute_tags').where('tag_id', '=', id).execute();
      const r = await db.deleteFrom('tags').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },

    async listWithCounts(filter, viewer) {
      const rows = await db.selectFrom('tags as t').selectAll('t')
        .select((eb) => [
          eb.selectFrom('event_tags as et').innerJoin('events as e', 'e.id', 'et.event_id')
            .whereRef('et.tag_id', '=', 't.id')
            .where((w) => (viewer ? eventVisible(w, viewer) : w.and([])))
            .select((s) => s.fn.countAll().as('n')).as('event_count'),
          eb.selectFrom('attribute_tags as at').innerJoin('attributes as a', 'a.id', 'at.attribute_id')
            .innerJoin('events as e', 'e.id', 'at.event_id').leftJoin('objects as o', 'o.id', 'a.object_id')
            .whereRef('at.tag_id', '=', 't.id')
            .where('a.deleted', '=', 0)
            .where((w) => (viewer ? w.and([eventVisible(w, viewer), attributeVisible(w, viewer)]) : w.and([])))
            .select((s) => s.fn.countAll().as('n')).as('attribute_count'),
        ])
        .where((eb) => applyFilter(eb, filter))
        .execute();
      return rows.map((r) => {
        const { event_count, attribute_count, ...tag } = r;
        return { ...toTag(tag), count: Number(event_count ?? 0), attributeCount: Number(attribute_count ?? 0) };
      }).sort(byName);
    },

    async linkEventTags(eventId, links) {
      const wanted = new Map<number, TagLinkInput>();
      for (const l of links) if (!wanted.has(l.tagId)) wanted.set(l.tagId, l);
      if (wanted.size === 0) return;
      const existing = new Set<number>();
      for (const part of chunks([...wanted.keys()], idChunk)) {
        const rows = await db.selectFrom('event_tags').select('tag_id').where('event_id', '=', eventId).where('tag_id', 'in', part).execute();
        for (const r of rows) existing.add(r.tag_id);
      }
      await insertEventTagLinks([...wanted.values()].filter((l) => !existing.has(l.tagId)).map((l) => ({ ...l, eventId })));
    },

    async linkNewEventTags(links) {
      const wanted = new Map<string, EventTagLinkInput>();
      for (const l of links) {
        const k = `${l.eventId}:${l.tagId}`;
        if (!wanted.has(k)) wanted.set(k, l);
      }
      await insertEventTagLinks([...wanted.values()]);
    },

    async unlinkEventTag(eventId, tagId) {
      const r = await db.deleteFrom('event_tags').where('event_id', '=', eventId).where('tag_id', '=', tagId).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },

    async linkAttributeTags(links, opts) {
      const wanted = new Map<string, AttributeTagLinkInput>();
      for (const l of links) {
        const k = `${l.attributeId}:${l.tagId}`;
        if (!wanted.has(k)) wanted.set(k, l);
      }
      if (wanted.size === 0) return;
      const attributeIds = [...new Set([...wanted.values()].map((l) => l.attributeId))];
      const tagIds = [...new Set([...wanted.values()].map((l) => l.tagId))];
      const existing = new Set<string>();
      // One lookup per chunk of attributes (not per link); tag ids are few per request.
      for (const part of opts?.fresh ? [] : chunks(attributeIds, Math.max(1, idChunk - tagIds.length))) {
        const rows = await db.selectFrom('attribute_tags').select(['attribute_id', 'tag_id'])
          .where('attribute_id', 'in', part).where('tag_id', 'in', tagIds).execute();
        for (const r of rows) existing.add(`${r.attribute_id}:${r.tag_id}`);
      }
      const values = [...wanted.entries()].filter(([k]) => !existing.has(k)).map(([, l]) => [
        l.attributeId, l.eventId, l.tagId, i(l.local), l.relationshipType ?? '',
      ]);
      if (values.length > 0) await bulkInsert(dialect, db, 'attribute_tags', ATTRIBUTE_TAG_COLUMNS, values);
    },

    async unlinkAttributeTag(attributeId, tagId) {
      const r = await db.deleteFrom('attribute_tags').where('attribute_id', '=', attributeId).where('tag_id', '=', tagId).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },

    async eventTagLink(eventId, tagId) {
      return (await links('event_tags', 'event_id', sql<SqlBool>`l.event_id = ${eventId} and l.tag_id = ${tagId}`)).get(eventId)?.[0];
    },

    async attributeTagLink(attributeId, tagId) {
      const where = sql<SqlBool>`l.attribute_id = ${attributeId} and l.tag_id = ${tagId}`;
      return (await links('attribute_tags', 'attribute_id', where)).get(attributeId)?.[0];
    },

    eventTags: (eventIds) => linksOf('event_tags', 'event_id', 'event_id', eventIds),
    attributeTagsOfEvents: (eventIds) => linksOf('attribute_tags', 'attribute_id', 'event_id', eventIds),
    attributeTags: (attributeIds) => linksOf('attribute_tags', 'attribute_id', 'attribute_id', attributeIds),

    async findTaggableEvent(ref) {
      let q = db.selectFrom('events').select(['id', 'uuid', 'org_id', 'orgc_id', 'user_id', 'distribution', 'sharing_group_id',
        'published', 'publish_timestamp', 'timestamp', 'locked']);
      q = 'id' in ref ? q.where('id', '=', ref.id) : q.where('uuid', '=', ref.uuid.toLowerCase());
      const r = await q.executeTakeFirst();
      return r && toTaggableEvent(r);
    },

    async findTaggableAttribute(ref) {
      let q = db.selectFrom('attributes as a').innerJoin('events as e', 'e.id', 'a.event_id')
        .leftJoin('objects as o', 'o.id', 'a.object_id')
        .select([
          'a.id as a_id', 'a.uuid as a_uuid', 'a.event_id as a_event_id', 'a.object_id as a_object_id',
          'a.distribution as a_distribution', 'a.sharing_group_id as a_sharing_group_id', 'a.deleted as a_deleted',
          'a.timestamp as a_timestamp', 'o.distribution as o_distribution', 'o.sharing_group_id as o_sharing_group_id',
          'e.id', 'e.uuid', 'e.org_id', 'e.orgc_id', 'e.user_id', 'e.distribution', 'e.sharing_group_id', 'e.published',
          'e.publish_timestamp', 'e.timestamp', 'e.locked',
        ]);
      q = 'id' in ref ? q.where('a.id', '=', ref.id) : q.where(uuidIs(dialect, sql.ref('a.uuid'), ref.uuid.toLowerCase()));
      const r = await q.executeTakeFirst();
      if (!r) return undefined;
      return {
        id: r.a_id, uuid: r.a_uuid, eventId: r.a_event_id, objectId: r.a_object_id, distribution: r.a_distribution,
        sharingGroupId: r.a_sharing_group_id, deleted: b(r.a_deleted), timestamp: Number(r.a_timestamp),
        objectDistribution: r.o_distribution ?? 0, objectSharingGroupId: r.o_sharing_group_id ?? 0,
        event: toTaggableEvent(r),
      };
    },

    async unpublishEvent(eventId, now) {
      await db.updateTable('events').set({ published: 0, timestamp: now }).where('id', '=', eventId).execute();
    },

    async touchAttribute(attribute, now) {
      await db.updateTable('attributes').set({ timestamp: now }).where('id', '=', attribute.id).execute();
      if (attribute.objectId) await db.updateTable('objects').set({ timestamp: now }).where('id', '=', attribute.objectId).execute();
      await db.updateTable('events').set({ published: 0, timestamp: now }).where('id', '=', attribute.eventId).execute();
    },
  };
}
