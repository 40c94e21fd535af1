import {
  acceptRegistrations, discardRegistrations, listRegistrations, REGISTRATION_SENT, registerRequest,
} from '../../core/identity/registration-service.js';
import { saveFailed } from '../../core/errors.js';
import { toMispInbox } from '../../core/misp-format/audit-json.js';
import { type AnyActionDef, controller, publicController, success } from '../action.js';
import type { AppDeps } from '../app-deps.js';
import { instanceSecret } from './instance-secret.js';

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/**
 * Self-registration (spec §3.9, §3.13; UsersController::register, registrations, acceptRegistrations,
 * discardRegistrations; PyMISP register_user, user_registrations, accept/discard_user_registration).
 */
export function registrationsActions(deps: AppDeps): AnyActionDef[] {
  const { storage } = deps;
  return [
    ...publicController('users', [
      {
        action: 'register', methods: ['POST', 'PUT'],
        handler: async ({ ctx, body, headers }) => {
          await registerRequest(ctx, storage, body, String(headers['user-agent'] ?? ''));
          return success(REGISTRATION_SENT, '/users/register');
        },
      },
    ]),
    ...controller('users', [
      {
        // PyMISP calls users/registrations/index: "index" is a passed argument of the registrations action.
        action: 'registrations', methods: ['GET'], acl: 'SA',
        handler: async ({ ctx, named }) => (await listRegistrations(ctx, storage, one(named.value))).map(toMispInbox),
      },
      {
        action: 'acceptRegistrations', methods: ['POST', 'PUT'], acl: 'SA',
        handler: async ({ ctx, passed, named, body }) => {
          const outcome = await acceptRegistrations(ctx, storage, instanceSecret(deps), passed[0] ?? one(named.id), body);
          if (!outcome.ok) throw saveFailed('Could not acceptRegistrations User', outcome.message);
          return success(outcome.message, '/users/acceptRegistrations');
        },
      },
      {
        action: 'discardRegistrations', methods: ['POST', 'DELETE'], acl: 'SA',
        handler: async ({ ctx, passed, named }) => {
          const message = await storage.transaction((tx) => discardRegistrations(ctx, tx, passed[0] ?? one(named.id)));
          return success(message, '/users/discardRegistrations');
        },
      },
    ]),
  ];
}
