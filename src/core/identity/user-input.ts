import { type FieldErrors, isRecord, readText } from '../misp-format/input-readers.js';
import { readBool, readInt } from '../misp-format/scalars.js';

/** The User fields Cairn reads from admin/users/add|edit and users/edit bodies (UsersController fieldLists). */
export interface UserInput {
  email?: string;
  /** Clear text, only until it is hashed; a run of stars (PyMISP echoing the mask back) reads as absent. */
  password?: string;
  orgId?: number;
  roleId?: number;
  serverId?: number;
  autoalert?: boolean;
  contactalert?: boolean;
  disabled?: boolean;
  changePw?: boolean;
  termsaccepted?: boolean;
  forceLogout?: boolean;
  externalAuthRequired?: boolean;
  notificationDaily?: boolean;
  notificationWeekly?: boolean;
  notificationMonthly?: boolean;
  nidsSid?: number;
  gpgkey?: string | null;
  certifPublic?: string | null;
  expiration?: string | null;
  externalAuthKey?: string | null;
  /** Legacy-mode key chosen by the caller (admin/users/add `authkey`). */
  authkey?: string;
}

const FLAGS = [
  ['autoalert', 'autoalert'], ['contactalert', 'contactalert'], ['disabled', 'disabled'], ['change_pw', 'changePw'],
  ['termsaccepted', 'termsaccepted'], ['force_logout', 'forceLogout'], ['external_auth_required', 'externalAuthRequired'],
  ['notification_daily', 'notificationDaily'], ['notification_weekly', 'notificationWeekly'],
  ['notification_monthly', 'notificationMonthly'],
] as const;

const TEXTS = [['gpgkey', 'gpgkey'], ['certif_public', 'certifPublic'], ['expiration', 'expiration'], ['external_auth_key', 'externalAuthKey']] as const;

/** `{"User": {…}}` or the bare object; anything else reads as empty. */
export function userRecord(body: unknown): Record<string, unknown> {
  const outer = isRecord(body) ? body : {};
  return isRecord(outer.User) ? outer.User : outer;
}

/** Reads the fields present in a User body with MISP's validation messages; `id` and unknown keys are ignored. */
export function readUserInput(body: unknown): { input: UserInput; errors: FieldErrors } {
  const r = userRecord(body);
  const errors: FieldErrors = {};
  const fail = (field: string, message: string) => (errors[field] ??= []).push(message);
  const input: UserInput = {};
  const email = readText(r.email);
  if (email !== undefined) input.email = email.trim();
  const password = readText(r.password);
  if (password !== undefined && password !== '' && !/^\*+$/.test(password)) input.password = password;
  for (const [key, prop, message] of [
    ['org_id', 'orgId', 'The organisation ID has to be a numeric value.'], ['role_id', 'roleId', 'Please provide a numeric role.'],
    ['server_id', 'serverId', 'Please provide a numeric server.'], ['nids_sid', 'nidsSid', 'A SID should be an integer.'],
  ] as const) {
    if (r[key] === undefined || r[key] === null || r[key] === '') continue;
    const n = readInt(r[key]);
    if (n === undefined || n < 0) fail(key, message);
    else input[prop] = n;
  }
  for (const [key, prop] of FLAGS) {
    if (r[key] === undefined) continue;
    const v = readBool(r[key]);
    if (v === undefined) fail(key, 'The value must be a boolean.');
    else input[prop] = v;
  }
  for (const [key, prop] of TEXTS) {
    if (r[key] === undefined) continue;
    const v = r[key] === null || r[key] === '' ? null : readText(r[key]);
    if (v !== undefined) input[prop] = v;
  }
  const authkey = readText(r.authkey);
  if (authkey !== undefined && authkey !== '') input.authkey = authkey;
  return { input, errors };
}
