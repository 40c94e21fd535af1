import type { Organisation } from '../model/organisation.js';
import type { StoredObjectTemplate, StoredObjectTemplateElement } from '../ports/object-template-store.js';

/** Object templates as MISP serialises them (ObjectTemplate / ObjectTemplateElement afterFind, spec §2.1). */

type Json = Record<string, unknown>;

export function toMispObjectTemplate(t: StoredObjectTemplate): Json {
  return {
    id: String(t.id), user_id: String(t.userId), org_id: String(t.orgId), uuid: t.uuid, name: t.name,
    'meta-category': t.metaCategory, description: t.description, version: String(t.version),
    requirements: t.requirements, fixed: t.fixed, active: t.active,
  };
}

export function toMispObjectTemplateElement(e: StoredObjectTemplateElement): Json {
  return {
    id: String(e.id), object_template_id: String(e.objectTemplateId), object_relation: e.objectRelation, type: e.type,
    'ui-priority': String(e.uiPriority), categories: e.categories, sane_default: e.saneDefault, values_list: e.valuesList,
    description: e.description, disable_correlation: e.disableCorrelation, multiple: e.multiple,
  };
}

/** The `Organisation` MISP contains with only id, name and uuid (nulls when the template has no organisation). */
export function templateOrganisation(o: Organisation | undefined): Json {
  return o ? { id: String(o.id), name: o.name, uuid: o.uuid } : { id: null, name: null, uuid: null };
}
