/**
 * Decaying models (spec §1.2, §3.12): how an indicator's score falls from its base score to 0 over `lifetime`
 * days. Default models come from the misp-decaying-models pack.
 */
export interface DecayingModelParameters {
  /** Days until the score reaches 0. */
  readonly lifetime: number;
  readonly decay_speed: number;
  /** Below it the indicator counts as decayed. */
  readonly threshold: number;
  readonly default_base_score: number;
  /** Taxonomy (tag base name) → weight in the base score. */
  readonly base_score_config?: Readonly<Record<string, number>>;
  readonly [other: string]: unknown;
}

export interface DecayingModel {
  readonly id: number;
  readonly uuid: string | null;
  readonly name: string;
  readonly parameters: DecayingModelParameters;
  readonly attributeTypes: readonly string[];
  readonly description: string;
  readonly orgId: number | null;
  readonly enabled: boolean;
  readonly allOrgs: boolean;
  readonly ref: readonly string[] | null;
  readonly formula: string;
  readonly version: string;
  readonly isDefault: boolean;
}

export interface DecayingModelMapping {
  readonly id: number;
  readonly attributeType: string;
  readonly modelId: number;
}

/**
 * One entry of an attribute's `decay_score` list (DecayingModel::attachScoresToAttribute): the score under one
 * model at the time of the request, and whether it fell under the model's threshold.
 */
export interface AttributeDecayScore {
  /** The model as scored (with any restSearch overrides applied). */
  readonly model: DecayingModel;
  readonly score: number;
  readonly baseScore: number;
  readonly decayed: boolean;
  /** `includeFullModel`: the entry carries the whole model instead of its id and name. */
  readonly fullModel: boolean;
}
