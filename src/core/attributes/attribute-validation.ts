import { normaliseAttributeValue } from './attribute-normalise.js';
import { hasCompositeShape, isCompositeType, joinValue, splitValue } from './composite.js';
import type { TypeMatrix } from './describe-types.js';
import { byteLength, isAllControl, phpTrim } from './php-string.js';
import { refangValue } from './refang.js';
import { validateAttributeValue } from './value-validators.js';

/** What a client sent for one attribute, before validation (wire parsing already done). */
export interface AttributeCandidate {
  readonly type: string;
  readonly category?: string | undefined;
  readonly value: string;
  readonly toIds?: boolean | undefined;
}

/** The fields MISP reports validation errors under. */
export type AttributeErrorField = 'type' | 'category' | 'value';

/**
 * A validated, normalised attribute value ready to store; or MISP's validation message.
 * On failure `field`/`error` name the first problem and `errors` holds every problem in MISP's
 * `validationErrors` shape (`{"value": ["…"]}`), which attributes/add returns as `errors`.
 */
export type CheckedAttribute =
  | {
    readonly ok: true; readonly type: string; readonly category: string;
    /** The wire value as MISP reads it back: `value1|value2`, or value1 alone when value2 is empty. */
    readonly value: string;
    readonly value1: string; readonly value2: string; readonly toIds: boolean;
  }
  | {
    readonly ok: false; readonly field: AttributeErrorField; readonly error: string;
    readonly errors: Readonly<Partial<Record<AttributeErrorField, readonly string[]>>>;
  };

/** MISP's largest stored value, in bytes (`maxTextLength`). */
export const MAX_VALUE_BYTES = 65535;

const MESSAGES = {
  noType: 'No type set.',
  invalidType: 'Invalid type.',
  typeNotInCategory: 'Options depend on the selected category.',
  invalidCategory: 'Options : Payload delivery, Antivirus detection, Payload installation, Files dropped ...',
  empty: 'Value cannot be empty.',
  control: 'Value provided consists purely of control characters and is therefore considered to be empty.',
  composite: 'Composite type found but the value not in the composite (value1|value2) format.',
  tooLong: 'The entered string is too long and would get truncated. Please consider adding the data as an attachment instead',
} as const;

/** Exported so callers can recognise MISP's composite error (objects/add treats it specially). */
export const COMPOSITE_VALUE_MESSAGE = MESSAGES.composite;

function fail(errors: Partial<Record<AttributeErrorField, string[]>>): CheckedAttribute {
  const field = (['type', 'category', 'value'] as const).find((f) => errors[f]) ?? 'value';
  return { ok: false, field, error: errors[field]?.[0] ?? '', errors };
}

/**
 * The trimmed, refanged and normalised value MISP would store (`MispAttribute::beforeValidateMassage`),
 * before it is validated. Exposed for freetext import and search, which normalise without saving.
 */
export function massageValue(type: string, value: string): string {
  return normaliseAttributeValue(type, refangValue(type, phpTrim(value)));
}

/** The `value` rules of `MispAttribute::$validate`, in order; the first that fails is reported. */
function checkValue(type: string, value: string): string | undefined {
  const trimmed = phpTrim(value);
  if (trimmed === '') return MESSAGES.empty;
  if (isAllControl(value)) return MESSAGES.control;
  const composite = isCompositeType(type);
  if (composite) {
    const [left = '', right = ''] = value.split('|');
    if (isAllControl(left) || (right !== '' && isAllControl(right))) return MESSAGES.control;
    if (!hasCompositeShape(value)) return MESSAGES.composite;
  }
  const verdict = validateAttributeValue(type, value);
  if (verdict !== true) return verdict;
  if (byteLength(value) > MAX_VALUE_BYTES) return MESSAGES.tooLong;
  return undefined;
}

/**
 * Validates and normalises one attribute as MISP does (`MispAttribute::beforeValidate`,
 * `AttributeValidationTool`, spec §2.11 and §8.3): unknown types are refused; a missing category becomes
 * the type's default and must allow the type; a missing to_ids comes from the type's sane default; the
 * value is trimmed, refanged, normalised per type, then validated per type, and composite values are split.
 * Not done here: the admin regexp filters, the duplicate check and distribution (see distribution.ts).
 *
 * @example
 * checkAttribute(matrix, { type: 'domain', value: ' Evil[.]Example.COM. ' })
 * // → { ok: true, type: 'domain', category: 'Network activity', value: 'evil.example.com', value1: 'evil.example.com', value2: '', toIds: true }
 */
export function checkAttribute(matrix: TypeMatrix, c: AttributeCandidate): CheckedAttribute {
  const type = c.type;
  if (!type) return fail({ type: [MESSAGES.noType] });
  if (!matrix.types.has(type)) return fail({ type: [MESSAGES.invalidType] });

  const category = c.category ? c.category : (matrix.defaultCategory(type) ?? '');
  const value = massageValue(type, String(c.value ?? '')); // defensive: JSON numbers may slip through
  const errors: Partial<Record<AttributeErrorField, string[]>> = {};
  if (!matrix.allowed.get(category)?.has(type)) errors.type = [MESSAGES.typeNotInCategory];
  if (!matrix.categories.has(category)) errors.category = [MESSAGES.invalidCategory];
  const valueError = checkValue(type, value);
  if (valueError !== undefined) errors.value = [valueError];
  if (errors.type || errors.category || errors.value) return fail(errors);

  const { value1, value2 } = splitValue(type, value);
  return {
    ok: true, type, category, value: joinValue(value1, value2), value1, value2, toIds: c.toIds ?? matrix.defaultToIds(type),
  };
}
