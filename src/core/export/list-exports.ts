import { createHash } from 'node:crypto';
import { type Chunk, utf8Join } from '../util/utf8-join.js';
import { attributePages, type ExportContext, type ExportSource, valueOf } from './export-items.js';

/**
 * The one-value-per-line exports (spec §8.1): `text` (`TextExport`, unique values), `hashes` (`HashesExport`, the
 * hash of hash and filename|hash attributes), `cache` (`CacheExport`, a digest of each value), `hosts`
 * (`HostsExport`, an /etc/hosts blocklist of domains). Lines end with `\n`; an empty result is a single `\n`, as
 * MISP's footer makes it.
 */

/** `text`: each distinct value once, in the order first met. Memory grows with the number of distinct values. */
export async function* textExport(source: ExportSource): AsyncGenerator<Chunk> {
  const seen = new Set<string>();
  for await (const page of attributePages(source)) {
    const lines: string[] = [];
    for (const { attribute } of page) {
      const v = valueOf(attribute);
      if (seen.has(v)) continue;
      seen.add(v);
      lines.push(`${v}\n`);
    }
    yield utf8Join(lines);
  }
  if (seen.size === 0) yield '\n';
}

const SIMPLE_HASHES = new Set(['md5', 'sha1', 'sha256', 'sha224', 'sha384', 'sha512', 'sha512/224', 'sha512/256',
  'sha3-224', 'sha3-256', 'sha3-384', 'sha3-512', 'ssdeep', 'imphash', 'tlsh', 'x509-fingerprint-sha1',
  'x509-fingerprint-md5', 'x509-fingerprint-sha256', 'pehash', 'authentihash', 'impfuzzy']);
const COMPOSITE_HASHES = new Set(['malware-sample', 'filename|md5', 'filename|sha1', 'filename|sha256', 'filename|sha224',
  'filename|sha512', 'filename|sha512/224', 'filename|sha512/256', 'filename|sha3-224', 'filename|sha3-256',
  'filename|sha3-384', 'filename|sha3-512', 'filename|ssdeep', 'filename|imphash', 'filename|tlsh', 'filename|pehash',
  'filename|authentihash', 'filename|impfuzzy']);

/** `hashes`: hash values, the second half of composite filename|hash values; other types are skipped. */
export async function* hashesExport(source: ExportSource): AsyncGenerator<string> {
  let any = false;
  for await (const page of attributePages(source)) {
    let out = '';
    for (const { attribute: a } of page) {
      const hash = COMPOSITE_HASHES.has(a.type) ? a.value2 : SIMPLE_HASHES.has(a.type) ? valueOf(a) : undefined;
      if (hash !== undefined) out += `${hash}\n`;
    }
    any ||= out !== '';
    yield out;
  }
  if (!any) yield '\n';
}

/** `cache`: `<digest of the value>[,<event uuid>]` per attribute; `hash_type` picks the digest (default md5). */
export async function* cacheExport(source: ExportSource, ctx: ExportContext): AsyncGenerator<string> {
  const algorithm = ctx.output.hashType ?? 'md5'; // validated with the request (rest-search-output.ts)
  let any = false;
  for await (const page of attributePages(source)) {
    yield page.map(({ attribute, event }) => {
      const digest = createHash(algorithm).update(valueOf(attribute)).digest('hex');
      return ctx.output.includeEventUuid ? `${digest},${event.uuid}\n` : `${digest}\n`;
    }).join('');
    any ||= page.length > 0;
  }
  if (!any) yield '\n';
}

/** `hosts`: `<ip_address or 0.0.0.0> <domain>` for each distinct domain attribute. */
export async function* hostsExport(source: ExportSource, ctx: ExportContext): AsyncGenerator<Chunk> {
  const address = ctx.output.hostsAddress ?? '0.0.0.0';
  const generated = new Date(ctx.now * 1000).toISOString().replace('T', ' ').slice(0, 19);
  yield `# Blocklist in the HOSTS format\n# Generated: ${generated} +0000\n`;
  const seen = new Set<string>();
  for await (const page of attributePages(source)) {
    const lines: string[] = [];
    for (const { attribute } of page) {
      if (attribute.type !== 'domain' || seen.has(attribute.value1)) continue;
      seen.add(attribute.value1);
      lines.push(`${address} ${attribute.value1}\n`);
    }
    yield utf8Join(lines);
  }
}
