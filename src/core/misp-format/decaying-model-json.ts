import type { AttributeDecayScore, DecayingModel, DecayingModelMapping } from '../decaying/decaying-model.js';

/** Decaying models as MISP serialises them (DecayingModel::afterFind decodes parameters, attribute_types and ref). */

type Json = Record<string, unknown>;

export function toMispDecayingModel(m: DecayingModel, extra: { isEditable?: boolean } = {}): Json {
  return {
    id: String(m.id), uuid: m.uuid, name: m.name, parameters: m.parameters, attribute_types: m.attributeTypes,
    description: m.description, org_id: m.orgId === null ? null : String(m.orgId), enabled: m.enabled, all_orgs: m.allOrgs,
    ref: m.ref, formula: m.formula, version: m.version, default: m.isDefault,
    ...(extra.isEditable !== undefined ? { isEditable: extra.isEditable } : {}),
  };
}

export function toMispDecayingModelMapping(x: DecayingModelMapping): Json {
  return { id: String(x.id), attribute_type: x.attributeType, model_id: String(x.modelId) };
}

/**
 * One `decay_score` entry of an attribute (DecayingModel::attachScoresToAttribute): `DecayingModel` is `{id, name}`,
 * or the whole model with `includeFullModel`.
 */
export function toMispAttributeDecayScore(d: AttributeDecayScore): Json {
  return {
    score: d.score, base_score: d.baseScore, decayed: d.decayed,
    DecayingModel: d.fullModel ? toMispDecayingModel(d.model) : { id: String(d.model.id), name: d.model.name },
  };
}
