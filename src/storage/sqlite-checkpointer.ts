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

/** How often the worker checkpoints; a checkpoint with nothing to copy reads one shared-memory header. */
const INTERVAL_MS = 100;

// Plain JavaScript run as the worker's script (eval), so it needs no TypeScript loader.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 0');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: the writer's own checkpoint is running */ }
}, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

export function startSqliteCheckpointer(path: string): SqliteCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver, intervalMs: INTERVAL_MS } });
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
