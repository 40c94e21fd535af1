/**
 * Noticelists (spec §1.2, §9.2): legal/privacy notices shown when an attribute of some category or type is
 * entered (e.g. GDPR for `Person`). Read from misp-noticelist's `lists/<name>/list.json`.
 */

/** One `notice` item of a list.json, stored verbatim as JSON in noticelist_entries.data. */
export interface NoticeData {
  readonly scope?: readonly string[];
  readonly field?: readonly string[];
  readonly value?: readonly string[];
  readonly tags?: readonly string[];
  readonly message?: Readonly<Record<string, string>>;
  readonly [key: string]: unknown;
}

export interface NoticelistDef {
  readonly name: string;
  readonly expandedName: string;
  readonly ref: readonly unknown[];
  readonly geographicalArea: readonly unknown[];
  readonly version: number;
  readonly notices: readonly NoticeData[];
}

export interface Noticelist {
  readonly id: number;
  readonly name: string;
  readonly expandedName: string;
  readonly ref: unknown;
  readonly geographicalArea: unknown;
  readonly version: number;
  readonly enabled: boolean;
}

export interface NoticelistEntry {
  readonly id: number;
  readonly noticelistId: number;
  readonly data: NoticeData;
}

export interface NoticelistDetail extends Noticelist {
  readonly entries: readonly NoticelistEntry[];
}
