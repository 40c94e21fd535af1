import { readBool } from '../../core/misp-format/scalars.js';
import { toMispTag } from '../../core/misp-format/tag-json.js';
import { attachTagToObject, removeTagFromObject } from '../../core/tags/tag-attach.js';
import {
  addTagToAttributes, addTagToEvent, rearrangeTagBody, removeTagFromAttribute, removeTagFromEvent,
} from '../../core/tags/tag-quick-actions.js';
import { createTag, deleteTag, editTag, indexTags, searchTags, type TagWithCounts, viewTag } from '../../core/tags/tag-service.js';
import { type ActionDef, type ActionRequest, controller, success } from '../action.js';
import type { AppDeps } from '../app-deps.js';

/** Tags (spec §3.4) plus the tag actions of the events and attributes controllers (spec §3.1, §3.2). */

const bodyObject = (body: unknown): Record<string, unknown> =>
  body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};

/** A parameter from the named params, the query string or the body (MISP's `_harvestParameters`). */
function param(req: ActionRequest, name: string): string | undefined {
  const v = req.named[name] ?? req.query[name] ?? bodyObject(req.body)[name];
  const one = Array.isArray(v) ? v[0] : v;
  return one === undefined || one === null || one === '' ? undefined : String(one);
}

const withCounts = (t: TagWithCounts) => ({ ...toMispTag(t), favourite: false, count: t.count, attribute_count: t.attributeCount });

/** `tags/search` terms: `tag`, PyMISP's `tagname`, else every posted value (MISP treats the body as terms). */
function searchQuery(req: ActionRequest): { terms: string[]; strict: boolean } {
  let b = bodyObject(req.body);
  if (b.Tag && typeof b.Tag === 'object') b = bodyObject(b.Tag);
  const list = (v: unknown): string[] => (Array.isArray(v) ? v : [v]).filter((x) => typeof x === 'string' || typeof x === 'number').map(String);
  let strict = readBool(req.passed[1]) ?? false;
  let terms: string[];
  if (req.passed[0] !== undefined) terms = [req.passed[0]];
  else if (b.tag !== undefined && b.tag !== '') terms = list(b.tag);
  else if ('tagname' in b) {
    terms = list(b.tagname);
    strict = readBool(b.strict_tagname) ?? strict;
  } else terms = Object.values(b).flatMap(list);
  return { terms, strict };
}

export function tagsActions(deps: AppDeps): ActionDef[] {
  const tx = deps.storage.transaction.bind(deps.storage);
  return [
    ...controller('tags', [
      {
        action: 'index', methods: ['GET', 'POST'], acl: '*',
        handler: async (req) => {
          const exactName = param(req, 'name') ?? param(req, 'filter') ?? param(req, 'search');
          const tags = await indexTags(req.ctx, deps.storage, { searchall: param(req, 'searchall'), exactName });
          const exclude = readBool(param(req, 'exclude_statistics')) === true;
          return { Tag: tags.map((t) => (exclude ? { ...toMispTag(t), favourite: false } : withCounts(t))) };
        },
      },
      {
        action: 'view', methods: ['GET'], acl: '*',
        handler: async (req) => {
          const t = await viewTag(req.ctx, deps.storage, req.passed[0]);
          return { ...toMispTag(t), count: t.count, attribute_count: t.attributeCount };
        },
      },
      {
        action: 'add', methods: ['POST'], acl: 'perm_tag_editor',
        describe: {
          description: 'POST a Tag object in JSON format to this API to create a new tag.',
          mandatory: ['name'], optional: ['colour', 'exportable', 'hide_tag', 'org_id', 'user_id'],
        },
        handler: async (req) => ({ Tag: toMispTag(await tx((s) => createTag(req.ctx, s, req.body))) }),
      },
      {
        action: 'edit', methods: ['POST', 'PUT'], acl: 'SA',
        describe: {
          description: 'POST or PUT a Tag object in JSON format to this API to create a edit an existing tag.',
          mandatory: [], optional: ['name', 'colour', 'exportable', 'hide_tag', 'org_id', 'user_id'],
        },
        handler: async (req) => ({ Tag: toMispTag(await tx((s) => editTag(req.ctx, s, req.passed[0], req.body))) }),
      },
      {
        action: 'delete', methods: ['POST', 'DELETE'], acl: 'SA',
        handler: async (req) => {
          const id = await tx((s) => deleteTag(req.ctx, s, req.passed[0]));
          return { name: 'Tag deleted.', message: 'Tag deleted.', url: `${req.ctx.baseUrl}/tags/delete/${id}` };
        },
      },
      {
        action: 'search', methods: ['GET', 'POST'], acl: '*',
        handler: async (req) => (await searchTags(req.ctx, deps.storage, searchQuery(req))).map((t) => ({ Tag: toMispTag(t) })),
      },
      {
        action: 'attachTagToObject', methods: ['POST'], acl: 'perm_tagger',
        handler: async (req) => {
          const b = bodyObject(req.body);
          const local = readBool(req.passed[2]) || readBool(b.local) || false;
          const relationshipType = typeof b.relationship_type === 'string' ? b.relationship_type : '';
          const message = await tx((s) => attachTagToObject(req.ctx, s, {
            uuid: req.passed[0] ?? b.uuid, tags: req.passed[1] ?? b.tag, local, relationshipType,
          }));
          return success(message, '/tags/attachTagToObject');
        },
      },
      {
        action: 'removeTagFromObject', methods: ['POST'], acl: 'perm_tagger',
        describe: { description: 'Untag an event or attribute. Tag can be the id or the name.', mandatory: ['uuid', 'tag'], optional: [] },
        handler: async (req) => {
          const b = bodyObject(req.body);
          const message = await tx((s) => removeTagFromObject(req.ctx, s, { uuid: req.passed[0] ?? b.uuid, tag: req.passed[1] ?? b.tag }));
          return success(message, '/tags/removeTagFromObject');
        },
      },
    ]),
    ...controller('events', [
      {
        action: 'addTag', methods: ['POST'], acl: 'perm_tagger',
        handler: async (req) => {
          const b = rearrangeTagBody(req.body, 'event');
          const local = readBool(param(req, 'local')) ?? false;
          return tx((s) => addTagToEvent(req.ctx, s, { target: req.passed[0] ?? b.event, tag: req.passed[1] ?? b.tag, local }));
        },
      },
      {
        action: 'removeTag', methods: ['POST'], acl: 'perm_tagger',
        handler: async (req) => {
          const b = rearrangeTagBody(req.body, 'event');
          return tx((s) => removeTagFromEvent(req.ctx, s, { target: req.passed[0] ?? b.event, tag: req.passed[1] ?? b.tag }));
        },
      },
    ]),
    ...controller('attributes', [
      {
        action: 'addTag', methods: ['POST'], acl: 'perm_tagger',
        handler: async (req) => {
          const b = rearrangeTagBody(req.body, 'attribute');
          const local = readBool(param(req, 'local')) ?? false;
          return tx((s) => addTagToAttributes(req.ctx, s, {
            target: req.passed[0] ?? b.attribute, tag: req.passed[1] ?? b.tag, local, attributeIds: b.attribute_ids,
          }));
        },
      },
      {
        action: 'removeTag', methods: ['POST'], acl: 'perm_tagger',
        handler: async (req) => {
          const b = rearrangeTagBody(req.body, 'attribute');
          return tx((s) => removeTagFromAttribute(req.ctx, s, { target: req.passed[0] ?? b.attribute, tag: req.passed[1] ?? b.tag }));
        },
      },
    ]),
  ];
}
