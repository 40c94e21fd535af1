import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Shared file access for the knowledge-pack loaders (taxonomies, warninglists, noticelists): a missing or
 * unreadable file is a reported failure, never an exception, so one broken pack file cannot stop an update.
 */

/** A pack item that could not be used, named after its folder or file. */
export interface PackFailure {
  readonly name: string;
  readonly reason: string;
}

export type JsonRead = { readonly ok: true; readonly json: unknown } | { readonly ok: false; readonly reason: string };

export function readJsonFile(file: string): JsonRead {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'ENOENT' ? `${file} does not exist` : `${file} could not be read (${code ?? String(err)})` };
  }
  try {
    return { ok: true, json: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, reason: `${file} is not valid JSON (${(err as Error).message})` };
  }
}

/** Sub-folders of `dir`, sorted; an absent folder has none. */
export function subfolders(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => {
    try {
      return statSync(join(dir, name)).isDirectory();
    } catch {
      return false;
    }
  }).sort();
}

/** Plain files of `dir` ending with `suffix`, sorted. */
export function filesEndingWith(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => name.endsWith(suffix) && statSync(join(dir, name)).isFile()).sort();
}

export type Json = Record<string, unknown>;
export const isJsonObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
export const optionalString = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** MISP versions are integers; a missing one counts as 1 (every update() does `$list['version'] ?? 1`). */
export function packVersion(v: unknown): number | undefined {
  if (v === undefined || v === null) return 1;
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}
