import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Server-side prepared statements on PostgreSQL for the statements of write transactions. A write transaction runs
 * the same few dozen statements again and again (an events/add runs ~10 per event: the event, its tags, objects,
 * attributes, correlation probes), and each unnamed statement is parsed and analysed again every time (~0.18 ms
 * of server time each, measured with `log_min_duration_statement`). Named, PostgreSQL parses it once per connection.
 *
 * Plans stay custom (`plan_cache_mode = force_custom_plan`, set on every connection by open-database.ts): after five
 * runs PostgreSQL would otherwise keep a generic plan, and the generic plan of the correlation probe (`value1_hash =
 * any($1) and id < $2`) read the whole primary key range, 29 ms instead of ~1 ms. Measured at 300k attributes
 * (bench/correlation.ts, named and unnamed groups alternating in one run): +9 % ingest.
 *
 * Only statements inside {@link preparedScope} are named: the storage's write transactions, whose statements have
 * fixed shapes. Searches are built per request from their filters; their ever-new texts would fill the name table.
 * Statements without parameters (`begin`, `commit`) gain nothing.
 */

const scope = new AsyncLocalStorage<true>();
/** Distinct statements named in this process; each connection prepares the ones it runs. */
const MAX_NAMED = 512;
/** Longer texts are lists built per call (they would not repeat). */
const MAX_TEXT = 16_384;
const names = new Map<string, string>();

/** Runs `fn` with its PostgreSQL statements named (prepared once per connection). */
export const preparedScope = <T>(fn: () => Promise<T>): Promise<T> => scope.run(true, fn);

/** The name to prepare `text` under, or undefined to run it unnamed. */
export function statementName(text: string, values: readonly unknown[] | undefined): string | undefined {
  if (scope.getStore() !== true || !values || values.length === 0 || text.length > MAX_TEXT) return undefined;
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMED) names.set(text, (name = `cairn_${names.size}`));
  return name;
}
