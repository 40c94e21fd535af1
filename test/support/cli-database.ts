import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { PG_ADMIN_URL } from './test-server.js';

/** Helpers for CLI tests: a fresh database per dialect, and `npm run cairn -- …` as a child process. */

const ROOT = resolve(import.meta.dirname, '..', '..');

export interface FreshDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** `pgOptions`: what follows `create database <name>` on PostgreSQL (a template, a locale). */
export async function freshDatabase(dialect: string, pgOptions = ''): Promise<FreshDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-cli-'));
    return { url: `sqlite:${join(dir, 'cairn.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `cairn_cli_${randomBytes(5).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    await c.query(sql);
    await c.end();
  };
  await admin(`create database ${name} ${pgOptions}`);
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}

/** Runs the CLI (src/cli/main.ts) with `args` and extra environment, as an operator would. */
export function cairn(args: string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT, env: { ...process.env, CAIRN_LOG_LEVEL: 'silent', ...env }, encoding: 'utf8', timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
