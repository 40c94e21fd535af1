import { Distribution } from '../model/event.js';

/**
 * Distribution rules shared by attributes, objects and events on write (spec §2.11 and §4.1):
 * attributes and objects accept 0–5 (5 = inherit the event), events 0–4; a sharing group id is kept only
 * with distribution 4 and forced to 0 otherwise (`MispAttribute::beforeValidateMassage`).
 */

/** `MispAttribute::defaultDistribution`: the `MISP.default_attribute_distribution` setting, `event` (or unset) → 5. */
export function defaultAttributeDistribution(setting: unknown): Distribution {
  if (setting === null || setting === undefined || setting === 'event') return Distribution.Inherit;
  const n = typeof setting === 'number' ? setting : typeof setting === 'string' && /^[0-9]+$/.test(setting) ? Number(setting) : NaN;
  return isAttributeDistribution(n) ? n : Distribution.Inherit;
}

/** `MISP.default_event_distribution`, falling back to 0 when unset or out of range (events cannot inherit). */
export function defaultEventDistribution(setting: unknown): Distribution {
  const n = typeof setting === 'number' ? setting : typeof setting === 'string' && /^[0-9]+$/.test(setting) ? Number(setting) : NaN;
  return isEventDistribution(n) ? n : Distribution.OrgOnly;
}

/** MISP's `inList ['0'…'5']` rule for attribute and object distribution. */
export function isAttributeDistribution(n: unknown): n is Distribution {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 5;
}

/** Events take 0–4: "inherit" (5) has nothing to inherit from. */
export function isEventDistribution(n: unknown): n is Distribution {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 4;
}

/** The sharing group id MISP stores: the given one for distribution 4, else 0. */
export function effectiveSharingGroupId(distribution: number, sharingGroupId: number | null | undefined): number {
  return distribution === Distribution.SharingGroup ? (sharingGroupId ?? 0) : 0;
}

/**
 * The distribution that actually applies to an attribute or object: its own, or the event's when it
 * inherits (5). An object attribute inheriting from its object inherits what the object resolves to.
 */
export function resolveDistribution(own: number, ...parents: readonly number[]): number {
  let d = own;
  for (const parent of parents) {
    if (d !== Distribution.Inherit) break;
    d = parent;
  }
  return d;
}
