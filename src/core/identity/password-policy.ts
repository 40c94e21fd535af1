import type { Settings } from '../settings/settings.js';

/** MISP's default complexity rule (User::complexPassword), used when the setting is empty or not a valid regex. */
const DEFAULT_COMPLEXITY = /^((?=.*\d)|(?=.*\W+))(?![\n])(?=.*[A-Z])(?=.*[a-z]).*$|.{16,}/;

/** Turns a PHP `/pattern/flags` string into a RegExp; undefined when it does not compile. */
function phpRegex(source: string): RegExp | undefined {
  const m = /^(.)([\s\S]*)\1([a-zA-Z]*)$/.exec(source.trim());
  if (!m) return undefined;
  try {
    return new RegExp(m[2]!, [...new Set(m[3]!.replace(/[^imsu]/g, ''))].join(''));
  } catch {
    return undefined;
  }
}

/**
 * The password policy (User::$validate password rules): `Security.password_policy_length` (12 when
 * unset or negative) and `Security.password_policy_complexity`. Returns MISP's messages, empty when OK.
 */
export function passwordProblems(settings: Settings, password: string): string[] {
  const problems: string[] = [];
  let length = settings.num('Security.password_policy_length');
  if (!Number.isFinite(length) || length <= 0) length = 12;
  if (Buffer.byteLength(password, 'utf8') < length) problems.push('Password length requirement not met.');
  const complexity = phpRegex(settings.str('Security.password_policy_complexity')) ?? DEFAULT_COMPLEXITY;
  if (!complexity.test(password)) problems.push('Password complexity requirement not met.');
  return problems;
}

/** User::validateEmail: unicode local part, plain ASCII domain. */
const EMAIL_RE = /^[\p{L}0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}0-9!#$%&'*+/=?^_`{|}~-]+)*@[a-z0-9_\-.]+$/iu;

export const isValidEmail = (email: string): boolean => EMAIL_RE.test(email);

/**
 * Organisation::restricted_to_domain check (UsersController::admin_add/edit for org admins): the address must
 * end in one of the domains, right after an `@` or a `.`. An empty list allows everything.
 */
export function emailMatchesDomains(email: string, domains: readonly string[]): boolean {
  if (domains.length === 0) return true;
  return domains.some((d) => email.length > d.length && email.endsWith(d) && ['@', '.'].includes(email[email.length - d.length - 1]!));
}
