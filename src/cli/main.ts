import { buildContainer } from '../app/container.js';
import { loadConfig } from '../app/config.js';
import { cacheFeedsCommand } from '../app/feeds/cache-feeds-command.js';
import { importCommand } from '../app/import-command.js';
import { importKnowledgePacks, KNOWLEDGE_PACK_KINDS, knowledgePackKind } from '../app/knowledge-packs.js';

/** `cairn serve`: start the HTTP API on the configured database (SQLite file by default). */
async function serve(): Promise<void> {
  const config = loadConfig();
  const c = await buildContainer(config);
  await c.app.listen({ host: config.host, port: config.port });
  process.stdout.write(`Cairn listening on ${config.baseUrl} (database: ${config.databaseUrl.split('@').pop()})\n`);
  if (c.createdAdminKey) {
    process.stdout.write(`\nCreated organisation ORGNAME and site admin admin@admin.test.\nAdmin API key (shown once): ${c.createdAdminKey}\n\n`);
  }
  const stop = async () => {
    await c.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/**
 * `cairn update <kind|all>`: import knowledge packs from CAIRN_DATA_PACKS, printing progress. Kinds: taxonomies,
 * warninglists, noticelists, object-templates, galaxies, decaying, feeds.
 */
async function update(): Promise<void> {
  const kind = process.argv[3] ?? 'all';
  if (!knowledgePackKind(kind)) {
    process.stderr.write(`Unknown knowledge pack "${kind}". Kinds: ${KNOWLEDGE_PACK_KINDS.join(', ')}, all\n`);
    process.exit(2);
  }
  const reports = await importKnowledgePacks(kind, (line) => process.stdout.write(`  ${line}\n`));
  for (const r of reports) {
    process.stdout.write(`${r.kind}: ${r.message} (${r.ms} ms${r.warnings.length ? `, ${r.warnings.length} skipped` : ''})\n`);
  }
}

/** `cairn cache-feeds [scope]`: cache the feeds that have caching enabled (feeds/cacheFeeds), printing progress. */
async function cacheFeedsCli(): Promise<void> {
  const result = await cacheFeedsCommand(process.argv[3] ?? 'all', (line) => process.stdout.write(`  ${line}\n`));
  process.stdout.write(`feeds cached: ${result.successes}, failed: ${result.fails}\n`);
  if (result.fails > 0) process.exitCode = 1;
}

/**
 * `cairn import <file|folder>… [--user <id|email>] [--group <attributes>] [--update]`: MISP events from files (a
 * feed folder, a restSearch answer, JSON lines), with a progress line per committed group. Exit status 1 if any
 * event was refused or unreadable.
 */
async function importCli(): Promise<void> {
  const { report, unreadable } = await importCommand(process.argv.slice(3), (line) => process.stdout.write(`  ${line}\n`));
  for (const u of unreadable) process.stdout.write(`unreadable: ${u.source}: ${u.error}\n`);
  for (const r of report.refused) process.stdout.write(`refused: ${r.source}${r.uuid ? ` (${r.uuid})` : ''}: ${r.message}\n`);
  process.stdout.write(`events: ${report.events} read, ${report.added} added (${report.attributes} attributes), `
    + `${report.updated} updated, ${report.existing} already present, ${report.refused.length} refused, ${unreadable.length} unreadable\n`);
  if (report.refused.length > 0 || unreadable.length > 0) process.exitCode = 1;
}

const [command = 'serve'] = process.argv.slice(2);
const commands: Record<string, () => Promise<void>> = { serve, update, 'cache-feeds': cacheFeedsCli, import: importCli };
const run = commands[command];
if (!run) {
  process.stderr.write(`Unknown command "${command}". Commands: ${Object.keys(commands).join(', ')}\n`);
  process.exit(2);
}
run().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
