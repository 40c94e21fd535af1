import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../../src/app/config.js';
import { buildContainer, type Container } from '../../src/app/container.js';

export type TestDialect = 'sqlite' | 'postgres';

/** Admin connection used to create one fresh database per test server. */
export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The databases every storage-touching test runs on; CAIRN_TEST_DIALECTS=sqlite narrows it. */
export function testDialects(): TestDialect[] {
  const only = process.env.CAIRN_TEST_DIALECTS;
  return only ? (only.split(',') as TestDialect[]) : ['sqlite', 'postgres'];
}

export interface TestServer {
  readonly url: string;
  readonly adminKey: string;
  readonly container: Container;
  /** Where outgoing mail is spooled as .eml files (no SMTP server in tests). */
  readonly mailSpool: string;
  /** JSON request with MISP's headers; `key` defaults to the admin key. */
  call(method: string, path: string, body?: unknown, key?: string): Promise<{ status: number; body: any; text: string; headers: Headers }>;
  close(): Promise<void>;
}

/**
 * SQLite keeps attribute uuids as 16 bytes (src/storage/binary-uuids.ts); a write path that stored text would leave
 * rows no uuid lookup finds. Every test server checks, before it closes, that whatever its tests wrote is bytes.
 */
async function assertUuidsStoredAsBytes(container: Container): Promise<void> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from attributes where typeof(uuid) <> 'blob' or length(uuid) <> 16`
    .execute(container.storage.db);
  if (Number(rows[0]!.n) > 0) throw new Error(`${rows[0]!.n} attribute uuids were stored as text: write them as uuidBytes(…) or through a bulk column of type uuid (src/storage/binary-uuids.ts)`);
}

async function freshDatabase(dialect: TestDialect): Promise<{ url: string; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-test-'));
    return { url: `sqlite:${join(dir, 'cairn.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `cairn_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      // pg-pool's end() resolves before its connections have finished closing; forcing the drop while one is still
      // open kills it, and its client then throws "terminating connection due to administrator command" into the
      // test process. Wait for the pool's own sessions to go (bounded), then force whatever remains.
      for (let i = 0; i < 50; i++) {
        const open = await c.query('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
        if (open.rows[0].n === 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** Starts a real Cairn on an ephemeral port over a fresh database of the given dialect. */
export async function startTestServer(dialect: TestDialect, env: Record<string, string> = {}): Promise<TestServer> {
  const db = await freshDatabase(dialect);
  const adminKey = randomBytes(30).toString('base64').replace(/[^A-Za-z0-9]/g, '').padEnd(40, 'x').slice(0, 40);
  const mailSpool = join(tmpdir(), `cairn-outbox-${randomBytes(6).toString('hex')}`);
  const config = loadConfig({
    CAIRN_DATABASE_URL: db.url, CAIRN_PORT: '0', CAIRN_ADMIN_KEY: adminKey, CAIRN_LOG_LEVEL: 'silent', CAIRN_MAIL_SPOOL: mailSpool, ...env,
  });
  const container = await buildContainer(config);
  const address = await container.app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: address,
    adminKey,
    container,
    mailSpool: config.mailSpool,
    async call(method, path, body, key = adminKey) {
      const res = await fetch(`${address}/${path.replace(/^\//, '')}`, {
        method,
        headers: { Authorization: key, Accept: 'application/json', 'Content-Type': 'application/json' },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        // non-JSON body stays text
      }
      return { status: res.status, body: parsed, text, headers: res.headers };
    },
    async close() {
      if (dialect === 'sqlite') await assertUuidsStoredAsBytes(container);
      await container.close();
      await db.drop();
      rmSync(config.mailSpool, { recursive: true, force: true });
    },
  };
}
