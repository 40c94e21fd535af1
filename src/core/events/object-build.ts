import type { AttachmentSource } from '../attachments/attachment-payload.js';
import type { ObjectInput, ReferenceInput, TagInput } from '../misp-format/event-input.js';
import type { FieldErrors } from '../misp-format/input-readers.js';
import { Distribution } from '../model/event.js';
import { checkObjectAgainstTemplate, templateForObject } from '../objects/object-template-check.js';
import type { ObjectTemplate, ObjectTemplateRegistry } from '../objects/object-templates.js';
import type { NewAttribute, NewObject } from '../ports/event-write-store.js';
import { newUuid } from '../util/uuid.js';
import { type AttributeBuildContext, buildNewAttribute } from './attribute-build.js';

export interface ObjectBuildContext extends AttributeBuildContext {
  readonly templates: ObjectTemplateRegistry;
}

/** Marks an attribute row whose object id is known only after the object is inserted. */
export const PENDING_OBJECT = -1;

/** A new object ready to insert: its row, its attribute rows (object id pending) and its references. */
export interface ObjectPlan {
  readonly row: NewObject;
  readonly attributes: readonly { readonly row: NewAttribute; readonly tags: readonly TagInput[]; readonly attachment?: AttachmentSource }[];
  readonly references: readonly ReferenceInput[];
}

export type BuiltObject = { readonly ok: true; readonly plan: ObjectPlan } | { readonly ok: false; readonly error: string | FieldErrors };

export interface ObjectBuildOptions {
  /**
   * objects/add (MispObject::saveObject) refuses an object it cannot tie to a template; events/add and events/edit
   * (captureObject) store whatever the client describes.
   */
  readonly requireTemplateInfo: boolean;
  /** objects/add copies the object's first_seen/last_seen onto attributes that have none. */
  readonly inheritSeen: boolean;
}

const TEMPLATE_FIELDS = ['name', 'meta-category', 'description', 'template_version', 'template_uuid'] as const;

/** The exact template (uuid + version), else — for clients that sent no template reference — the one named like the object. */
function findTemplate(reg: ObjectTemplateRegistry, input: ObjectInput): ObjectTemplate | undefined {
  const exact = templateForObject(reg, input.templateUuid, input.templateVersion);
  if (exact || input.templateUuid) return exact;
  return input.name ? reg.byName(input.name) : undefined;
}

function attributeFailure(relation: string | undefined, errors: unknown): string {
  return `Could not save object as at least one attribute has failed validation (${relation ?? 'No object_relation'}). ${JSON.stringify(errors)}`;
}

/**
 * Validates a new object and its attributes (spec §2.11): every attribute must be valid (one bad attribute refuses
 * the object, ObjectsController::add), the template's required / requiredOneOf / multiple rules must hold when the
 * template is known, and distribution 4 needs a usable sharing group.
 */
export function buildNewObject(b: ObjectBuildContext, input: ObjectInput, eventId: number, opts: ObjectBuildOptions): BuiltObject {
  for (const a of input.attributes) {
    if (!a.ok) return { ok: false, error: attributeFailure(undefined, a.errors) };
  }
  const attrs = input.attributes.flatMap((a) => (a.ok ? [a.value] : []));
  if (attrs.length === 0 && opts.requireTemplateInfo) return { ok: false, error: 'Could not save the object as no attributes were set.' };
  if (!input.name) return { ok: false, error: { name: ['Name cannot be empty.'] } };
  const template = findTemplate(b.templates, input);
  if (template) {
    const conformity = checkObjectAgainstTemplate(template, attrs.map((a) => ({ objectRelation: a.objectRelation, type: a.type ?? '' })));
    if (conformity.errors.length > 0) return { ok: false, error: conformity.errors[0]!.message };
  }
  const fields = {
    name: input.name,
    'meta-category': input.metaCategory ?? template?.metaCategory,
    description: input.description ?? template?.description,
    template_version: input.templateVersion ?? (template ? String(template.version) : undefined),
    template_uuid: input.templateUuid ?? template?.uuid,
  };
  const missing = TEMPLATE_FIELDS.find((f) => fields[f] === undefined);
  if (opts.requireTemplateInfo && missing) {
    return { ok: false, error: { template: [`No valid template found and object lacking template information. (${missing})`] } };
  }
  const distribution = input.distribution ?? Distribution.Inherit;
  let sharingGroupId = 0;
  if (distribution === Distribution.SharingGroup) {
    if (!input.sharingGroupId || !b.sharingGroupAllowed(input.sharingGroupId)) return { ok: false, error: 'Invalid sharing group choice.' };
    sharingGroupId = input.sharingGroupId;
  }
  const row: NewObject = {
    uuid: input.uuid ?? newUuid(), eventId, name: input.name, metaCategory: fields['meta-category'] ?? '',
    description: fields.description ?? '', templateUuid: fields.template_uuid ?? null,
    templateVersion: fields.template_version || '1', timestamp: input.timestamp ?? b.now, distribution, sharingGroupId,
    comment: input.comment ?? '', deleted: input.deleted ?? false,
    firstSeen: input.firstSeen ?? null, lastSeen: input.lastSeen ?? null,
  };
  const attributes: { row: NewAttribute; tags: readonly TagInput[]; attachment: AttachmentSource }[] = [];
  for (const a of attrs) {
    const seen = opts.inheritSeen
      ? { firstSeen: a.firstSeen ?? row.firstSeen, lastSeen: a.lastSeen ?? row.lastSeen }
      : {};
    const built = buildNewAttribute(b, { ...a, ...seen, ...(row.deleted ? { deleted: true } : {}) }, { eventId, objectId: PENDING_OBJECT });
    if (!built.ok) return { ok: false, error: attributeFailure(a.objectRelation, built.errors) };
    attributes.push({ row: built.row, tags: a.tags, attachment: a });
  }
  return { ok: true, plan: { row, attributes, references: input.references } };
}

/**
 * The attribute multiset MISP compares for breakOnDuplicate (MispObject::checkForDuplicateObjects): two objects of
 * one template are duplicates when their live attributes have the same (value, type, category, relation) counts.
 */
export function objectSignature(attrs: readonly Pick<NewAttribute, 'type' | 'category' | 'value1' | 'value2' | 'objectRelation' | 'deleted'>[]): string {
  return attrs.filter((a) => !a.deleted)
    .map((a) => JSON.stringify([a.value1, a.value2, a.type, a.category, a.objectRelation]))
    .sort().join('\n');
}
