import { parseArgs } from 'node:util';
import type { RequestContext } from '../core/context.js';
import { DEFAULT_GROUP_ATTRIBUTES, importEvents, type ImportItem, type ImportReport } from '../core/events/event-import.js';
import type { Storage } from '../core/ports/stores.js';
import { loadConfig } from './config.js';
import { buildContainer } from './container.js';
import { eventsInPaths } from './event-files.js';

/**
 * `cairn import <file|folder>… [--user <id|email>] [--group <attributes>] [--update]`: MISP events from files into
 * this database (event-files.ts says which files), through the bulk importer (core/events/event-import.ts): the
 * checks and answers of events/add, correlation included, in group commits. An event whose uuid is stored already is
 * left as it is and counted, or with `--update` edited in when the file's is newer (events/edit). The events are
 * added as `--user` (default: user 1, the first site admin): owned by their organisation, and with the creator
 * organisation of the file only if the user's role may sync (as events/add).
 */

export interface ImportCommandResult {
  readonly report: ImportReport;
  /** Files or lines that are not JSON, with why. */
  readonly unreadable: readonly { readonly source: string; readonly error: string }[];
}

export async function importCommand(argv: readonly string[], out: (line: string) => void): Promise<ImportCommandResult> {
  const { values, positionals } = parseArgs({
    args: [...argv], allowPositionals: true,
    options: {
      user: { type: 'string', default: '1' }, group: { type: 'string', default: String(DEFAULT_GROUP_ATTRIBUTES) },
      update: { type: 'boolean', default: false },
    },
  });
  const group = Number(values.group);
  if (positionals.length === 0) throw new Error('cairn import: name at least one file or folder of MISP events');
  if (!Number.isInteger(group) || group < 1) throw new Error(`cairn import: --group must be a positive number of attributes (got "${values.group}")`);

  const config = loadConfig();
  const container = await buildContainer(config);
  try {
    if (container.createdAdminKey) out(`Created organisation ORGNAME and site admin admin@admin.test. Admin API key (shown once): ${container.createdAdminKey}`);
    const ctx = await importerContext(container.storage, values.user, { settings: container.settings.current(), baseUrl: config.baseUrl });
    out(`importing as ${ctx.actor.user.email} (${ctx.actor.org.name}), ${group} attributes per transaction`);
    const unreadable: { source: string; error: string }[] = [];
    const items = function* (): Generator<ImportItem> {
      for (const e of eventsInPaths(positionals)) {
        if ('error' in e) unreadable.push(e);
        else yield e;
      }
    };
    const started = performance.now();
    const report = await importEvents(ctx, { storage: container.storage, typeMatrix: container.typeMatrix, objectTemplates: container.objectTemplates }, items(), {
      groupAttributes: group, update: values.update,
      progress: (p) => {
        const seconds = (performance.now() - started) / 1000;
        out(`${p.events} events read, ${p.added} added (${p.attributes} attributes, ${Math.round(p.attributes / seconds)}/s)`);
      },
    });
    return { report, unreadable };
  } finally {
    await container.close();
  }
}

/** The request context of the importing user, who must be enabled and allowed to add events. */
async function importerContext(storage: Storage, who: string, env: Pick<RequestContext, 'settings' | 'baseUrl'>): Promise<RequestContext> {
  const user = await storage.identity.findUser(/^\d+$/.test(who) ? { id: Number(who) } : { email: who });
  const found = user && await storage.identity.findUserContext(user.id);
  if (!found?.role || !found.org) throw new Error(`cairn import: no user "${who}"`);
  const { role, org } = found;
  if (found.user.disabled) throw new Error(`cairn import: user ${found.user.email} is disabled`);
  if (!role.perms.perm_add && !role.perms.perm_site_admin) throw new Error(`cairn import: the role of ${found.user.email} (${role.name}) may not add events`);
  return {
    actor: { user: found.user, org, role, authKey: null, isSiteAdmin: role.perms.perm_site_admin },
    ...env, now: Math.floor(Date.now() / 1000),
  };
}
