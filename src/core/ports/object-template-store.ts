/**
 * Object templates as stored by objectTemplates/update (ObjectTemplate::update, spec §3.3). Every imported version
 * is a row of its own; only the newest of a uuid is `active`.
 */
export interface StoredObjectTemplate {
  readonly id: number;
  readonly userId: number;
  readonly orgId: number;
  readonly uuid: string;
  readonly name: string;
  readonly metaCategory: string;
  readonly description: string;
  readonly version: number;
  /** `{required?, requiredOneOf?}`; MISP stores `[]` when a template has neither. */
  readonly requirements: Readonly<Record<string, readonly string[]>> | readonly [];
  readonly fixed: boolean;
  readonly active: boolean;
}

export interface StoredObjectTemplateElement {
  readonly id: number;
  readonly objectTemplateId: number;
  readonly objectRelation: string;
  readonly type: string;
  readonly uiPriority: number;
  readonly categories: readonly string[];
  readonly saneDefault: readonly string[];
  readonly valuesList: readonly string[];
  readonly description: string;
  readonly disableCorrelation: boolean | null;
  readonly multiple: boolean;
}

export type NewObjectTemplate = Omit<StoredObjectTemplate, 'id' | 'active'>;
export type NewObjectTemplateElement = Omit<StoredObjectTemplateElement, 'id' | 'objectTemplateId'>;

export interface ObjectTemplateStore {
  /** Ordered by id. `search`: case-insensitive substring of uuid, name, meta-category or description. */
  list(filter?: { readonly active?: boolean; readonly search?: string }): Promise<StoredObjectTemplate[]>;
  /** By id; by uuid the highest version. */
  find(ref: { readonly id: number } | { readonly uuid: string }): Promise<StoredObjectTemplate | undefined>;
  /** Elements of these templates keyed by template id, in insertion order. */
  elements(templateIds: readonly number[]): Promise<Map<number, StoredObjectTemplateElement[]>>;
  /** The highest stored version per uuid. */
  latestVersions(): Promise<Map<string, number>>;
  /** Inserts an inactive template; returns its id. */
  insert(template: NewObjectTemplate): Promise<number>;
  /** Inserts inactive templates in bulk; returns their ids in input order. */
  insertMany(templates: readonly NewObjectTemplate[]): Promise<number[]>;
  /** Batch insert of elements for several templates. */
  insertElements(rows: readonly (NewObjectTemplateElement & { readonly objectTemplateId: number })[]): Promise<void>;
  /** Activates these templates and deactivates every other version of their uuids (ObjectTemplate::setActive). */
  activateLatest(ids: readonly number[]): Promise<void>;
  setActive(id: number, active: boolean): Promise<void>;
}
