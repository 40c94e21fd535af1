import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints on a second SQLite connection, in a worker thread.
 *
 * In WAL mode a commit appends the transaction's pages to the WAL; a *checkpoint* copies them into the database file
 * and syncs it. SQLite runs it inside the commit that crosses `wal_autocheckpoint`, so that request paid for copying
 * every page since the last one (10,000 pages, before this worker): measured on a 50,000-attribute events/add, the
 * commit took ~250 ms with the checkpoint and ~60 ms without, about 7 % of the add. A PASSIVE checkpoint on another
 * connection runs beside the writer without blocking it or any reader, on the other core. The writer keeps its own
 * `wal_autocheckpoint` as the bound on the WAL's size: when it crosses it, most pages are already copied and its
 * checkpoint has little left to do (SQLite resumes from the last copied frame). The WAL is rewound from its start
 * by the first write after a complete checkpoint, as before.
 */
export interface SqliteCheckpointer {
  close(): Promise<void>;
}

/**
 * How often the worker checkpoints: every 100 ms while the WAL changes, backing off (doubling) to 1.6 s while it does
 * not, so an idle server does not wake ten times a second. A checkpoint with nothing to copy reads one shared-memory
 * header; the first commit after a quiet spell waits at most 1.6 s to be copied (the WAL holds it meanwhile).
 */
const INTERVAL_MS = 100;
const IDLE_INTERVAL_MS = 1600;

// Plain JavaScript run as the worker's script (eval), so it needs no TypeScript loader.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 0');
let seen = '';
let delay = workerData.intervalMs;
let timer;
const tick = () => {
  let state = seen;
  try {
    const r = db.pragma('wal_checkpoint(PASSIVE)')[0];
    state = r.log + ':' + r.checkpointed;
  } catch { /* busy: the writer's own checkpoint is running */ }
  // the WAL's frame counts change with every commit and every copy: poll quickly while they do
  delay = state !== seen ? workerData.intervalMs : Math.min(delay * 2, workerData.idleIntervalMs);
  seen = state;
  timer = setTimeout(tick, delay);
};
timer = setTimeout(tick, delay);
parentPort.on('message', () => { clearTimeout(timer); db.close(); parentPort.close(); });
`;

export function startSqliteCheckpointer(path: string): SqliteCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver, intervalMs: INTERVAL_MS, idleIntervalMs: IDLE_INTERVAL_MS } });
  worker.unref();
  // a failing checkpointer (file removed, disk error) leaves checkpoints to the writer, as without it
  worker.on('error', (err) => process.emitWarning(`SQLite checkpointer stopped: ${err.message}`, 'CairnDatabaseWarning'));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async close() {
      worker.ref(); // an unreferenced worker would let the process end before it has closed its connection
      worker.postMessage('close');
      await exited;
    },
  };
}
