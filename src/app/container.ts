import { readFileSync } from 'node:fs';
import { createAuthenticator } from '../core/auth/authenticator.js';
import { loadDescribeTypes, typeMatrix } from '../core/attributes/describe-types.js';
import { loadObjectTemplates } from '../core/objects/load-object-templates.js';
import { createSettingsService } from '../core/settings/settings-service.js';
import { createWarninglistMatcherCache } from '../core/warninglists/warninglist-matcher-cache.js';
import { buildApp } from '../server/build-app.js';
import { createStorage } from '../storage/create-storage.js';
import { syncIdSequenceSql } from '../storage/dialect.js';
import { bootstrap } from './bootstrap.js';
import { createMailer } from './mail/create-mailer.js';
import { createFeedSource } from './feeds/feed-source.js';
import type { Config } from './config.js';
import { tuneHeap } from './heap-tuning.js';
import { storageOptions } from './storage-options.js';
import { createMemoryRateLimitCounter } from './rate-limit/memory-counter.js';
import { createRedisRateLimitCounter } from './rate-limit/redis-counter.js';

export const MISP_VERSION = '2.5.1';
export const CAIRN_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * The composition root: the only place that knows which adapter implements which port.
 * Returns the HTTP app (not listening) and a close function.
 */
export async function buildContainer(config: Config) {
  tuneHeap(config.heapGrowingPercent);
  const storage = await createStorage(config.databaseUrl, storageOptions(config));
  const settings = createSettingsService(storage.settings);
  const sync = syncIdSequenceSql(storage.dialect, 'roles');
  const boot = await bootstrap(storage, settings, {
    adminKey: config.adminKey, baseUrl: config.baseUrl, now: Math.floor(Date.now() / 1000),
    afterRoles: async () => { if (sync) await sync.execute(storage.db); },
  });
  const authenticator = createAuthenticator({ identity: storage.identity, secret: boot.secret });
  const describeTypes = loadDescribeTypes(config.dataPacks);
  /** What the event write services check bodies against (EventWriteEnv), for writers outside HTTP (`cairn import`). */
  const packs = { typeMatrix: typeMatrix(describeTypes), objectTemplates: loadObjectTemplates(config.dataPacks) };
  const rateLimiter = config.redisUrl ? createRedisRateLimitCounter(config.redisUrl) : createMemoryRateLimitCounter();
  const app = buildApp({
    storage, authenticator, settings, describeTypes, ...packs, warninglistMatcher: createWarninglistMatcherCache(),
    feedSource: createFeedSource(),
    mailer: createMailer({ smtpUrl: config.smtpUrl, spoolDir: config.mailSpool }), baseUrl: config.baseUrl, maxBodyBytes: config.maxBodyBytes,
    dataPacks: config.dataPacks, version: { misp: MISP_VERSION, cairn: CAIRN_VERSION }, logLevel: config.logLevel, rateLimiter,
  });
  return {
    app, storage, settings, ...packs, createdAdminKey: boot.createdAdminKey,
    async close(): Promise<void> {
      await app.close();
      await rateLimiter.close();
      await storage.close();
    },
  };
}

export type Container = Awaited<ReturnType<typeof buildContainer>>;
