import type { Kysely } from 'kysely';
import type { SettingsStore } from '../../core/ports/settings-store.js';
import type { Database } from '../db-schema.js';

export function createSettingsStore(db: Kysely<Database>): SettingsStore {
  return {
    async all() {
      const rows = await db.selectFrom('settings').selectAll().execute();
      return new Map(rows.map((r) => [r.name, JSON.parse(r.value) as unknown]));
    },
    async set(name, value) {
      const json = JSON.stringify(value);
      await db.insertInto('settings').values({ name, value: json })
        .onConflict((oc) => oc.column('name').doUpdateSet({ value: json }))
        .execute();
    },
  };
}
