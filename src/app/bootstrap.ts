import { randomBytes } from 'node:crypto';
import { generateApiKey, generatePassword, hashApiKey, hashPassword, keyHints } from '../core/auth/secrets.js';
import { datetime } from '../core/misp-format/scalars.js';
import { DEFAULT_ROLES } from '../core/model/role.js';
import type { Storage } from '../core/ports/stores.js';
import type { SettingsService } from '../core/settings/settings-service.js';
import { newUuid } from '../core/util/uuid.js';

/** Internal (non-MISP) setting holding the instance secret that keys API-key hashes. */
export const SECRET_SETTING = 'Cairn.secret';

export interface BootstrapResult {
  readonly secret: string;
  /** The admin's clear-text key when this run created the admin (printed once), else undefined. */
  readonly createdAdminKey: string | undefined;
}

/**
 * First start of an empty database: MISP's six default roles (ids 1–6), the host organisation
 * `ORGNAME`, the site admin `admin@admin.test` with an API key (CAIRN_ADMIN_KEY when given), the
 * instance uuid and secret. Runs in one transaction; on an initialised database it only loads settings.
 */
export async function bootstrap(storage: Storage, settings: SettingsService, opts: {
  adminKey: string | undefined; baseUrl: string; now: number; afterRoles?: () => Promise<void>;
}): Promise<BootstrapResult> {
  await settings.reload();
  let createdAdminKey: string | undefined;
  if ((await storage.identity.countUsers()) === 0) {
    createdAdminKey = opts.adminKey ?? generateApiKey();
    const key = createdAdminKey;
    const secret = (settings.stored(SECRET_SETTING) as string | undefined) ?? randomBytes(32).toString('hex');
    await storage.transaction(async (tx) => {
      const now = datetime(opts.now);
      if ((await tx.identity.listRoles()).length === 0) {
        for (const r of DEFAULT_ROLES) {
          await tx.identity.createRole({ id: r.id, name: r.name, perms: r.perms, defaultRole: r.defaultRole, created: now });
        }
      }
      const org = (await tx.identity.findOrganisation({ name: 'ORGNAME' }))
        ?? (await tx.identity.createOrganisation({ uuid: newUuid(), name: 'ORGNAME', local: true, createdBy: 0 }, now));
      const admin = await tx.identity.createUser({
        email: 'admin@admin.test', passwordHash: await hashPassword(generatePassword()), orgId: org.id, roleId: 1,
        legacyKeyHash: '', legacyKeyStart: '', legacyKeyEnd: '', changePw: true, termsaccepted: true, invitedBy: 0,
        now: opts.now,
      });
      const { start, end } = keyHints(key);
      await tx.identity.createAuthKey({
        uuid: newUuid(), hash: hashApiKey(secret, key), start, end, created: opts.now, expiration: 0,
        readOnly: false, userId: admin.id, comment: 'Initial admin key', allowedIps: null,
      });
      await tx.settings.set(SECRET_SETTING, secret);
      await tx.settings.set('MISP.host_org_id', org.id);
      await tx.settings.set('MISP.uuid', newUuid());
      await tx.settings.set('MISP.baseurl', opts.baseUrl);
    });
    if (opts.afterRoles) await opts.afterRoles();
    await settings.reload();
  }
  const secret = settings.stored(SECRET_SETTING);
  if (typeof secret !== 'string') throw new Error(`database has users but no ${SECRET_SETTING}; it was not created by Cairn`);
  return { secret, createdAdminKey };
}
