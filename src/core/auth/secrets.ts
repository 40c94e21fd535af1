import { createHmac, randomBytes, randomInt, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import bcrypt from 'bcryptjs';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;

const ALPHANUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A new API key: 40 random alphanumerics, MISP's format (spec §0.3 step 7). */
export function generateApiKey(): string {
  let s = '';
  for (let i = 0; i < 40; i++) s += ALPHANUM[randomInt(ALPHANUM.length)];
  return s;
}

export const API_KEY_RE = /^[a-zA-Z0-9]{40}$/;

/** The hints MISP stores beside a key hash to find candidates (authkey_start / authkey_end). */
export const keyHints = (key: string): { start: string; end: string } => ({ start: key.slice(0, 4), end: key.slice(-4) });

/**
 * API keys are 238-bit random values, so a fast keyed hash is enough (a slow KDF would cost every
 * request a bcrypt round). HMAC-SHA256 under the instance secret: docs/adr/0002-secrets.md.
 */
export function hashApiKey(secret: string, key: string): string {
  return `hmac-sha256$${createHmac('sha256', secret).update(key).digest('hex')}`;
}

/** Verifies a key against our HMAC form or an imported MISP bcrypt (`$2y$`/`$2a$`/`$2b$`) hash. */
export async function verifyApiKey(secret: string, stored: string, key: string): Promise<boolean> {
  if (stored.startsWith('hmac-sha256$')) return safeEqual(stored, hashApiKey(secret, key));
  if (/^\$2[aby]\$/.test(stored)) return bcrypt.compare(key, stored);
  return false;
}

const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

/** New password hashes: scrypt in a PHC-like string. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32, SCRYPT);
  return `$scrypt$N=${SCRYPT.N},r=${SCRYPT.r},p=${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Verifies our scrypt hashes and MISP's `$2y$` bcrypt hashes (imported accounts). */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  if (/^\$2[aby]\$/.test(stored)) return bcrypt.compare(password, stored);
  const m = /^\$scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([^$]+)\$([^$]+)$/.exec(stored);
  if (!m) return false;
  const expected = Buffer.from(m[5]!, 'base64');
  const got = await scrypt(password, Buffer.from(m[4]!, 'base64'), expected.length, {
    N: Number(m[1]), r: Number(m[2]), p: Number(m[3]), maxmem: SCRYPT.maxmem,
  });
  return got.length === expected.length && timingSafeEqual(got, expected);
}

function safeEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

/** A random password for accounts created without one (MISP generates one too). */
export function generatePassword(): string {
  return `${generateApiKey().slice(0, 20)}!aA1`;
}
