import type { Authenticator } from '../core/auth/authenticator.js';
import type { FeedSource } from '../core/ports/feed-source.js';
import type { Mailer } from '../core/ports/mailer.js';
import type { RateLimitCounter } from '../core/ports/rate-limit-counter.js';
import type { Storage } from '../core/ports/stores.js';
import type { SettingsService } from '../core/settings/settings-service.js';
import type { DescribeTypes, TypeMatrix } from '../core/attributes/describe-types.js';
import type { ObjectTemplateRegistry } from '../core/objects/object-templates.js';
import type { WarninglistMatcherCache } from '../core/warninglists/warninglist-matcher-cache.js';

/** What the HTTP layer receives from the composition root (src/app/container.ts). */
export interface AppDeps {
  readonly storage: Storage;
  readonly authenticator: Authenticator;
  readonly settings: SettingsService;
  readonly describeTypes: DescribeTypes;
  readonly typeMatrix: TypeMatrix;
  readonly objectTemplates: ObjectTemplateRegistry;
  /** The enabled warninglists' matcher (checkValue, event view warnings, enforceWarninglist); invalidate after changes. */
  readonly warninglistMatcher: WarninglistMatcherCache;
  readonly mailer: Mailer;
  /** Reads feed content over HTTP or from local files (feed caching). */
  readonly feedSource: FeedSource;
  /** Windows of the restSearch rate limit (core/auth/rate-limit.ts): in memory, or Redis with CAIRN_REDIS_URL. */
  readonly rateLimiter: RateLimitCounter;
  readonly baseUrl: string;
  readonly maxBodyBytes: number;
  readonly dataPacks: string;
  readonly version: { readonly misp: string; readonly cairn: string };
  readonly logLevel: string;
}
