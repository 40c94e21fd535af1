/** Persistence of instance settings (MISP's server settings) as JSON values by name. */
export interface SettingsStore {
  all(): Promise<Map<string, unknown>>;
  set(name: string, value: unknown): Promise<void>;
}
