import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * Bootstrap configuration, read once from the environment (README "Configuration").
 * MISP's runtime settings (MISP.*, Security.*) live in the database instead (servers/serverSettings).
 */
const EnvSchema = z.object({
  CAIRN_DATABASE_URL: z.string().default('sqlite:./data/cairn.db'),
  CAIRN_HOST: z.string().default('127.0.0.1'),
  CAIRN_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  CAIRN_BASEURL: z.string().optional(),
  CAIRN_ADMIN_KEY: z.string().regex(/^[A-Za-z0-9]{40}$/, 'CAIRN_ADMIN_KEY must be 40 alphanumerics').optional(),
  CAIRN_DATA_PACKS: z.string().optional(),
  CAIRN_MAX_BODY_BYTES: z.coerce.number().int().positive().default(32 * 1024 * 1024),
  CAIRN_SMTP_URL: z.string().regex(/^smtps?:\/\//, 'CAIRN_SMTP_URL must be an smtp:// or smtps:// URL').optional(),
  CAIRN_MAIL_SPOOL: z.string().default('./data/outbox'),
  CAIRN_REDIS_URL: z.string().regex(/^rediss?:\/\//, 'CAIRN_REDIS_URL must be a redis:// or rediss:// URL').optional(),
  CAIRN_SQLITE_CACHE_MB: z.coerce.number().int().min(2).max(65536).default(64),
  CAIRN_HEAP_GROWING_PERCENT: z.coerce.number().int().min(0).max(1000).default(50),
  CAIRN_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  readonly databaseUrl: string;
  readonly host: string;
  readonly port: number;
  /** External URL (redirects, Location headers, sync). */
  readonly baseUrl: string;
  readonly adminKey: string | undefined;
  /** Folder laid out like shared/misp-data (taxonomies/, objects/, pymisp/describeTypes.json, …). */
  readonly dataPacks: string;
  readonly maxBodyBytes: number;
  readonly logLevel: string;
  /** SMTP server for outgoing mail; unset: mail is spooled as .eml files to `mailSpool`. */
  readonly smtpUrl: string | undefined;
  readonly mailSpool: string;
  /** Redis for state shared between Cairn processes (restSearch rate-limit windows); unset: kept in memory. */
  readonly redisUrl: string | undefined;
  /** SQLite page cache per connection (PRAGMA cache_size); larger databases write faster with more. */
  readonly sqliteCacheMB: number;
  /** V8's old-space growth between full collections, in percent (heap-tuning.ts); 0 leaves V8's own (up to 300). */
  readonly heapGrowingPercent: number;
}

/** The data packs beside the checkout, as in the development layout (../shared/misp-data). */
export const DEFAULT_DATA_PACKS = resolve(import.meta.dirname, '../../../shared/misp-data');

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const hostForUrl = e.CAIRN_HOST === '0.0.0.0' || e.CAIRN_HOST === '::' ? '127.0.0.1' : e.CAIRN_HOST;
  return Object.freeze({
    databaseUrl: e.CAIRN_DATABASE_URL,
    host: e.CAIRN_HOST,
    port: e.CAIRN_PORT,
    baseUrl: (e.CAIRN_BASEURL ?? `http://${hostForUrl}:${e.CAIRN_PORT}`).replace(/\/+$/, ''),
    adminKey: e.CAIRN_ADMIN_KEY,
    dataPacks: resolve(e.CAIRN_DATA_PACKS ?? DEFAULT_DATA_PACKS),
    maxBodyBytes: e.CAIRN_MAX_BODY_BYTES,
    logLevel: e.CAIRN_LOG_LEVEL,
    smtpUrl: e.CAIRN_SMTP_URL,
    mailSpool: resolve(e.CAIRN_MAIL_SPOOL),
    redisUrl: e.CAIRN_REDIS_URL,
    sqliteCacheMB: e.CAIRN_SQLITE_CACHE_MB,
    heapGrowingPercent: e.CAIRN_HEAP_GROWING_PERCENT,
  });
}
