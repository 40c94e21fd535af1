/**
 * Server-side prepared statements on PostgreSQL. A write transaction runs the same few dozen statements again and
 * again (an events/add runs ~10 per event: the event, its tags, objects, attributes, correlation probes), and each
 * unnamed statement is parsed and analysed again every time (~0.18 ms of server time each, measured with
 * `log_min_duration_statement`). Named, PostgreSQL parses it once per connection.
 *
 * Plans stay custom (`PG_SESSION_OPTIONS` of open-database.ts says why). Measured at 300k attributes
 * (bench/correlation.ts, named and unnamed groups alternating in one run): +5 % ingest.
 *
 * - Statements inside a transaction are named at once: Cairn's transactions are its writes (`Storage.transaction`,
 *   migrations), whose statements have fixed shapes. The connection wrapper of open-database.ts follows `begin` /
 *   `commit` / `rollback` on each connection (not an AsyncLocalStorage scope: on Node 20 that switches on promise
 *   hooks for the whole process, ~15 % of the ingest, ADR 0010).
 * - Statements outside transactions are the reads: every request's user context, a search page's events and tags,
 *   and searches, which are built per request from their filters. A read is named the second time its text runs,
 *   from a budget of its own, so the shapes that repeat (a script's value search, a page's tags) are parsed once per
 *   connection and one-off search shapes neither fill the name table nor take names from the writes. A
 *   restSearch by value (3a) runs four such statements: ~0.2–0.3 ms each of parsing and row descriptions.
 *
 * Statements without parameters gain nothing and stay unnamed.
 */

/** Distinct statements named in this process, run inside transactions and outside them; each connection prepares the ones it runs. */
const MAX_NAMED = { write: 512, read: 256 };
/** Longer texts are lists built per call (they would not repeat). */
const MAX_TEXT = 16_384;
/** Read texts seen once, remembered until the second run names them; forgotten all at once past this many. */
const MAX_SEEN = 512;
const names = new Map<string, string>();
const counts = { write: 0, read: 0 };
const seenOnce = new Set<string>();

/** Whether `text` starts (`true`) or ends (`false`) a transaction; undefined for any other statement. */
export function transactionBoundary(text: string): boolean | undefined {
  if (text.length > 64) return undefined;
  const t = text.trim().toLowerCase();
  if (t === 'begin' || t.startsWith('start transaction')) return true;
  if (t === 'commit' || t === 'rollback' || t === 'end') return false;
  return undefined;
}

/**
 * The name to prepare `text` under, or undefined to run it unnamed: inside a transaction at once, outside from its
 * second run.
 */
export function statementName(text: string, values: readonly unknown[] | undefined, inTransaction: boolean): string | undefined {
  if (!values || values.length === 0 || text.length > MAX_TEXT) return undefined;
  const known = names.get(text);
  if (known !== undefined) return known;
  const kind = inTransaction ? 'write' : 'read';
  if (counts[kind] >= MAX_NAMED[kind]) return undefined;
  if (kind === 'read' && !seenOnce.has(text)) {
    if (seenOnce.size >= MAX_SEEN) seenOnce.clear();
    seenOnce.add(text);
    return undefined;
  }
  seenOnce.delete(text);
  const name = `cairn_${names.size}`;
  names.set(text, name);
  counts[kind]++;
  return name;
}
