import type { NoticelistDetail, Noticelist, NoticelistEntry } from '../noticelists/noticelist-model.js';
import type { Taxonomy } from '../taxonomies/taxonomy-model.js';
import type { TaxonomyView } from '../taxonomies/taxonomy-service.js';
import type { WarninglistHit } from '../warninglists/warninglist-matcher.js';
import type { Warninglist, WarninglistDetail, WarninglistSummary } from '../warninglists/warninglist-model.js';
import { toMispTag } from './tag-json.js';

/** Wire shapes of taxonomies, warninglists and noticelists (spec §2.1, §2.12, §3.4, §3.12). */

export function toMispTaxonomy(t: Taxonomy) {
  return {
    id: String(t.id), namespace: t.namespace, description: t.description, version: String(t.version), enabled: t.enabled,
    exclusive: t.exclusive, required: t.required, highlighted: t.highlighted,
  };
}

/** taxonomies/view: `{"Taxonomy": …, "entries": [{tag, expanded, …, existing_tag: false | {"Tag": …}}]}`. */
export function toMispTaxonomyView(v: TaxonomyView) {
  return {
    Taxonomy: toMispTaxonomy(v.taxonomy),
    entries: v.entries.map((e) => ({
      tag: e.tag,
      expanded: e.expanded,
      ...(e.exclusivePredicate !== undefined ? { exclusive_predicate: e.exclusivePredicate } : {}),
      ...(e.description !== undefined ? { description: e.description } : {}),
      ...(e.colour !== undefined ? { colour: e.colour } : {}),
      ...(e.numericalValue !== undefined ? { numerical_value: String(e.numericalValue) } : {}),
      existing_tag: e.existingTag === false ? false : { Tag: toMispTag(e.existingTag) },
    })),
  };
}

export function toMispWarninglist(w: Warninglist) {
  return {
    id: String(w.id), name: w.name, type: w.type, description: w.description, version: String(w.version), enabled: w.enabled,
    default: w.default, category: w.category,
  };
}

/** One row of warninglists/index: the list with `warninglist_entry_count` and `valid_attributes`. */
export function toMispWarninglistSummary(w: WarninglistSummary) {
  return { ...toMispWarninglist(w), warninglist_entry_count: String(w.entryCount), valid_attributes: w.types.join(', ') };
}

/** warninglists/view: entries and types inside the Warninglist object. */
export function toMispWarninglistDetail(w: WarninglistDetail) {
  const id = String(w.id);
  return {
    ...toMispWarninglist(w),
    WarninglistEntry: w.entries.map((e) => ({ id: String(e.id), value: e.value, warninglist_id: id, comment: e.comment })),
    WarninglistType: w.types.map((t) => ({ id: String(t.id), type: t.type, warninglist_id: id })),
  };
}

export function toMispNoticelist(n: Noticelist) {
  return {
    id: String(n.id), name: n.name, expanded_name: n.expandedName, ref: n.ref, geographical_area: n.geographicalArea,
    version: String(n.version), enabled: n.enabled,
  };
}

const toMispNoticelistEntry = (e: NoticelistEntry) => ({ id: String(e.id), noticelist_id: String(e.noticelistId), data: e.data });

/** noticelists/view: entries inside the Noticelist object. */
export function toMispNoticelistDetail(n: NoticelistDetail) {
  return { Noticelist: { ...toMispNoticelist(n), NoticelistEntry: n.entries.map(toMispNoticelistEntry) } };
}

/**
 * An attribute's `warnings` in events/view and restSearch with includeWarninglistHits (Warninglist::
 * attachWarninglistToAttributes, spec §9.1). MISP checks only attributes with `to_ids` unless
 * `MISP.warning_for_all` is on; that choice is the caller's.
 */
export function toMispWarnings(hits: readonly WarninglistHit[]) {
  return hits.map((h) => ({
    value: h.value, match: h.matched, warninglist_id: String(h.warninglistId), warninglist_name: h.warninglistName,
    warninglist_category: h.warninglistCategory,
  }));
}
