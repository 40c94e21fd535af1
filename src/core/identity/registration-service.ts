import { createHash } from 'node:crypto';
import type { AnonymousContext, RequestContext } from '../context.js';
import { badRequest, DomainError, notAllowed, saveFailed } from '../errors.js';
import { isRecord, readText } from '../misp-format/input-readers.js';
import { datetime, readInt } from '../misp-format/scalars.js';
import type { InboxItem } from '../ports/registration-store.js';
import type { Storage, Stores } from '../ports/stores.js';
import { isUuid, newUuid } from '../util/uuid.js';
import { isValidEmail } from './password-policy.js';
import { defaultRole } from './role-service.js';
import { addUser } from './user-service.js';

/**
 * Self-registration (spec §3.9, §3.13; UsersController::register, registrations, acceptRegistrations,
 * discardRegistrations): requests wait in MISP's inbox as `type = 'registration'` until a site admin accepts
 * (creating the user) or discards them.
 */
const TYPE = 'registration';
const FIELDS = ['email', 'org_name', 'org_uuid', 'message', 'pgp', 'custom_perms', 'perm_sync', 'perm_publish', 'perm_admin'];

export const REGISTRATION_DISABLED = 'Self registration is not enabled on this instance.';
export const REGISTRATION_SENT = 'Request sent. The administrators of this community have been notified.';

/** PHP's `trim()` of a JSON scalar: true → "1", false → "" (what MISP stores for PyMISP's perm_* flags). */
function phpTrim(v: unknown): string | undefined {
  if (v === true) return '1';
  if (v === false) return '';
  const t = readText(v);
  return t === undefined ? undefined : t.trim();
}

/** users/register (no authentication): stores the request when `Security.allow_self_registration` is on. */
export async function registerRequest(ctx: AnonymousContext, stores: Stores, body: unknown, userAgent: string): Promise<InboxItem> {
  if (!ctx.settings.bool('Security.allow_self_registration')) throw notAllowed(REGISTRATION_DISABLED);
  const outer = isRecord(body) ? body : {};
  const r = isRecord(outer.User) ? outer.User : outer;
  const data: Record<string, string> = {};
  for (const k of FIELDS) {
    const v = r[k] === null || r[k] === undefined ? undefined : phpTrim(r[k]);
    if (v !== undefined) data[k] = v;
  }
  data.message ??= '';
  if (!data.email) throw badRequest('We require at least the email field to be filled.');
  if (!isValidEmail(data.email)) {
    throw saveFailed('Could not register User', `Request could not be created.Errors: ${JSON.stringify({ email: ['Please enter a valid email address.'] })}`);
  }
  return stores.registrations.addInboxItem({
    uuid: newUuid(), title: `User registration for ${data.email}.`, type: TYPE, ip: ctx.ip ?? '', userAgent,
    userAgentSha256: createHash('sha256').update(userAgent).digest('hex'), comment: data.message, timestamp: ctx.now, data,
  });
}

/** users/registrations[/index][/value:x]: open requests, oldest first. */
export function listRegistrations(_ctx: RequestContext, stores: Stores, search: string | undefined): Promise<InboxItem[]> {
  return stores.registrations.listInboxItems(TYPE, search?.toLowerCase());
}

const refOf = (raw: string | undefined): (number | string)[] => {
  if (raw === undefined) return [];
  if (/^\d+$/.test(raw)) return [Number(raw)];
  return isUuid(raw) ? [raw] : [];
};

/** users/discardRegistrations/{id|uuid}: MISP answers success with the count, even when it is 0. */
export async function discardRegistrations(ctx: RequestContext, stores: Stores, raw: string | undefined): Promise<string> {
  const items = await stores.registrations.findInboxItems(TYPE, refOf(raw));
  for (const i of items) await stores.registrations.deleteInboxItem(i.id);
  const message = `${items.length} registration(s) discarded.`;
  await stores.audit.record(ctx, { action: 'discardRegistrations', model: 'User', modelId: 0, title: message });
  return message;
}

export interface AcceptOutcome {
  readonly ok: boolean;
  readonly message: string;
}

async function targetOrgId(storage: Storage, raw: unknown): Promise<number> {
  if (raw === undefined || raw === null || raw === '') throw badRequest('No organisation selected. Supply an Organisation ID');
  const text = readText(raw) ?? '';
  if (isUuid(text)) return (await storage.identity.findOrganisation({ uuid: text.toLowerCase() }))?.id ?? -1;
  return readInt(text) ?? -1;
}

/**
 * users/acceptRegistrations/{id|uuid} with `{"User": {org_id, role_id}}` (User::registerUser): each request
 * becomes a user (through admin/users/add's rules, with change_pw and contactalert set) in its own transaction,
 * so one failure never half-creates another; the organisation becomes local; the request leaves the inbox.
 */
export async function acceptRegistrations(ctx: RequestContext, storage: Storage, secret: string, raw: string | undefined, body: unknown): Promise<AcceptOutcome> {
  const outer = isRecord(body) ? body : {};
  const u = isRecord(outer.User) ? outer.User : outer;
  const items = await storage.registrations.findInboxItems(TYPE, refOf(raw));
  let roleId: unknown = u.role_id;
  if (roleId === undefined || roleId === null) {
    roleId = (await defaultRole(storage))?.id;
    if (roleId === undefined) throw badRequest('Role ID not provided and no default role exist on the instance');
  }
  const orgId = await targetOrgId(storage, u.org_id);
  let successes = 0;
  let fails = 0;
  for (const item of items) {
    const email = String(item.data.email ?? '');
    try {
      await storage.transaction(async (tx) => {
        const { user } = await addUser(ctx, tx, secret, {
          email, org_id: orgId, role_id: roleId, gpgkey: item.data.pgp || null, change_pw: true, contactalert: true, disabled: false, termsaccepted: false,
        });
        const org = await tx.identity.findOrganisation({ id: user.orgId });
        if (org && !org.local) await tx.identity.updateOrganisation(org.id, { local: true }, datetime(ctx.now));
        await tx.registrations.deleteInboxItem(item.id);
        await tx.audit.record(ctx, { action: 'registration', model: 'User', modelId: user.id, title: `User registration success for ${user.email} (id=${user.id})` });
      });
      successes += 1;
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      fails += 1;
      const reason = typeof err.errors === 'object' && err.errors !== null ? JSON.stringify(err.errors) : err.message;
      await storage.audit.record(ctx, { action: 'registration_error', model: 'User', modelId: 0, title: `User registration failed for ${email}. Reason(s): ${reason}` });
    }
  }
  const parts: string[] = [];
  if (successes) parts.push(`Added ${successes} user(s).`);
  if (fails) parts.push(`Could not add ${fails} user(s), reasons for the failure have been logged.`);
  if (parts.length === 0) parts.push('No new users added - there was nothing to add.');
  return { ok: fails === 0 && successes > 0, message: parts.join(' ') };
}
