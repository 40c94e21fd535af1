import { ACTIVE_AND_DELETED } from '../../core/acl/event-visibility.js';
import { deleteAttribute, editAttribute, restoreAttribute } from '../../core/events/attribute-change.js';
import { addAttributes } from '../../core/events/attribute-write.js';
import { findObjectDetail } from '../../core/events/event-view.js';
import type { EventWriteEnv } from '../../core/events/event-write-env.js';
import { editObject } from '../../core/events/object-edit.js';
import { addObject, deleteObject } from '../../core/events/object-write.js';
import { addReference, deleteReference } from '../../core/events/reference-write.js';
import type { RequestContext } from '../../core/context.js';
import { notFound } from '../../core/errors.js';
import { toMispAttribute, toMispObject, toMispObjectReference } from '../../core/misp-format/event-json.js';
import { readBool } from '../../core/misp-format/scalars.js';
import type { AttributeDetail } from '../../core/model/event.js';
import { type ActionDef, type ActionRequest, controller, success } from '../action.js';
import type { AppDeps } from '../app-deps.js';

/**
 * The write side of the attributes, objects and objectReferences controllers (spec §3.2, §3.3). Handlers read the
 * URL grammar (passed args, `breakOnDuplicate:` / `hard:` named params), call one service and shape MISP's reply.
 */

const ATTRIBUTE_FIELDS = ['category', 'to_ids', 'uuid', 'distribution', 'sharing_group_id', 'timestamp', 'comment', 'data', 'encrypt', 'first_seen', 'last_seen'];

/** PHP truthiness of a path or body flag (`/hard`, `/1`, `/true`, `{"hard": 1}`), so `/0` and `/false` stay soft. */
function truthy(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  return readBool(v) ?? (typeof v === 'string' && v !== '');
}

const hardFlag = (req: ActionRequest): boolean => {
  const body = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>).hard : undefined;
  return truthy(req.passed[1]) || truthy(req.named.hard) || truthy(body);
};

/** attributes/add with one saved attribute: `{Attribute, AttributeTag: [{…, Tag}]}` (MISP's find('first') shape). */
function singleAttributeReply(a: AttributeDetail): Record<string, unknown> {
  return {
    Attribute: toMispAttribute(a),
    AttributeTag: a.tags.map((l) => ({
      id: String(l.linkId), attribute_id: String(a.id), event_id: String(a.eventId), tag_id: String(l.tag.id),
      local: l.local, relationship_type: l.relationshipType,
      Tag: { id: String(l.tag.id), name: l.tag.name, colour: l.tag.colour, numerical_value: l.tag.numericalValue },
    })),
  };
}

export function attributeWriteActions(_deps: AppDeps, env: EventWriteEnv): ActionDef[] {
  return controller('attributes', [
    {
      action: 'add', methods: ['POST'], acl: 'perm_add',
      describe: { description: 'POST a MISP Attribute JSON to this API to create an Attribute.', mandatory: ['value', 'type'], optional: ATTRIBUTE_FIELDS },
      handler: async ({ ctx, passed, named, body }) => {
        if (passed[0] === undefined) throw notFound('No event ID set.');
        const breakOnDuplicate = named.breakOnDuplicate === undefined || truthy(named.breakOnDuplicate);
        const enforceWarninglist = truthy(named.enforceWarninglist);
        const { saved, errors } = await addAttributes(ctx, env, passed[0], body, breakOnDuplicate, { enforceWarninglist });
        const reply = saved.length === 1 ? singleAttributeReply(saved[0]!) : { Attribute: saved.map((a) => toMispAttribute(a)) };
        return Object.keys(errors).length > 0 ? { ...reply, errors } : reply;
      },
    },
    {
      action: 'edit', methods: ['POST'], acl: 'perm_add',
      describe: {
        description: 'POST a MISP Attribute JSON to this API to update an Attribute. If the timestamp is set, it has to be newer than the existing Attribute.',
        mandatory: [], optional: ['value', 'type', ...ATTRIBUTE_FIELDS.filter((f) => f !== 'data'), 'date'],
      },
      handler: async ({ ctx, passed, body }) => ({ Attribute: toMispAttribute(await editAttribute(ctx, env, passed[0], body)) }),
    },
    {
      action: 'delete', methods: ['POST', 'DELETE'], acl: 'perm_add',
      handler: async (req) => {
        await deleteAttribute(req.ctx, env, req.passed[0], hardFlag(req));
        return { message: 'Attribute deleted.' };
      },
    },
    {
      action: 'restore', methods: ['POST'], acl: 'perm_add',
      handler: async ({ ctx, passed }) => ({ Attribute: toMispAttribute(await restoreAttribute(ctx, env, passed[0])) }),
    },
  ]);
}

/** `{Object: {…, Attribute: [...]}}` as objects/add and objects/edit answer, deleted attributes included. */
async function renderObject(ctx: RequestContext, deps: AppDeps, id: number) {
  const found = await findObjectDetail(ctx, deps.storage, { id }, { objectDeleted: ACTIVE_AND_DELETED, deleted: ACTIVE_AND_DELETED });
  if (!found) throw notFound('Invalid object.');
  return { Object: toMispObject(found.object) };
}

export function objectWriteActions(deps: AppDeps, env: EventWriteEnv): ActionDef[] {
  return controller('objects', [
    {
      action: 'add', methods: ['POST'], acl: 'perm_add',
      describe: { description: 'POST a MISP Object JSON, with its Attribute list, to this API to add an Object to an Event.', mandatory: ['name', 'Attribute'], optional: ['meta-category', 'description', 'template_uuid', 'template_version', 'uuid', 'distribution', 'sharing_group_id', 'comment', 'first_seen', 'last_seen'] },
      handler: async ({ ctx, passed, named, body }) => {
        const id = await addObject(ctx, env, passed[0], body, truthy(named.breakOnDuplicate));
        return renderObject(ctx, deps, id);
      },
    },
    {
      action: 'edit', methods: ['POST'], acl: 'perm_add',
      describe: { description: 'POST a MISP Object JSON to this API to update an Object and reconcile its attributes.', mandatory: [], optional: ['comment', 'distribution', 'sharing_group_id', 'template_version', 'first_seen', 'last_seen', 'deleted', 'Attribute'] },
      handler: async ({ ctx, passed, body }) => renderObject(ctx, deps, await editObject(ctx, env, passed[0], body)),
    },
    {
      action: 'delete', methods: ['POST', 'DELETE'], acl: 'perm_add',
      handler: async (req) => {
        const eventId = await deleteObject(req.ctx, env, req.passed[0], hardFlag(req));
        return success('Object deleted', `/objects/delete/${eventId}`, eventId);
      },
    },
  ]);
}

export function referenceWriteActions(_deps: AppDeps, env: EventWriteEnv): ActionDef[] {
  return controller('objectReferences', [
    {
      action: 'add', methods: ['POST'], acl: 'perm_add',
      describe: { description: 'POST an ObjectReference JSON to this API to link an Object to an Attribute or Object of its Event.', mandatory: ['referenced_uuid', 'relationship_type'], optional: ['object_uuid', 'object_id', 'comment'] },
      handler: async ({ ctx, passed, body }) => {
        const ref = await addReference(ctx, env, passed[0], body);
        return { ObjectReference: { ...toMispObjectReference(ref), object_uuid: ref.objectUuid } };
      },
    },
    {
      action: 'delete', methods: ['POST', 'DELETE'], acl: 'perm_add',
      handler: async (req) => {
        const id = await deleteReference(req.ctx, env, req.passed[0], hardFlag(req));
        return success('ObjectReference deleted', `/object_references/delete/${id}`, id);
      },
    },
  ]);
}
