import { SETTINGS_BY_NAME } from './setting-definitions.js';

/**
 * A read-only view of the instance settings. Values are typed by their definitions; unknown names
 * (set with `force`) read back as stored.
 */
export interface Settings {
  get(name: string): unknown;
  bool(name: string): boolean;
  num(name: string): number;
  str(name: string): string;
}

export function settingsFrom(values: ReadonlyMap<string, unknown>): Settings {
  const get = (name: string): unknown => (values.has(name) ? values.get(name) : SETTINGS_BY_NAME.get(name)?.default);
  return {
    get,
    bool: (n) => {
      const v = get(n);
      return v === true || v === 1 || v === '1' || v === 'true';
    },
    num: (n) => Number(get(n) ?? 0),
    str: (n) => {
      const v = get(n);
      return v === undefined || v === null ? '' : String(v);
    },
  };
}
