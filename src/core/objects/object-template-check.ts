import type { ObjectTemplate, ObjectTemplateRegistry } from './object-templates.js';

/**
 * Conformity of an object's attributes with its template (spec §2.11). MISP refuses an object on
 * objects/add when `ObjectTemplate::checkTemplateConformity` fails: a `required` relation is missing, none
 * of `requiredOneOf` is present, or a relation without `multiple` occurs twice. Those are `errors`, in
 * MISP's order, and `errors[0].message` is the exact text MISP answers with.
 *
 * MISP does not refuse relations the template does not know or attributes whose type differs from the
 * template's `misp-attribute` (PyMISP only logs the first); Cairn reports them as `warnings` so callers can
 * log them without breaking clients that MISP accepts.
 */

export interface ObjectAttributeRef {
  readonly objectRelation: string | null | undefined;
  readonly type: string;
}

export type TemplateIssueKind = 'missingRelation' | 'required' | 'requiredOneOf' | 'multiple' | 'unknownRelation' | 'typeMismatch';

export interface TemplateIssue {
  readonly kind: TemplateIssueKind;
  /** The object relation concerned; absent for requiredOneOf and missing relations. */
  readonly relation?: string;
  readonly message: string;
}

export interface TemplateConformity {
  /** Problems MISP refuses the object for; empty when the object conforms. */
  readonly errors: readonly TemplateIssue[];
  /** Problems MISP accepts; worth logging, never a reason to refuse. */
  readonly warnings: readonly TemplateIssue[];
}

const MULTIPLE_MESSAGE =
  'Could not save the object as a unique relationship within the object was assigned to more than one attribute. This is only allowed if the multiple flag is set in the object template.';

function countRelations(attributes: readonly ObjectAttributeRef[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const a of attributes) {
    if (a.objectRelation) counts.set(a.objectRelation, (counts.get(a.objectRelation) ?? 0) + 1);
  }
  return counts;
}

function requirementErrors(template: ObjectTemplate, present: ReadonlyMap<string, number>): TemplateIssue[] {
  const errors: TemplateIssue[] = [];
  for (const relation of template.required) {
    if (!present.has(relation)) {
      errors.push({
        kind: 'required', relation,
        message: `Could not save the object as a required attribute is not set (${relation})`,
      });
    }
  }
  if (template.requiredOneOf.length > 0 && !template.requiredOneOf.some((r) => present.has(r))) {
    errors.push({
      kind: 'requiredOneOf',
      message: `Could not save the object as it requires at least one of the following attributes to be set: ${template.requiredOneOf.join(', ')}`,
    });
  }
  for (const [relation, element] of template.attributes) {
    if (!element.multiple && (present.get(relation) ?? 0) > 1) {
      errors.push({ kind: 'multiple', relation, message: MULTIPLE_MESSAGE });
    }
  }
  return errors;
}

function attributeWarnings(template: ObjectTemplate, attributes: readonly ObjectAttributeRef[]): TemplateIssue[] {
  const warnings: TemplateIssue[] = [];
  const reported = new Set<string>();
  for (const { objectRelation: relation, type } of attributes) {
    if (!relation || reported.has(relation)) continue;
    const element = template.attributes.get(relation);
    if (!element) {
      reported.add(relation);
      warnings.push({
        kind: 'unknownRelation', relation,
        message: `The template (${template.name}) doesn't have the object_relation (${relation}) you're trying to add.`,
      });
    } else if (element.type !== type) {
      reported.add(relation);
      warnings.push({
        kind: 'typeMismatch', relation,
        message: `The attribute with object_relation ${relation} has type ${type}, the template (${template.name}) expects ${element.type}.`,
      });
    }
  }
  return warnings;
}

/**
 * Checks an object's attributes against its template.
 *
 * @example
 * const { errors } = checkObjectAgainstTemplate(registry.byName('domain-ip')!, [{ objectRelation: 'text', type: 'text' }]);
 * errors[0]?.message // 'Could not save the object as it requires at least one of the following attributes to be set: ip, domain, hostname'
 */
export function checkObjectAgainstTemplate(
  template: ObjectTemplate,
  attributes: readonly ObjectAttributeRef[],
): TemplateConformity {
  // MISP validates each attribute before the template, so an attribute without relation is reported first.
  const errors: TemplateIssue[] = attributes.some((a) => !a.objectRelation)
    ? [{ kind: 'missingRelation', message: 'Object attribute sent, but no object_relation set.' }]
    : [];
  errors.push(...requirementErrors(template, countRelations(attributes)));
  return { errors, warnings: attributeWarnings(template, attributes) };
}

/**
 * The template MISP would check an object against: the one with the object's `template_uuid` and
 * `template_version` (ObjectsController::add). Cairn holds only the data pack's current version of each
 * template, so an object made from an older or newer version is, as in MISP without that version, not checked.
 */
export function templateForObject(
  registry: ObjectTemplateRegistry,
  templateUuid: string | null | undefined,
  templateVersion: string | number | null | undefined,
): ObjectTemplate | undefined {
  if (!templateUuid || templateVersion === null || templateVersion === undefined || templateVersion === '') return undefined;
  const template = registry.byUuid(templateUuid);
  return template && template.version === Number(templateVersion) ? template : undefined;
}
