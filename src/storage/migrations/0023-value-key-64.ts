/**
 * Write-path sizing (docs/adr/0009, performance.md §4.2 metric 5): SQLite's value key indexes are rebuilt on a
 * 64-character key (`Dialect.ciIn`), which holds every IP, domain and hash whole; ~15 bytes per attribute less.
 * The statements are migration 0014's, which build the indexes on the dialect's current key; PostgreSQL's
 * 200-character key stays (no statements).
 */
export { up } from './0014-value-key-indexes.js';
