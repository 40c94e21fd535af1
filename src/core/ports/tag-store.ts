import type { Tag, TagLink } from '../model/event.js';

export interface NewTag {
  name: string;
  colour?: string;
  exportable?: boolean;
  orgId?: number;
  userId?: number;
  hideTag?: boolean;
  numericalValue?: number | null;
  isGalaxy?: boolean;
  isCustomGalaxy?: boolean;
  localOnly?: boolean;
}

export interface TagLinkInput {
  readonly tagId: number;
  readonly local: boolean;
  readonly relationshipType: string;
}

export interface AttributeTagLinkInput extends TagLinkInput {
  readonly attributeId: number;
  readonly eventId: number;
}

/**
 * Persistence of tags and their links to events and attributes (spec §1.1, §2.5).
 * Names are unique case-insensitively (Tag::captureTag matches them that way).
 */
export interface TagStore {
  findById(id: number): Promise<Tag | undefined>;
  /** Case-insensitive lookup of many names at once; the map is keyed by lower-cased name. */
  findByNames(names: readonly string[]): Promise<Map<string, Tag>>;
  create(tag: NewTag): Promise<Tag>;
  update(id: number, patch: Partial<NewTag>): Promise<Tag | undefined>;
  delete(id: number): Promise<boolean>;
  /** Every tag with how many events and attributes use it (tags/index). */
  listWithCounts(filter: { search?: string; names?: readonly string[] }): Promise<Array<Tag & { count: number; attributeCount: number }>>;
  linkEventTags(eventId: number, links: readonly TagLinkInput[]): Promise<void>;
  unlinkEventTag(eventId: number, tagId: number): Promise<boolean>;
  linkAttributeTags(links: readonly AttributeTagLinkInput[]): Promise<void>;
  unlinkAttributeTag(attributeId: number, tagId: number): Promise<boolean>;
  /** Tags of these events, keyed by event id. */
  eventTags(eventIds: readonly number[]): Promise<Map<number, TagLink[]>>;
  /** Tags of every attribute of these events, keyed by attribute id (one query, no N+1). */
  attributeTagsOfEvents(eventIds: readonly number[]): Promise<Map<number, TagLink[]>>;
  /** Tags of these attributes, keyed by attribute id. */
  attributeTags(attributeIds: readonly number[]): Promise<Map<number, TagLink[]>>;
}
