import type { AuditContext, AuditSubject } from '../ports/audit-log.js';

/**
 * Field names whose values never reach the audit log: passwords, API keys and their hints, OTP seeds,
 * sessions and CSRF tokens. MISP masks `*password*` (Log::createLogEntry) and optionally `authkey`; Cairn
 * masks the whole family unconditionally.
 */
const SECRET_PART = /password|passphrase|authkey|auth_key|apikey|api_key|secret|cookie|csrf|private/i;
/** Whole words (split on `_`, `.`, `-` and camelCase) that mark a secret without being one of the above. */
const SECRET_WORDS = new Set(['token', 'session', 'totp', 'hotp', 'otp', 'salt', 'key', 'pin']);

export const MASK = '*****';

/** True when a field (or a setting name such as `Security.salt`) holds a secret. */
export function isSecretField(name: string): boolean {
  if (SECRET_PART.test(name)) return true;
  return name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase().split(/[^a-z0-9]+/).some((w) => SECRET_WORDS.has(w));
}

/** Flags and counts (`Security.advanced_authkeys`, `Session.timeout`) are configuration, not secrets. */
const harmless = (v: unknown): boolean =>
  v === null || typeof v === 'boolean' || typeof v === 'number' || (Array.isArray(v) && v.every((x) => x === null || typeof x === 'boolean' || typeof x === 'number'));

/** A copy of `change` with the value of every secret field masked, at any depth. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = isSecretField(k) && !harmless(v) ? MASK : redactSecrets(v);
  return out;
}

/** Bookkeeping columns MISP's AuditLogBehavior leaves out of a change (they change on every save). */
const SKIPPED = new Set(['id', 'date_modified', 'modified', 'timestamp', 'current_login', 'last_login', 'last_api_access', 'newsread']);

/** `{field: value}` for an add or delete (AuditLogBehavior::afterSave / beforeDelete). */
export function recordChange(record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([k, v]) => !SKIPPED.has(k) && v !== undefined));
}

/** `{field: [old, new]}` for the fields an edit changed; empty when nothing did. */
export function editChange(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(after)) {
    if (SKIPPED.has(k) || v === undefined) continue;
    if (JSON.stringify(before[k] ?? null) !== JSON.stringify(v ?? null)) out[k] = [before[k] ?? null, v];
  }
  return out;
}

/** The user an entry is attributed to: the explicit subject, else the actor, else MISP's `SYSTEM`. */
export function auditSubject(ctx: AuditContext): AuditSubject {
  if (ctx.subject) return ctx.subject;
  if (ctx.actor) return { userId: ctx.actor.user.id, email: ctx.actor.user.email, orgId: ctx.actor.org.id, orgName: ctx.actor.org.name };
  return { userId: 0, email: 'SYSTEM', orgId: 0, orgName: 'SYSTEM' };
}

/** Actions whose change holds `[old, new]` pairs. */
const PAIR_ACTIONS = new Set(['edit', 'serverSettingsEdit']);

const scalar = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/**
 * The legacy `logs.change` text (Log::createLogEntry): `field (old) => (new)` joined by ", ". Adds and
 * deletes read `field () => (value)`; the text of an entry that stored a plain message is kept as is.
 */
export function legacyChangeText(action: string, change: Readonly<Record<string, unknown>> | null): string {
  if (!change) return '';
  if (typeof change.message === 'string' && Object.keys(change).length === 1) return change.message;
  return Object.entries(change).map(([k, v]) => {
    if (PAIR_ACTIONS.has(action) && Array.isArray(v) && v.length === 2) return `${k} (${scalar(v[0])}) => (${scalar(v[1])})`;
    return `${k} () => (${scalar(v)})`;
  }).join(', ');
}

/** The legacy `logs.title` MISP's SysLogLogable writes for model changes: `Organisation (3): ACME`. */
export function defaultTitle(action: string, model: string, modelId: number, modelTitle: string | null | undefined): string {
  const label = `${model} (${modelId})${modelTitle ? `: ${modelTitle}` : ''}`;
  switch (action) {
    case 'add': return `${label} added`;
    case 'delete': return `${label} deleted`;
    case 'edit': return `${label} updated`;
    default: return label;
  }
}
