import type { FastifyRequest } from 'fastify';
import { AUTH_FAILED } from '../../core/auth/authenticator.js';
import { sessionCsrfToken, tokenMatches } from '../../core/auth/csrf.js';
import { authenticateSession } from '../../core/auth/session-service.js';
import type { AnonymousContext } from '../../core/context.js';
import { DomainError, ErrorCode, forbidden } from '../../core/errors.js';
import type { Actor } from '../../core/model/user.js';
import type { AppDeps } from '../app-deps.js';
import { instanceSecret } from '../routes/instance-secret.js';

/**
 * Who a request comes from (spec §0.3). An `Authorization` / `X-MISP-AUTH` header means API-key
 * authentication and nothing else: a failing, read-only or IP-bound key never falls back to a session cookie
 * sent alongside it. Without a key header, the browser session cookie is tried. Anonymous API requests keep
 * MISP's 403; anonymous browser requests are sent to the login page, as MISP's AuthComponent does.
 */
export const SESSION_COOKIE = 'cairn_session';
/** Holds the login form's CSRF nonce until a session exists. */
export const LOGIN_COOKIE = 'cairn_login';
export const CSRF_HEADER = 'x-csrf-token';
/** CakePHP's form token field name, also accepted in session-authenticated form posts. */
export const CSRF_FIELD = 'data[_Token][key]';
export const CSRF_FAILED = 'The request has been black-holed: missing or invalid CSRF token.';

export interface Authenticated {
  readonly actor: Actor;
  readonly authType: 'key' | 'session';
  /** The raw cookie value, for session-authenticated requests. */
  readonly sessionId?: string;
}
export type AuthOutcome = Authenticated | { readonly redirect: string };

/** One cookie's value from the Cookie header. */
export function readCookie(req: Pick<FastifyRequest, 'headers'>, name: string): string | undefined {
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** A Set-Cookie value: HttpOnly, SameSite=Lax, Secure when the base URL is https; `maxAge` 0 deletes it. */
export function cookie(deps: Pick<AppDeps, 'baseUrl'>, name: string, value: string, maxAge: number): string {
  const secure = deps.baseUrl.startsWith('https:') ? '; Secure' : '';
  return `${name}=${encodeURIComponent(value)}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure}`;
}

/**
 * IndexFilterComponent::isRest, loosely: a `.json`/`.xml` extension, a JSON Accept, an XML Accept without
 * text/html, or a JSON body. Anything else (a browser, a bare curl) is treated as a page request.
 */
export function isRestRequest(req: Pick<FastifyRequest, 'headers'>, ext: string | null): boolean {
  if (ext) return true;
  const accept = String(req.headers.accept ?? '').toLowerCase();
  if (accept.includes('application/json')) return true;
  // Browsers list application/xml too, after text/html.
  if (accept.includes('text/html')) return false;
  return accept.includes('xml') || String(req.headers['content-type'] ?? '').toLowerCase().includes('json');
}

export async function authenticateRequest(req: FastifyRequest, deps: AppDeps, base: AnonymousContext, ext: string | null): Promise<AuthOutcome> {
  const header = (req.headers['x-misp-auth'] ?? req.headers.authorization) as string | undefined;
  if (header !== undefined) return { actor: await deps.authenticator.authenticate(header, req.ip), authType: 'key' };
  const sessionId = readCookie(req, SESSION_COOKIE);
  const actor = sessionId ? await authenticateSession(base, deps.storage, sessionId) : undefined;
  if (actor) return { actor, authType: 'session', sessionId: sessionId! };
  if (!isRestRequest(req, ext)) return { redirect: `${deps.baseUrl}/users/login` };
  throw new DomainError(ErrorCode.Unauthenticated, AUTH_FAILED);
}

/** The CSRF token of a session-authenticated request (sent back in `X-CSRF-Token` for scripts on the page). */
export function csrfTokenFor(deps: AppDeps, auth: Authenticated): string | undefined {
  return auth.sessionId ? sessionCsrfToken(instanceSecret(deps), auth.sessionId) : undefined;
}

function formToken(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  const flat = b[CSRF_FIELD];
  if (typeof flat === 'string') return flat;
  const nested = (b._Token as Record<string, unknown> | undefined)?.key;
  return typeof nested === 'string' ? nested : undefined;
}

/**
 * Session-authenticated POST/PUT/DELETE requests must carry the session's CSRF token, in `X-CSRF-Token` or the
 * form field. Key-authenticated requests need none: a browser never attaches an API key on its own.
 */
export function assertCsrf(req: FastifyRequest, deps: AppDeps, auth: Authenticated, body: unknown): void {
  if (auth.authType !== 'session' || req.method === 'GET' || req.method === 'HEAD') return;
  const header = req.headers[CSRF_HEADER];
  const given = (Array.isArray(header) ? header[0] : header) ?? formToken(body);
  if (!tokenMatches(csrfTokenFor(deps, auth)!, given)) throw forbidden(CSRF_FAILED);
}
