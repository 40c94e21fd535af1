/**
 * A feed definition (spec §1.4, §7): where to fetch events or indicators from and what to do with them.
 * `rules`, `settings` and `headers` stay the JSON/text strings MISP stores and returns.
 */
export interface Feed {
  readonly id: number;
  readonly name: string;
  readonly provider: string;
  readonly url: string;
  readonly rules: string | null;
  readonly enabled: boolean;
  readonly distribution: number;
  readonly sharingGroupId: number;
  readonly tagId: number;
  readonly isDefault: boolean;
  readonly sourceFormat: string;
  readonly fixedEvent: boolean;
  readonly deltaMerge: boolean;
  readonly eventId: number;
  readonly publish: boolean;
  readonly overrideIds: boolean;
  readonly settings: string | null;
  readonly inputSource: string;
  readonly deleteLocalFile: boolean;
  readonly lookupVisible: boolean;
  readonly headers: string | null;
  readonly cachingEnabled: boolean;
  readonly forceToIds: boolean;
  readonly orgcId: number;
  readonly tagCollectionId: number;
}

export type NewFeed = Omit<Feed, 'id'>;
