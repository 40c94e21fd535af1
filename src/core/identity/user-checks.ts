import type { RequestContext } from '../context.js';
import type { FieldErrors } from '../misp-format/input-readers.js';
import type { Stores } from '../ports/stores.js';
import { emailMatchesDomains, isValidEmail, passwordProblems } from './password-policy.js';

/** Field checks shared by admin/users/add, admin/users/edit and users/edit (User::$validate). */
export async function checkEmail(stores: Stores, email: string, selfId: number | undefined, errors: FieldErrors): Promise<void> {
  if (!isValidEmail(email)) {
    (errors.email ??= []).push('Please enter a valid email address.');
    return;
  }
  const other = await stores.identity.findUser({ email });
  if (other && other.id !== selfId) (errors.email ??= []).push('An account with this email address already exists.');
}

export function checkPassword(ctx: RequestContext, password: string, errors: FieldErrors): void {
  const problems = passwordProblems(ctx.settings, password);
  if (problems.length) (errors.password ??= []).push(...problems);
}

/**
 * An org admin may only use addresses of their organisation's `restricted_to_domain` list; returns MISP's
 * message when the address is outside it, undefined when fine (site admins are never restricted).
 */
export async function domainProblem(ctx: RequestContext, stores: Stores, orgId: number, email: string): Promise<string | undefined> {
  if (ctx.actor.isSiteAdmin) return undefined;
  const org = await stores.identity.findOrganisation({ id: orgId });
  const domains = org?.restrictedToDomain ?? [];
  if (emailMatchesDomains(email, domains)) return undefined;
  return `Invalid e-mail domain. Your user is restricted to creating users for the following domain(s): ${domains.join(', ')}`;
}
