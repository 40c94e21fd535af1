/**
 * Object templates from the data packs' `objects/objects/<name>/definition.json` (misp-objects).
 * They drive object validation on objects/add and events/add (spec §2.11: required / requiredOneOf).
 */
export interface ObjectTemplateAttribute {
  readonly objectRelation: string;
  readonly type: string;
  readonly uiPriority: number;
  readonly categories: readonly string[];
  readonly multiple: boolean;
  readonly disableCorrelation: boolean;
  readonly toIds: boolean | undefined;
  readonly saneDefault: readonly string[];
  readonly valuesList: readonly string[];
  readonly description: string;
}

export interface ObjectTemplate {
  readonly uuid: string;
  readonly name: string;
  readonly metaCategory: string;
  readonly description: string;
  readonly version: number;
  readonly required: readonly string[];
  readonly requiredOneOf: readonly string[];
  readonly attributes: ReadonlyMap<string, ObjectTemplateAttribute>;
}

export interface ObjectTemplateRegistry {
  byUuid(uuid: string): ObjectTemplate | undefined;
  byName(name: string): ObjectTemplate | undefined;
  all(): readonly ObjectTemplate[];
}
