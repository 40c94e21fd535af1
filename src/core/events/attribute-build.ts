import { createHash } from 'node:crypto';
import type { FieldErrors } from '../misp-format/input-readers.js';
import type { AttributeInput } from '../misp-format/event-input.js';
import { Distribution, type Attribute } from '../model/event.js';
import type { NewAttribute } from '../ports/event-write-store.js';
import { newUuid } from '../util/uuid.js';
import { checkAttribute } from '../attributes/attribute-validation.js';
import { isCompositeType } from '../attributes/composite.js';
import type { TypeMatrix } from '../attributes/describe-types.js';

/**
 * Turns parsed attribute input into rows to store: MISP's `beforeValidateMassage` defaults, the type/category/value
 * validation of attribute-validation.ts, distribution and sharing-group rules, and — for edits — the
 * "recover fields" merge of MispAttribute::editAttribute (absent fields keep their stored value).
 */
export interface AttributeBuildContext {
  readonly matrix: TypeMatrix;
  readonly now: number;
  /** `MISP.default_attribute_distribution` resolved (distribution.ts). */
  readonly defaultDistribution: number;
  /** SharingGroup::checkIfAuthorised for the acting user. */
  readonly sharingGroupAllowed: (id: number) => boolean;
}

export type Built<T> = { readonly ok: true; readonly row: T } | { readonly ok: false; readonly errors: FieldErrors };

export const SIMILAR_ATTRIBUTE = 'A similar attribute already exists for this event.';
const NO_RELATION = 'Object attribute sent, but no object_relation set.';
const INVALID_SG = 'Invalid Sharing Group or not authorised.';

/** The wire value a stored attribute validates as (a composite keeps its `|` even with an empty right half). */
export function storedValue(a: Pick<Attribute, 'type' | 'value1' | 'value2'>): string {
  return isCompositeType(a.type) ? `${a.value1}|${a.value2}` : a.value1;
}

/**
 * MispAttribute::onDemandEncrypt: with `encrypt` and a payload, the value becomes `<filename>|<md5 of the payload>`
 * (PyMISP sends malware samples this way). Storing the payload itself is the attachments feature's job.
 */
export function sentValue(input: AttributeInput): string | undefined {
  if (!input.encrypt || !input.data || input.value === undefined) return input.value;
  const md5 = createHash('md5').update(Buffer.from(input.data, 'base64')).digest('hex');
  return `${input.value.split('|')[0]}|${md5}`;
}

function sharingGroup(b: AttributeBuildContext, distribution: number, sgId: number | undefined): number | FieldErrors {
  if (distribution !== Distribution.SharingGroup) return 0;
  return sgId && b.sharingGroupAllowed(sgId) ? sgId : { sharing_group_id: [INVALID_SG] };
}

/** A new attribute of `eventId` (inside `objectId` when ≠ 0); its uuid is the client's or a fresh one. */
export function buildNewAttribute(
  b: AttributeBuildContext, input: AttributeInput, place: { readonly eventId: number; readonly objectId: number },
): Built<NewAttribute> {
  if (place.objectId !== 0 && !input.objectRelation) return { ok: false, errors: { object_relation: [NO_RELATION] } };
  const checked = checkAttribute(b.matrix, {
    type: input.type ?? '', category: input.category, value: sentValue(input) ?? '', toIds: input.toIds,
  });
  if (!checked.ok) return { ok: false, errors: checked.errors as FieldErrors };
  const distribution = input.distribution ?? b.defaultDistribution;
  const sg = sharingGroup(b, distribution, input.sharingGroupId);
  if (typeof sg !== 'number') return { ok: false, errors: sg };
  return {
    ok: true,
    row: {
      uuid: input.uuid ?? newUuid(), eventId: place.eventId, objectId: place.objectId,
      objectRelation: input.objectRelation ?? null,
      category: checked.category, type: checked.type, value1: checked.value1, value2: checked.value2, toIds: checked.toIds,
      timestamp: input.timestamp ?? b.now, distribution, sharingGroupId: sg, comment: input.comment ?? '',
      deleted: input.deleted ?? false, disableCorrelation: input.disableCorrelation ?? false,
      firstSeen: input.firstSeen ?? null, lastSeen: input.lastSeen ?? null,
    },
  };
}

/**
 * The stored attribute with the input's fields laid over it, revalidated as a whole (MISP validates the recovered
 * fields too). `timestamp` is what the caller decided after its newer-than check.
 */
export function mergeAttribute(b: AttributeBuildContext, existing: Attribute, input: AttributeInput, timestamp: number): Built<Attribute> {
  const type = input.type ?? existing.type;
  const checked = checkAttribute(b.matrix, {
    type,
    category: input.category ?? existing.category,
    value: sentValue(input) ?? storedValue({ ...existing, type }),
    toIds: input.toIds ?? existing.toIds,
  });
  if (!checked.ok) return { ok: false, errors: checked.errors as FieldErrors };
  const distribution = input.distribution ?? existing.distribution;
  const sg = sharingGroup(b, distribution, input.sharingGroupId ?? existing.sharingGroupId);
  if (typeof sg !== 'number') return { ok: false, errors: sg };
  return {
    ok: true,
    row: {
      ...existing,
      category: checked.category, type: checked.type, value1: checked.value1, value2: checked.value2, toIds: checked.toIds,
      timestamp, distribution, sharingGroupId: sg, comment: input.comment ?? existing.comment,
      deleted: input.deleted ?? existing.deleted, disableCorrelation: input.disableCorrelation ?? existing.disableCorrelation,
      firstSeen: input.firstSeen !== undefined ? input.firstSeen : existing.firstSeen,
      lastSeen: input.lastSeen !== undefined ? input.lastSeen : existing.lastSeen,
      objectRelation: existing.objectId !== 0 ? (input.objectRelation ?? existing.objectRelation) : existing.objectRelation,
    },
  };
}

type Keyed = Pick<Attribute, 'type' | 'category' | 'value1' | 'value2' | 'objectId' | 'deleted'>;

/**
 * MISP's `valueIsUnique` (spec §12.15): one live top-level attribute per (type, category, value) in an event.
 * Deleted attributes and object attributes are exempt. Holds the stored candidates plus what this request added.
 */
export class DuplicateIndex {
  readonly #seen = new Map<string, { readonly id: number; readonly uuid: string } | null>();

  static key(a: Pick<Attribute, 'type' | 'category' | 'value1' | 'value2'>): string {
    return `${a.type}\u0000${a.category}\u0000${a.value1}\u0000${a.value2}`;
  }

  static applies(a: Keyed): boolean {
    return !a.deleted && a.objectId === 0;
  }

  /** Remembers a row; `stored` when it already has an id (breakOnDuplicate:0 updates it instead). */
  add(a: Keyed, stored?: { readonly id: number; readonly uuid: string }): void {
    if (DuplicateIndex.applies(a)) this.#seen.set(DuplicateIndex.key(a), stored ?? null);
  }

  /** The duplicate of `a`, other than the row `selfId`: `null` for one added by this request, else its id/uuid. */
  find(a: Keyed, selfId?: number): { readonly id: number; readonly uuid: string } | null | undefined {
    if (!DuplicateIndex.applies(a)) return undefined;
    const hit = this.#seen.get(DuplicateIndex.key(a));
    if (hit === undefined || (hit && hit.id === selfId)) return undefined;
    return hit;
  }
}
