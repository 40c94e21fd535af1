import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Server-side prepared statements on PostgreSQL for the statements of write transactions. A write transaction runs
 * the same few dozen statements again and again (an events/add runs ~10 per event: the event, its tags, objects,
 * attributes, correlation probes), and each unnamed statement is parsed, analysed and planned again every time:
 * ~0.35 of ~0.5 ms server time for a small one. Named, PostgreSQL parses it once per connection and, after five runs,
 * keeps a generic plan when that costs no more than the custom ones (`plan_cache_mode = auto`). Measured at 300k
 * attributes (bench/correlation.ts, alternating groups in one run): +16 % ingest with every statement of the
 * transactions named, +7–8 % with the writes alone.
 *
 * Only statements inside {@link preparedScope} are named: the storage's write transactions, whose statements have
 * fixed shapes. Searches (restSearch, indexes, counts) are built per request with filters whose best plan depends on
 * the values (a one-day against a five-year window), so they stay unnamed and planned for their parameters; their
 * ever-new texts would also fill the name table. Statements without parameters (`begin`, `commit`) gain nothing.
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
