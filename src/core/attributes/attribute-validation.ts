import type { TypeMatrix } from './describe-types.js';

/** What a client sent for one attribute, before validation (wire parsing already done). */
export interface AttributeCandidate {
  readonly type: string;
  readonly category?: string | undefined;
  readonly value: string;
  readonly toIds?: boolean | undefined;
}

/** A validated, normalised attribute value ready to store; or MISP's validation message. */
export type CheckedAttribute =
  | { readonly ok: true; readonly type: string; readonly category: string; readonly value1: string; readonly value2: string; readonly toIds: boolean }
  | { readonly ok: false; readonly field: 'type' | 'category' | 'value'; readonly error: string };

/**
 * Validates and normalises one attribute as MISP does (MispAttribute::beforeValidate,
 * AttributeValidationTool, spec §2.11 and §8.3). Implemented by the attribute-validation feature.
 */
export function checkAttribute(_matrix: TypeMatrix, _c: AttributeCandidate): CheckedAttribute {
  throw new Error('checkAttribute: not implemented yet');
}
