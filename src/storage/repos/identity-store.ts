import type { Kysely } from 'kysely';
import type { IdentityStore } from '../../core/ports/identity-store.js';
import type { Database } from '../db-schema.js';
import type { Dialect } from '../dialect.js';
import { createAuthKeyQueries } from './auth-key-repo.js';
import { createOrganisationQueries } from './organisation-repo.js';
import { createRoleQueries } from './role-repo.js';
import { createUserQueries } from './user-repo.js';
import { createUserSettingQueries } from './user-setting-repo.js';

export { toAuthKey, toOrganisation, toRole, toUser, toUserSetting } from './identity-rows.js';

/** The identity store: one query module per table group, bound to the same connection or transaction. */
export function createIdentityStore(db: Kysely<Database>, dialect: Dialect): IdentityStore {
  return {
    ...createOrganisationQueries(db, dialect),
    ...createRoleQueries(db),
    ...createUserQueries(db, dialect),
    ...createAuthKeyQueries(db),
    ...createUserSettingQueries(db),
  };
}
