import type { Attribute, MispEvent, OrgSummary } from './event.js';

/** One element of an event's `RelatedEvent` list (spec §2.2): a visible event sharing a value with this one. */
export interface RelatedEventSummary {
  readonly event: MispEvent;
  readonly org: OrgSummary;
  readonly orgc: OrgSummary;
}

/** One element of an attribute's `RelatedAttribute` list (spec §5.5, `includeGranularCorrelations`). */
export interface RelatedAttributeLink {
  readonly attributeId: number;
  readonly eventId: number;
  readonly value: string;
  /** Creator org of the related event (MISP names it `org_id`). */
  readonly orgcId: number;
  readonly info: string;
  readonly date: string;
  /** The related attribute and its event, for attribute-scope searches (`includeCorrelations`). */
  readonly attribute?: Attribute;
  readonly event?: MispEvent;
}
