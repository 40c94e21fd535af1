import type { TestServer } from './test-server.js';

/** What a browser would keep between requests: cookies by name. */
export type CookieJar = Map<string, string>;

/** `Set-Cookie` lines of a response (fetch joins them; getSetCookie keeps them apart). */
export function setCookies(res: Response): string[] {
  return res.headers.getSetCookie();
}

/** Applies a response's Set-Cookie lines to the jar (Max-Age=0 deletes). */
export function remember(jar: CookieJar, res: Response): void {
  for (const line of setCookies(res)) {
    const [pair = '', ...attrs] = line.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    const value = decodeURIComponent(pair.slice(eq + 1).trim());
    if (attrs.some((a) => /^\s*max-age=0\s*$/i.test(a))) jar.delete(name);
    else jar.set(name, value);
  }
}

export const cookieHeader = (jar: CookieJar): string => [...jar].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');

/** A browser-like request: HTML accepted, no API key, cookies from the jar, redirects not followed. */
export async function browse(s: TestServer, jar: CookieJar, method: string, path: string, init: { form?: Record<string, string>; json?: unknown; headers?: Record<string, string> } = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'text/html,application/xhtml+xml', ...init.headers };
  if (jar.size) headers.Cookie = cookieHeader(jar);
  let body: string | undefined;
  if (init.form) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  } else if (init.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  const res = await fetch(`${s.url}/${path.replace(/^\//, '')}`, { method, headers, redirect: 'manual', ...(body !== undefined ? { body } : {}) });
  remember(jar, res);
  return res;
}

/** The CSRF token of the login form in `html`. */
export function formToken(html: string): string {
  const m = /name="data\[_Token\]\[key\]" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF field in the login form');
  return m[1]!;
}

/** GET the form, then POST the credentials as a browser does; returns the POST response. */
export async function formLogin(s: TestServer, jar: CookieJar, email: string, password: string): Promise<Response> {
  const page = await browse(s, jar, 'GET', 'users/login');
  const token = formToken(await page.text());
  return browse(s, jar, 'POST', 'users/login', {
    form: { 'data[_Token][key]': token, 'data[User][email]': email, 'data[User][password]': password },
  });
}

/** A user with a known password, created through admin/users/add; returns its id and API key. */
export async function addUserWithPassword(s: TestServer, email: string, password: string, roleId = 3, orgId = 1): Promise<{ id: string; authkey: string }> {
  const r = await s.call('POST', 'admin/users/add', { email, password, role_id: roleId, org_id: orgId, change_pw: 0 });
  if (r.status !== 200) throw new Error(`admin/users/add failed: ${JSON.stringify(r.body)}`);
  return { id: r.body.User.id, authkey: r.body.User.authkey };
}
