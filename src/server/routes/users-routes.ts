import { resetUserKey } from '../../core/identity/auth-key-service.js';
import { adminEditUser, selfEditUser } from '../../core/identity/user-edit.js';
import { adminViewUser, listUsers, viewUser } from '../../core/identity/user-query-service.js';
import { addUser, changePassword, deleteUser, PASSWORD_CHANGED } from '../../core/identity/user-service.js';
import { toMispUser, toMispUserIndexRow, toMispUserView } from '../../core/misp-format/identity-json.js';
import { type ActionDef, controller, success } from '../action.js';
import type { AppDeps } from '../app-deps.js';
import { instanceSecret } from './instance-secret.js';

const USER_FIELDS = ['password', 'org_id', 'role_id', 'disabled', 'autoalert', 'contactalert', 'change_pw', 'termsaccepted',
  'nids_sid', 'gpgkey', 'certif_public', 'expiration', 'notification_daily', 'notification_weekly', 'notification_monthly',
  'external_auth_required', 'external_auth_key', 'server_id', 'notify'];

/** UsersController (spec §3.0, §3.9): the caller's own account and the admin_* user management. */
export function usersActions(deps: AppDeps): ActionDef[] {
  const { storage, authenticator } = deps;
  return [
    ...controller('users', [
      {
        action: 'view', methods: ['GET'], acl: '*',
        handler: async ({ ctx, passed }) => toMispUserView(await viewUser(ctx, storage, passed[0] ?? 'me')),
      },
      {
        // MISP edits the caller whatever id follows (UsersController::edit); read-only keys may not write.
        action: 'edit', methods: ['POST', 'PUT'], acl: { AND: ['self_management_enabled', 'not_read_only_authkey'] },
        describe: { mandatory: [], optional: ['email', 'password', 'autoalert', 'contactalert', 'gpgkey', 'certif_public', 'nids_sid', 'disabled'] },
        handler: async ({ ctx, body }) => {
          await storage.transaction((tx) => selfEditUser(ctx, tx, body));
          // answered like users/view (UsersController::edit re-reads with Organisation, Role and UserSetting)
          return toMispUserView(await viewUser(ctx, storage, 'me'));
        },
      },
      {
        action: 'change_pw', methods: ['POST', 'PUT'], acl: { AND: ['self_management_enabled', 'password_change_enabled', 'not_read_only_authkey'] },
        describe: { mandatory: ['password'], optional: [] },
        handler: async ({ ctx, body }) => {
          await storage.transaction((tx) => changePassword(ctx, tx, body));
          return success(PASSWORD_CHANGED, '/users/change_pw');
        },
      },
      {
        action: 'resetauthkey', methods: ['POST', 'PUT'], acl: { AND: ['self_management_enabled', 'perm_auth', 'not_read_only_authkey'] },
        handler: async ({ ctx, passed }) => {
          const { userId, issued } = await storage.transaction((tx) => resetUserKey(ctx, tx, instanceSecret(deps), passed[0] ?? 'me'));
          authenticator.invalidate();
          return success(`Authkey updated: ${issued.raw}`, `/users/resetauthkey/${userId}`, userId);
        },
      },
    ]),
    ...controller('users', [
      {
        action: 'index', admin: true, methods: ['GET'], acl: 'perm_admin',
        handler: async ({ ctx, named }) => (await listUsers(ctx, storage, named)).map((r) => toMispUserIndexRow(r.user, r.role, r.org)),
      },
      {
        action: 'view', admin: true, methods: ['GET'], acl: 'perm_admin',
        handler: async ({ ctx, passed }) => toMispUserView(await adminViewUser(ctx, storage, passed[0])),
      },
      {
        action: 'add', admin: true, methods: ['POST'], acl: { AND: ['perm_admin', 'add_user_enabled'] },
        describe: { mandatory: ['email'], optional: USER_FIELDS },
        handler: async ({ ctx, body }) => {
          const { user, authkey } = await storage.transaction((tx) => addUser(ctx, tx, instanceSecret(deps), body));
          // The only answer that ever carries the clear key (UsersController::admin_add, advanced auth keys).
          return { User: { ...toMispUser(user, '******'), authkey } };
        },
      },
      {
        action: 'edit', admin: true, methods: ['POST', 'PUT'], acl: 'perm_admin',
        describe: { mandatory: [], optional: ['email', ...USER_FIELDS.filter((f) => f !== 'notify')] },
        handler: async ({ ctx, passed, body }) => {
          const user = await storage.transaction((tx) => adminEditUser(ctx, tx, passed[0], body));
          return { User: toMispUser(user, '******') };
        },
      },
      {
        action: 'delete', admin: true, methods: ['POST', 'DELETE'], acl: 'perm_admin',
        handler: async ({ ctx, passed }) => {
          const id = await storage.transaction((tx) => deleteUser(ctx, tx, passed[0]));
          authenticator.invalidate();
          return success('User deleted.', `/admin/users/delete/${id}`, id);
        },
      },
    ]),
  ];
}
