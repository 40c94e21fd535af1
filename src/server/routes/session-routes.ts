import { randomBytes } from 'node:crypto';
import { loginCsrfToken, tokenMatches } from '../../core/auth/csrf.js';
import { authenticateSession, login, logout, sessionLimits } from '../../core/auth/session-service.js';
import { DomainError, ErrorCode } from '../../core/errors.js';
import { isRecord, readText } from '../../core/misp-format/input-readers.js';
import { type ActionResult, type PublicActionDef, type PublicRequest, publicController } from '../action.js';
import type { AppDeps } from '../app-deps.js';
import {
  CSRF_FAILED, CSRF_FIELD, CSRF_HEADER, cookie, isRestRequest, LOGIN_COOKIE, readCookie, SESSION_COOKIE,
} from '../plugins/session.js';
import { instanceSecret } from './instance-secret.js';
import { errorPage, loginPage } from './login-page.js';

/** UsersController::login's flash text for a failed attempt. */
export const LOGIN_FAILED = 'Invalid username or password, try again';

const html = (status: number, body: string, headers: Record<string, string> = {}): ActionResult => ({
  kind: 'text', status, body, contentType: 'text/html; charset=UTF-8', headers: { 'cache-control': 'no-store', ...headers },
});
const redirect = (location: string, setCookie?: string): ActionResult => ({
  kind: 'response', status: 302, body: '', headers: { location, 'cache-control': 'no-store', ...(setCookie ? { 'set-cookie': setCookie } : {}) },
});

/** `data[User][email]` form fields, or a `{"User": {…}}` / bare JSON object. */
function credentials(body: unknown): { email: string; password: string } {
  const b = isRecord(body) ? body : {};
  const u = isRecord(b.User) ? b.User : isRecord(b.data) && isRecord(b.data.User) ? b.data.User : b;
  const pick = (flat: string, key: string) => readText(b[flat]) ?? readText(u[key]) ?? '';
  return { email: pick('data[User][email]', 'email'), password: pick('data[User][password]', 'password') };
}

function formToken(req: PublicRequest): string | undefined {
  const header = req.headers[CSRF_HEADER];
  if (typeof header === 'string') return header;
  const b = isRecord(req.body) ? req.body : {};
  return readText(b[CSRF_FIELD]) ?? (isRecord(b._Token) ? readText(b._Token.key) : undefined);
}

/**
 * users/login and users/logout (spec §0.3; UsersController::login, logout): a plain HTML form whose POST opens a
 * session cookie and redirects to the base URL. The form carries a CSRF token bound to a nonce cookie, so no
 * other site can log a browser into an account of its choosing.
 */
export function sessionActions(deps: AppDeps): PublicActionDef[] {
  const { storage, settings } = deps;
  const loginUrl = `${deps.baseUrl}/users/login`;

  async function showForm(req: PublicRequest, status: number, extra: { email?: string; error?: string } = {}): Promise<ActionResult> {
    const nonce = readCookie(req, LOGIN_COOKIE) ?? randomBytes(32).toString('base64url');
    return html(status, loginPage(settings.current(), { action: loginUrl, csrfToken: loginCsrfToken(instanceSecret(deps), nonce), ...extra }),
      { 'set-cookie': cookie(deps, LOGIN_COOKIE, nonce, 3600) });
  }

  const refuse = (req: PublicRequest, status: number, message: string): ActionResult => {
    if (isRestRequest(req, null)) throw new DomainError(status === 403 ? ErrorCode.Forbidden : ErrorCode.BadRequest, message);
    return html(status, errorPage(req.ctx.settings, message, loginUrl));
  };

  return publicController('users', [
    {
      action: 'login', methods: ['GET', 'POST', 'PUT'],
      handler: async (req) => {
        const current = readCookie(req, SESSION_COOKIE);
        if (req.method === 'GET' || req.method === 'HEAD') {
          if (current && (await authenticateSession(req.ctx, storage, current))) return redirect(`${deps.baseUrl}/`);
          return showForm(req, 200);
        }
        const nonce = readCookie(req, LOGIN_COOKIE);
        if (!nonce || !tokenMatches(loginCsrfToken(instanceSecret(deps), nonce), formToken(req))) return refuse(req, 403, CSRF_FAILED);
        const { email, password } = credentials(req.body);
        let result;
        try {
          result = await login(req.ctx, storage, email, password);
        } catch (err) {
          if (err instanceof DomainError && err.code === ErrorCode.Forbidden) return refuse(req, 403, err.message);
          throw err;
        }
        if (!result) {
          if (isRestRequest(req, null)) throw new DomainError(ErrorCode.Forbidden, LOGIN_FAILED);
          return showForm(req, 200, { email, error: LOGIN_FAILED });
        }
        return redirect(`${deps.baseUrl}/`, cookie(deps, SESSION_COOKIE, result.sessionId, sessionLimits(req.ctx).absolute));
      },
    },
    {
      action: 'logout', methods: ['GET', 'POST'],
      handler: async (req) => {
        const current = readCookie(req, SESSION_COOKIE);
        const actor = current ? await authenticateSession(req.ctx, storage, current) : undefined;
        if (current && actor) await storage.transaction((tx) => logout({ ...req.ctx, actor, authType: 'session' }, tx, current));
        return redirect(loginUrl, cookie(deps, SESSION_COOKIE, '', 0));
      },
    },
  ]);
}
