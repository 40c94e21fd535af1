import type { NoticelistDetail } from './noticelist-model.js';

/**
 * Which notices an attribute triggers (Noticelist::getTriggerData, spec §9.2): an enabled list's notice applies
 * when its scope includes `attribute`, one of its fields is `category` or `type`, and the attribute's value of
 * that field is among the notice's values. MISP only shows these in its attribute form; nothing enforces them.
 */
export interface NoticeHit {
  readonly listId: number;
  readonly listName: string;
  /** The attribute field that triggered (`category` or `type`) and its value. */
  readonly field: 'category' | 'type';
  readonly value: string;
  /** The notice text per language (`{"en": "..."}`). */
  readonly message: Readonly<Record<string, string>>;
  readonly tags: readonly string[];
}

const ATTRIBUTE_FIELDS = ['category', 'type'] as const;

export function noticesForAttribute(
  lists: readonly NoticelistDetail[], attribute: { readonly category?: string; readonly type?: string },
): NoticeHit[] {
  const hits: NoticeHit[] = [];
  for (const list of lists) {
    if (!list.enabled) continue;
    for (const { data } of list.entries) {
      if (!data.scope?.includes('attribute')) continue;
      for (const field of ATTRIBUTE_FIELDS) {
        const value = attribute[field];
        if (value === undefined || !data.field?.includes(field) || !data.value?.includes(value)) continue;
        hits.push({ listId: list.id, listName: list.name, field, value, message: data.message ?? {}, tags: data.tags ?? [] });
      }
    }
  }
  return hits;
}
