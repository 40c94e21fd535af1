import type { SettingsStore } from '../ports/settings-store.js';
import { coerceSettingValue, SETTINGS_BY_NAME } from './setting-definitions.js';
import { settingsFrom, type Settings } from './settings.js';

/**
 * Instance settings, cached in memory (they are read on hot paths) and written through to the store.
 * `reload()` re-reads the store, for another process's change.
 */
export function createSettingsService(store: SettingsStore) {
  let values = new Map<string, unknown>();
  let snapshot: Settings = settingsFrom(values);

  return {
    async reload(): Promise<void> {
      values = await store.all();
      snapshot = settingsFrom(values);
    },
    current(): Settings {
      return snapshot;
    },
    /** Stores one value, coerced to its definition's type; returns the stored value. */
    async set(name: string, raw: unknown): Promise<unknown> {
      const value = coerceSettingValue(SETTINGS_BY_NAME.get(name), raw);
      await store.set(name, value);
      values = new Map(values).set(name, value);
      snapshot = settingsFrom(values);
      return value;
    },
    /** Raw stored values, for internal settings that are not MISP settings (e.g. the instance secret). */
    stored(name: string): unknown {
      return values.get(name);
    },
    /** Names with a stored value, including ones forced in without a definition. */
    storedNames(): string[] {
      return [...values.keys()];
    },
  };
}

export type SettingsService = ReturnType<typeof createSettingsService>;
