import { notFound, saveFailed } from '../errors.js';
import { isRecord } from '../misp-format/input-readers.js';
import { readBool } from '../misp-format/scalars.js';
import { coerceSettingValue, SETTING_DEFINITIONS, SETTINGS_BY_NAME, type SettingDefinition } from './setting-definitions.js';
import type { SettingsService } from './settings-service.js';
import type { Settings } from './settings.js';
import type { AuditContext, AuditLog } from '../ports/audit-log.js';

/**
 * servers/serverSettings, getSetting and serverSettingsEdit (spec §3.10, Appendix B; ServersController,
 * Server::serverSettingsEditValue). Cairn's own internal values (`Cairn.*`, e.g. the key-hashing secret)
 * live in the same table but are invisible here and can never be written through the API.
 */
const isInternal = (name: string): boolean => name.startsWith('Cairn.');
const invalid = (name: string) => notFound(`Setting ${name} is invalid.`);
const FAIL = 'Could not serverSettingsEdit Server';

/** Server::serverSettingsRead's tab merge rules. */
const TAB_OF: Readonly<Record<string, string>> = { GnuPG: 'Encryption', SMIME: 'Encryption', Session: 'Security', misc: 'Security' };

export interface SettingView {
  readonly setting: string;
  readonly name: string;
  readonly value: unknown;
  readonly description: string;
  readonly level: number;
  readonly type: string;
  readonly tab: string;
  readonly options?: Readonly<Record<string, string>>;
  readonly error?: 1;
  readonly errorMessage?: string;
}

function view(settings: Settings, name: string, d: SettingDefinition | undefined): SettingView {
  const value = settings.get(name);
  const head = name.includes('.') ? name.split('.')[0]! : 'MISP';
  const out: SettingView = {
    setting: name, name, value, description: d?.description ?? '', level: d?.level ?? 2,
    type: d?.type ?? (typeof value === 'boolean' ? 'boolean' : typeof value === 'number' ? 'numeric' : 'string'),
    tab: TAB_OF[head] ?? head, ...(d?.options ? { options: d.options } : {}),
  };
  if (d?.options && !Object.hasOwn(d.options, String(value))) {
    return { ...out, error: 1, errorMessage: `Invalid setting \`${String(value)}\`, valid values are: ${Object.keys(d.options).join(', ')}` };
  }
  return out;
}

/** Every defined setting plus any forced-in one, with its current value (servers/serverSettings `finalSettings`). */
export function finalSettings(service: SettingsService): SettingView[] {
  const settings = service.current();
  const extra = service.storedNames().filter((n) => !isInternal(n) && !SETTINGS_BY_NAME.has(n)).sort();
  return [...SETTING_DEFINITIONS.map((d) => view(settings, d.name, d)), ...extra.map((n) => view(settings, n, undefined))];
}

/** servers/getSetting/{name}: 404 "Setting X is invalid." for names neither defined nor stored. */
export function serverSetting(service: SettingsService, name: string): SettingView {
  if (isInternal(name)) throw invalid(name);
  const d = SETTINGS_BY_NAME.get(name);
  if (!d && service.stored(name) === undefined) throw invalid(name);
  return view(service.current(), name, d);
}

const TYPE_ERRORS: Readonly<Record<string, string>> = {
  boolean: 'Value is not a boolean, make sure that you convert \'true\' to true for example.',
  numeric: 'This setting has to be a number.',
  string: 'Value not set.',
};

/**
 * servers/serverSettingsEdit/{name} with `{"value": …, "force": …}`. Unknown names need `force` (Cairn knows
 * fewer settings than MISP, so scripts can still store theirs); `force` also skips the option check, but a
 * value that cannot be read as the setting's type is always refused so typed settings stay readable.
 */
export async function editServerSetting(service: SettingsService, name: string, body: unknown,
  audit?: { readonly ctx: AuditContext; readonly log: AuditLog }): Promise<unknown> {
  if (isInternal(name)) throw invalid(name);
  const outer = isRecord(body) ? body : {};
  const data = isRecord(outer.Server) ? outer.Server : outer;
  const force = readBool(data.force) ?? false;
  const d = SETTINGS_BY_NAME.get(name);
  if (!d && !force && service.stored(name) === undefined) throw invalid(name);
  const raw = data.value;
  if (raw === undefined || raw === null || typeof raw === 'object') throw saveFailed(FAIL, 'Invalid input. Expected: {"value": "new_setting"}');
  const trimmed = typeof raw === 'string' ? raw.trim() : raw;
  if (trimmed === '*****') throw saveFailed(FAIL, 'No change.');
  const value = coerceSettingValue(d, trimmed);
  if (value === undefined) throw saveFailed(FAIL, TYPE_ERRORS[d!.type] ?? 'Invalid value.');
  if (d?.options && !force && !Object.hasOwn(d.options, String(value))) {
    throw saveFailed(FAIL, `Invalid setting \`${String(value)}\`, valid values are: ${Object.keys(d.options).join(', ')}`);
  }
  const old = service.current().get(name) ?? null;
  const stored = await service.set(name, value);
  // Server::serverSettingsSaveValue's log entry; the audit store masks secret settings (their name says so).
  await audit?.log.record(audit.ctx, {
    action: 'serverSettingsEdit', model: 'Server', modelId: 0, modelTitle: name, title: 'Server setting changed', change: { [name]: [old, stored] },
  });
  return stored;
}
