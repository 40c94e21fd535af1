/**
 * Server-side prepared statements on PostgreSQL for the statements of write transactions. A write transaction runs
 * the same few dozen statements again and again (an events/add runs ~10 per event: the event, its tags, objects,
 * attributes, correlation probes), and each unnamed statement is parsed and analysed again every time (~0.18 ms
 * of server time each, measured with `log_min_duration_statement`). Named, PostgreSQL parses it once per connection.
 *
 * Plans stay custom (`PG_SESSION_OPTIONS` of open-database.ts says why). Measured at 300k attributes
 * (bench/correlation.ts, named and unnamed groups alternating in one run): +5 % ingest.
 *
 * Only statements inside a transaction are named: Cairn's transactions are its writes (`Storage.transaction`,
 * migrations), whose statements have fixed shapes. Searches run outside transactions and are built per request from
 * their filters; their ever-new texts would fill the name table. The connection wrapper of open-database.ts follows
 * `begin` / `commit` / `rollback` on each connection (not an AsyncLocalStorage scope: on Node 20 that switches on
 * promise hooks for the whole process, ~15 % of the ingest, ADR 0010). Statements without parameters gain nothing.
 */

/** Distinct statements named in this process; each connection prepares the ones it runs. */
const MAX_NAMED = 512;
/** Longer texts are lists built per call (they would not repeat). */
const MAX_TEXT = 16_384;
const names = new Map<string, string>();

/** Whether `text` starts (`true`) or ends (`false`) a transaction; undefined for any other statement. */
export function transactionBoundary(text: string): boolean | undefined {
  if (text.length > 64) return undefined;
  const t = text.trim().toLowerCase();
  if (t === 'begin' || t.startsWith('start transaction')) return true;
  if (t === 'commit' || t === 'rollback' || t === 'end') return false;
  return undefined;
}

/** The name to prepare `text` under (a statement run inside a transaction), or undefined to run it unnamed. */
export function statementName(text: string, values: readonly unknown[] | undefined): string | undefined {
  if (!values || values.length === 0 || text.length > MAX_TEXT) return undefined;
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMED) names.set(text, (name = `cairn_${names.size}`));
  return name;
}
