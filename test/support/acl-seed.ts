import type { TestServer } from './test-server.js';

const NOW = '2024-01-01 00:00:00';

/**
 * Inserts organisations 2… of `orgs` (1 is the host org the server created) and the sharing groups of `sgOrgs`
 * (group id → member org ids), with fixed ids and uuids, for storage tests that check SQL against the pure rules.
 */
export async function seedOrgsAndSharingGroups(s: TestServer, orgs: readonly number[], sgOrgs: Readonly<Record<number, readonly number[]>>): Promise<void> {
  const db = s.container.storage.db;
  for (const id of orgs.slice(1)) {
    await db.insertInto('organisations').values({
      id, uuid: `00000000-0000-4000-8000-00000000000${id}`, name: `org${id}`, date_created: NOW, date_modified: NOW,
      description: null, type: null, nationality: null, sector: null, created_by: 0, contacts: null, local: 1,
      restricted_to_domain: null, landingpage: null,
    }).execute();
  }
  for (const sg of Object.keys(sgOrgs).map(Number)) {
    await db.insertInto('sharing_groups').values({
      id: sg, uuid: `10000000-0000-4000-8000-00000000000${sg}`, name: `sg${sg}`, releasability: '', description: '',
      organisation_uuid: '', org_id: 1, sync_user_id: 0, active: 1, created: NOW, modified: NOW, local: 1, roaming: 0,
    }).execute();
    for (const org of sgOrgs[sg]!) await db.insertInto('sharing_group_orgs').values({ sharing_group_id: sg, org_id: org, extend: 0 }).execute();
  }
}
