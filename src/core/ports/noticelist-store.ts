import type { Noticelist, NoticelistDef, NoticelistDetail } from '../noticelists/noticelist-model.js';

/** Persistence of noticelists and their entries (spec §1.2, §9.2). */
export interface NoticelistStore {
  /** Ordered by id. */
  list(filter?: { readonly enabled?: boolean; readonly search?: string }): Promise<Noticelist[]>;
  find(id: number): Promise<NoticelistDetail | undefined>;
  /** Lists with entries, ordered by id; `enabled` filters (two queries). */
  listDetailed(filter?: { readonly enabled?: boolean }): Promise<NoticelistDetail[]>;
  /** Inserts a disabled list with its entries; returns its id. */
  insert(def: NoticelistDef): Promise<number>;
  /** Replaces everything but id and enabled. */
  replace(id: number, def: NoticelistDef): Promise<void>;
  setEnabled(id: number, enabled: boolean): Promise<void>;
}
