import { createHash, randomBytes } from 'node:crypto';
import type { AnonymousContext, RequestContext } from '../context.js';
import type { Actor, User } from '../model/user.js';
import type { AuditSubject } from '../ports/audit-log.js';
import type { Storage, Stores } from '../ports/stores.js';
import { assertNotBlocked, recordLoginFailure } from './login-guard.js';
import { hashPassword, verifyPassword } from './secrets.js';

/**
 * Browser sessions (spec §0.3 form login, UsersController::login/logout). The cookie carries a random 256-bit
 * id; the database keeps only its SHA-256, so neither a leaked table nor a log line can be replayed. Sessions
 * expire after `Session.timeout` minutes idle and `Session.cookieTimeout` minutes in all.
 *
 * A session authenticates the user with their full role: it is only ever created from the password, never
 * from an API key, so a read-only or IP-bound key cannot be turned into one.
 */
export const hashSessionId = (id: string): string => createHash('sha256').update(id).digest('hex');

/** Touch `last_seen` at most this often (seconds), so a burst of requests costs one write. */
const TOUCH_EVERY = 60;

export function sessionLimits(ctx: AnonymousContext): { idle: number; absolute: number } {
  const idle = ctx.settings.num('Session.timeout') > 0 ? ctx.settings.num('Session.timeout') : 60;
  const absolute = ctx.settings.num('Session.cookieTimeout') > 0 ? ctx.settings.num('Session.cookieTimeout') : 720;
  return { idle: idle * 60, absolute: Math.max(absolute, idle) * 60 };
}

const subjectOf = (user: User, orgName: string): AuditSubject => ({ userId: user.id, email: user.email, orgId: user.orgId, orgName });

/** Verifying against this when the e-mail is unknown keeps the answer time the same as for a wrong password. */
let dummyHash: Promise<string> | undefined;

export interface LoginResult {
  /** The cookie value; returned once, stored only hashed. */
  readonly sessionId: string;
  readonly user: User;
}

/**
 * users/login POST: refuses blocked (ip, e-mail) pairs with MISP's 403, verifies the password (scrypt or an
 * imported MISP bcrypt, which is then re-hashed with scrypt), refuses disabled users like a wrong password, and
 * opens a session. Returns undefined for any failure, after recording it. The slow hash runs outside the
 * write transaction so a login never holds the database.
 */
export async function login(ctx: AnonymousContext, storage: Storage, email: string, password: string): Promise<LoginResult | undefined> {
  const username = email.trim();
  if (username === '') return undefined;
  await assertNotBlocked(ctx, storage, username);
  const user = await storage.identity.findUser({ email: username });
  const stored = user ? await storage.identity.findPasswordHash(user.id) : undefined;
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  const ok = await verifyPassword(stored || (await dummyHash), password) && stored !== undefined && stored !== '';
  const org = user ? await storage.identity.findOrganisation({ id: user.orgId }) : undefined;
  if (!user || !ok || user.disabled) {
    await storage.transaction((tx) => recordLoginFailure(ctx, tx, username, user && subjectOf(user, org?.name ?? '')));
    return undefined;
  }
  const rehash = /^\$2[aby]\$/.test(stored!) ? await hashPassword(password) : undefined;
  const sessionId = randomBytes(32).toString('base64url');
  const { absolute } = sessionLimits(ctx);
  await storage.transaction(async (tx) => {
    if (rehash) await tx.identity.updateUser(user.id, { passwordHash: rehash }, ctx.now);
    await tx.sessions.recordLogin(user.id, ctx.now);
    await tx.sessions.createSession({
      idHash: hashSessionId(sessionId), userId: user.id, created: ctx.now, lastSeen: ctx.now, expires: ctx.now + absolute, ip: ctx.ip ?? '',
    });
    await tx.audit.record({ ...ctx, subject: subjectOf(user, org?.name ?? ''), authType: 'session' }, {
      action: 'login', model: 'User', modelId: user.id, modelTitle: user.email, title: `User (${user.id}): ${user.email}`,
    });
  });
  return { sessionId, user };
}

/**
 * The actor a session cookie stands for, or undefined when the session is unknown, expired, or its user is
 * gone or disabled (the session is then deleted). `force_logout` ends every session of the user once, as
 * AppController does. The user, role and organisation are re-read on every request.
 */
export async function authenticateSession(ctx: AnonymousContext, stores: Stores, sessionId: string): Promise<Actor | undefined> {
  const idHash = hashSessionId(sessionId);
  const row = await stores.sessions.findSession(idHash);
  if (!row) return undefined;
  const { idle } = sessionLimits(ctx);
  if (row.expires <= ctx.now || row.lastSeen + idle <= ctx.now) {
    await stores.sessions.deleteSession(idHash);
    return undefined;
  }
  const context = await stores.identity.findUserContext(row.userId);
  if (!context || context.user.disabled) {
    await stores.sessions.deleteSession(idHash);
    return undefined;
  }
  const { user, role, org } = context;
  if (user.forceLogout) {
    await stores.sessions.deleteUserSessions(user.id);
    await stores.identity.updateUser(user.id, { forceLogout: false }, ctx.now);
    return undefined;
  }
  if (!role || !org) return undefined;
  if (ctx.now - row.lastSeen >= TOUCH_EVERY) await stores.sessions.touchSession(idHash, ctx.now);
  return { user, org, role, authKey: null, isSiteAdmin: role.perms.perm_site_admin };
}

/** users/logout: deletes the session and logs `logout` (User::extralog). */
export async function logout(ctx: RequestContext, stores: Stores, sessionId: string): Promise<void> {
  await stores.sessions.deleteSession(hashSessionId(sessionId));
  const { user } = ctx.actor;
  await stores.audit.record(ctx, { action: 'logout', model: 'User', modelId: user.id, modelTitle: user.email, title: `User (${user.id}): ${user.email}` });
}
