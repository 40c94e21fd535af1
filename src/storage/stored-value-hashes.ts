import { type Kysely, sql } from 'kysely';
import { fmix32 } from '../core/correlation/correlation-keys.js';
import { arrayRows } from './array-rows.js';
import type { Database } from './db-schema.js';

/**
 * Which value hashes the committed attribute rows may hold (ADR 0009, "Session 14"), so that correlation probes the
 * hash indexes only for values seen before: most values of a bulk import are new, and at 10M attributes the probe of
 * a new value reads index pages that no longer fit the cache. An approximate set: a hash it has never seen is held
 * by no committed row; one it has seen may be (deleted rows, other values with a colliding filter position).
 *
 * SQLite only, with its one writing connection per process: every value the process writes goes through the
 * attribute write batches, which report their rows' hashes; those of a transaction join the set once it commits.
 * Another process writing the same file shows in `PRAGMA data_version`, and the set is then read again from the
 * table. PostgreSQL, written by several processes at once, has no such set.
 */
export interface StoredValueHashes {
  /** The hashes among `hashes` that rows committed before the current transaction may hold. */
  candidates(db: Kysely<Database>, hashes: readonly number[]): Promise<number[]>;
  /** The value hashes of rows a transaction wrote, once it committed. */
  committed(hashes: readonly number[]): void;
}

/** Bits per hash the filter is sized for (~1 % false positives with 7 probes). */
const BITS_PER_HASH = 10;
const PROBES = 7;
/** Rows read per statement when the set is read from the table (~50 ms each at 1 µs per row). */
const SCAN_PAGE = 50_000;

/** A Bloom filter of 53-bit value hashes (correlation-keys.ts `keyHash`), by double hashing. */
class HashFilter {
  private readonly bits: Uint32Array;
  private readonly size: number;
  /** Hashes it was sized for; past them, false positives grow. */
  readonly capacity: number;
  added = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.size = Math.max(1024, capacity * BITS_PER_HASH);
    this.bits = new Uint32Array(Math.ceil(this.size / 32));
  }

  private positions(hash: number, visit: (bit: number) => boolean): boolean {
    const low = hash >>> 0;
    // a second probe step from the hash's high bits, mixed (murmur3's finaliser)
    const step = fmix32(low ^ Math.floor(hash / 0x1_0000_0000)) | 1;
    for (let i = 0; i < PROBES; i++) {
      if (!visit((low + Math.imul(i, step) >>> 0) % this.size)) return false;
    }
    return true;
  }

  add(hash: number): void {
    this.added++;
    this.positions(hash, (bit) => {
      this.bits[bit >>> 5]! |= 1 << (bit & 31);
      return true;
    });
  }

  has(hash: number): boolean {
    return this.positions(hash, (bit) => (this.bits[bit >>> 5]! & (1 << (bit & 31))) !== 0);
  }
}

/** Filters of growing capacity: a full one keeps answering, new hashes go to a larger one (no re-read). */
class GrowingFilter {
  private readonly filters: HashFilter[];

  constructor(capacity: number) {
    this.filters = [new HashFilter(capacity)];
  }

  add(hash: number): void {
    let last = this.filters[this.filters.length - 1]!;
    if (last.added >= last.capacity) this.filters.push(last = new HashFilter(2 * last.capacity));
    last.add(hash);
  }

  has(hash: number): boolean {
    return this.filters.some((f) => f.has(hash));
  }
}

type State =
  | { readonly kind: 'unread' }
  /** Being read from the table, a page per statement between transactions; commits meanwhile wait in `pending`. */
  | { readonly kind: 'reading'; readonly pending: number[] }
  | { readonly kind: 'ready'; readonly filter: GrowingFilter; readonly version: number };

/**
 * The set of one SQLite database (`root`: its connection outside any transaction). It is read from the table in the
 * background, a page of rows per statement, so no transaction waits for a whole read; until it is ready every hash
 * is a candidate. It is read again when another connection committed (`PRAGMA data_version` changed).
 */
export function createStoredValueHashes(root: Kysely<Database>): StoredValueHashes {
  let state: State = { kind: 'unread' };
  const dataVersion = async (db: Kysely<Database>) => Number((await arrayRows(db, sql`pragma data_version`))[0]![0]);

  const read = async (pending: number[]): Promise<void> => {
    for (;;) {
      const version = await dataVersion(root);
      const [max] = await arrayRows(root, sql`select max(id) from attributes`);
      const filter = new GrowingFilter(Math.max(1_000_000, 2 * Number(max![0] ?? 0)));
      for (let after = 0; ;) {
        const page = await arrayRows(root, sql`select id, value1_hash, value2_hash from attributes where id > ${after} order by id limit ${SCAN_PAGE}`);
        for (const r of page) {
          filter.add(Number(r[1]));
          if (r[2] !== null) filter.add(Number(r[2]));
        }
        if (page.length < SCAN_PAGE) break;
        after = page[page.length - 1]![0] as number;
      }
      // another connection's commit during the read may have changed rows already read: read again
      if (await dataVersion(root) !== version) continue;
      for (const h of pending) filter.add(h);
      state = { kind: 'ready', filter, version };
      return;
    }
  };

  const startReading = () => {
    const pending: number[] = [];
    state = { kind: 'reading', pending };
    // a failed read (the database closed meanwhile) leaves the set unread: every hash stays a candidate
    read(pending).catch(() => { state = { kind: 'unread' }; });
  };

  return {
    async candidates(db, hashes) {
      if (hashes.length === 0) return [];
      if (state.kind === 'ready') {
        const { filter, version } = state;
        if (await dataVersion(db) === version) return hashes.filter((h) => filter.has(h));
      }
      if (state.kind !== 'reading') startReading();
      return [...hashes];
    },
    committed(hashes) {
      if (state.kind === 'ready') for (const h of hashes) state.filter.add(h);
      else if (state.kind === 'reading') for (const h of hashes) state.pending.push(h);
    },
  };
}
