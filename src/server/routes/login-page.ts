import type { Settings } from '../../core/settings/settings.js';
import { CSRF_FIELD } from '../plugins/session.js';

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function page(settings: Settings, title: string, main: string): string {
  const appTitle = escapeHtml(settings.str('MISP.title_text') || 'Cairn');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${escapeHtml(title)} – ${appTitle}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
label{display:block;margin-top:1rem;font-weight:600}
input{display:block;width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;border:1px solid #555;border-radius:4px}
input:focus,button:focus{outline:3px solid #1a5fb4;outline-offset:2px}
button{margin-top:1.5rem;padding:.6rem 1.2rem;font-size:1rem;border:0;border-radius:4px;background:#1a5fb4;color:#fff;cursor:pointer}
[role=alert]{border:2px solid #a51d2d;background:#fbe9eb;color:#a51d2d;padding:.5rem .75rem;border-radius:4px}
</style>
</head>
<body>
<main>
${main}
</main>
</body>
</html>
`;
}

export interface LoginPageOptions {
  readonly action: string;
  readonly csrfToken: string;
  readonly email?: string;
  readonly error?: string;
}

/**
 * The login form (UsersController::login view): MISP's field names, so scripts written against MISP's form
 * keep working, with labels, autocomplete hints and an alert region for errors.
 */
export function loginPage(settings: Settings, o: LoginPageOptions): string {
  const top = settings.str('MISP.welcome_text_top');
  const bottom = settings.str('MISP.welcome_text_bottom');
  return page(settings, 'Login', `<h1>Login</h1>
${top ? `<p>${escapeHtml(top)}</p>` : ''}
${o.error ? `<p role="alert" id="login-error">${escapeHtml(o.error)}</p>` : ''}
<form method="post" action="${escapeHtml(o.action)}" accept-charset="utf-8"${o.error ? ' aria-describedby="login-error"' : ''}>
<input type="hidden" name="${CSRF_FIELD}" value="${escapeHtml(o.csrfToken)}">
<label for="UserEmail">Email</label>
<input type="email" id="UserEmail" name="data[User][email]" value="${escapeHtml(o.email ?? '')}" autocomplete="username" required autofocus>
<label for="UserPassword">Password</label>
<input type="password" id="UserPassword" name="data[User][password]" autocomplete="current-password" required>
<button type="submit">Login</button>
</form>
${bottom ? `<p>${escapeHtml(bottom)}</p>` : ''}`);
}

/** A plain error page (MISP's ForbiddenException rendered for a browser). */
export function errorPage(settings: Settings, message: string, loginUrl: string): string {
  return page(settings, 'Error', `<h1>Error</h1>
<p role="alert">${escapeHtml(message)}</p>
<p><a href="${escapeHtml(loginUrl)}">Back to the login page</a></p>`);
}
