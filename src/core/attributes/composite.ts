import type { TypeMatrix } from './describe-types.js';

/**
 * Composite attribute types store `left|right` in value1/value2 (spec Appendix A, `getCompositeTypes`):
 * every type whose name contains `|`, plus `malware-sample` (`filename|md5`).
 */
export function isCompositeType(type: string): boolean {
  return type.includes('|') || type === 'malware-sample';
}

/** The composite types of a type matrix, in describeTypes order (MISP's `getCompositeTypes`). */
export function compositeTypes(matrix: TypeMatrix): readonly string[] {
  return matrix.raw.types.filter(isCompositeType);
}

/** MISP's `validComposite`: a composite value must contain exactly one `|`. */
export function hasCompositeShape(value: string): boolean {
  return value.indexOf('|') !== -1 && value.indexOf('|') === value.lastIndexOf('|');
}

/**
 * Splits a validated value into the stored value1/value2 (`MispAttribute::beforeSave`): composite values
 * around their single `|`, others whole with an empty value2.
 */
export function splitValue(type: string, value: string): { readonly value1: string; readonly value2: string } {
  if (!isCompositeType(type)) return { value1: value, value2: '' };
  const bar = value.indexOf('|');
  if (bar === -1 || bar !== value.lastIndexOf('|')) throw new Error(`splitValue: ${type} value is not composite`);
  return { value1: value.slice(0, bar), value2: value.slice(bar + 1) };
}

/**
 * The wire `value` of a stored attribute (spec §2.3). MISP's virtual field joins only a non-empty value2,
 * so a composite saved as `key|` reads back as `key`.
 */
export function joinValue(value1: string, value2: string): string {
  return value2 === '' ? value1 : `${value1}|${value2}`;
}
