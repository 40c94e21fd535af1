import { randomUUID } from 'node:crypto';
import { SECRET_SETTING } from '../../src/app/bootstrap.js';
import { hashApiKey, keyHints } from '../../src/core/auth/secrets.js';
import { datetime } from '../../src/core/misp-format/scalars.js';
import type { TestServer } from '../support/test-server.js';

/**
 * Shared by the access-control suites (test/acl): a seeded random source, so a failing run can be replayed with
 * CAIRN_ACL_SEED, and users with API keys made straight through the identity store (no HTTP, no ACL involved).
 */

export const NOW = 1_700_000_000;

/** MISP's default role ids (INSTALL/MYSQL.sql; src/core/model/role.ts). */
export const ROLE = { admin: 1, orgAdmin: 2, user: 3, publisher: 4, sync: 5, readOnly: 6 } as const;

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  chance(p: number): boolean;
  pick<T>(xs: readonly T[]): T;
  /** A v4-shaped uuid drawn from this source, so a seed reproduces the same rows. */
  uuid(): string;
  /** A 40-character alphanumeric API key drawn from this source. */
  apiKey(): string;
}

/** mulberry32: tiny, fast and good enough to explore a state space reproducibly. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const hex = (n: number) => Array.from({ length: n }, () => int(16).toString(16)).join('');
  const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return {
    next, int,
    chance: (p) => next() < p,
    pick: (xs) => xs[int(xs.length)]!,
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[int(4)]}${hex(3)}-${hex(12)}`,
    apiKey: () => Array.from({ length: 40 }, () => ALNUM[int(ALNUM.length)]).join(''),
  };
}

/** The seed of this run: CAIRN_ACL_SEED when set (to replay a failure), else a fresh one. */
export function runSeed(): number {
  const fromEnv = process.env.CAIRN_ACL_SEED;
  if (fromEnv !== undefined && fromEnv !== '') {
    const n = Number(fromEnv);
    if (!Number.isInteger(n)) throw new Error(`CAIRN_ACL_SEED must be an integer, got ${fromEnv}`);
    return n;
  }
  return Math.floor(Math.random() * 2 ** 31);
}

export async function createOrg(s: TestServer, name: string, uuid: string): Promise<{ id: number; uuid: string }> {
  const org = await s.container.storage.identity.createOrganisation({ uuid, name, local: true, createdBy: 1 }, datetime(NOW));
  return { id: org.id, uuid: org.uuid };
}

export interface KeyOptions {
  readonly readOnly?: boolean;
  /** Unix seconds; 0 never expires. */
  readonly expiration?: number;
}

/** Adds an API key to an existing user and returns the clear-text key. */
export async function addKey(s: TestServer, userId: number, key: string, opts: KeyOptions = {}): Promise<string> {
  const { start, end } = keyHints(key);
  await s.container.storage.identity.createAuthKey({
    uuid: randomUUID(), hash: hashApiKey(s.container.settings.stored(SECRET_SETTING) as string, key), start, end,
    created: NOW, expiration: opts.expiration ?? 0, readOnly: opts.readOnly ?? false, userId, comment: '', allowedIps: null,
  });
  return key;
}

export interface TestUser {
  readonly id: number;
  readonly orgId: number;
  readonly email: string;
  readonly key: string;
}

/** A user of `orgId` with role `roleId` and one API key. */
export async function createUser(
  s: TestServer, o: { email: string; orgId: number; roleId: number; key: string; disabled?: boolean } & KeyOptions,
): Promise<TestUser> {
  const user = await s.container.storage.identity.createUser({
    email: o.email, passwordHash: 'x', orgId: o.orgId, roleId: o.roleId, legacyKeyHash: '', legacyKeyStart: '',
    legacyKeyEnd: '', invitedBy: 1, now: NOW, disabled: o.disabled ?? false, termsaccepted: true,
  });
  const key = await addKey(s, user.id, o.key, o);
  return { id: user.id, orgId: o.orgId, email: o.email, key };
}
