import type { AnonymousContext } from '../context.js';
import { forbidden } from '../errors.js';
import type { AuditSubject } from '../ports/audit-log.js';
import type { Stores } from '../ports/stores.js';

/**
 * MISP's brute-force protection (app/Model/Bruteforce.php): every failed form login stores (ip, username)
 * for `SecureAuth.expire` seconds; once `SecureAuth.amount` are live, further attempts from that ip for that
 * username are refused — even with the right password — until they expire.
 */
const amount = (ctx: AnonymousContext) => ctx.settings.num('SecureAuth.amount') || 5;
const expire = (ctx: AnonymousContext) => ctx.settings.num('SecureAuth.expire') || 300;

/** UsersController::login's ForbiddenException text. */
export const bruteforceMessage = (seconds: number): string =>
  `You have reached the maximum number of login attempts. Please wait ${seconds} seconds and try again.`;

/** Throws MISP's 403 when (ip, username) is blocked. */
export async function assertNotBlocked(ctx: AnonymousContext, stores: Stores, username: string): Promise<void> {
  if ((await stores.sessions.countLoginFailures(ctx.ip ?? '', username, ctx.now)) >= amount(ctx)) {
    throw forbidden(bruteforceMessage(expire(ctx)));
  }
}

/**
 * Bruteforce::insert: stores the failure and logs `login_fail` against the user it names (or SYSTEM), noting
 * when this attempt tripped the protection. The attempted password is never part of the entry.
 */
export async function recordLoginFailure(ctx: AnonymousContext, stores: Stores, username: string, who: AuditSubject | undefined): Promise<void> {
  const ip = ctx.ip ?? '';
  await stores.sessions.addLoginFailure(ip, username, ctx.now + expire(ctx));
  const blocked = (await stores.sessions.countLoginFailures(ip, username, ctx.now)) >= amount(ctx);
  let title = `Failed login attempt using username ${username} from IP: ${ip}.`;
  if (blocked) title += ' Blocked against bruteforcing.';
  await stores.audit.record({ ...ctx, ...(who ? { subject: who } : {}) }, {
    action: 'login_fail', model: 'User', modelId: who?.userId ?? 0, modelTitle: username, title,
    change: blocked
      ? { details: `This has tripped the bruteforce protection after ${amount(ctx)} failed attempts. The source IP/username is now blocklisted for ${expire(ctx)} seconds.` }
      : null,
  });
}
