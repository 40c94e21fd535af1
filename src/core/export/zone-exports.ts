import { type Chunk, utf8Join } from '../util/utf8-join.js';
import { attributePages, type ExportContext, type ExportSource } from './export-items.js';

/**
 * `rpz` (`RPZExport`, a DNS Response Policy Zone) and `bro` / `zeek` (`BroExport`, Zeek intel framework lines),
 * spec §8.1. The zone groups entries by kind, so `rpz` gathers the distinct names and addresses before writing.
 */

const POLICIES: Record<string, { id: number; action: string; explanation: string }> = {
  'Local-Data': { id: 3, action: '$walled_garden', explanation: 'returns the defined alternate location.' },
  NXDOMAIN: { id: 1, action: '.', explanation: 'return NXDOMAIN (name does not exist) irrespective of actual result received.' },
  NODATA: { id: 2, action: '*.', explanation: 'returns NODATA (name exists but no answers returned) irrespective of actual result received.' },
  DROP: { id: 0, action: 'rpz-drop.', explanation: 'timeout.' },
  PASSTHRU: { id: 4, action: 'rpz-passthru.', explanation: 'lets queries through, but allows for logging the hits (useful for testing).' },
  'TCP-only': { id: 5, action: 'rpz-tcp-only.', explanation: 'force the client to use TCP.' },
};

/** `Plugin.RPZ_*` defaults of MISP's server settings. */
const RPZ_DEFAULTS: Record<string, string> = {
  policy: '1', walled_garden: '127.0.0.1', serial: '$date00', refresh: '2h', retry: '30m', expiry: '30d',
  minimum_ttl: '1h', ttl: '1w', ns: 'localhost.', ns_alt: '', email: 'root.localhost',
};

function rpzSettings(ctx: ExportContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, d] of Object.entries(RPZ_DEFAULTS)) {
    const asked = ctx.output.rpz[k];
    const stored = ctx.setting(`Plugin.RPZ_${k}`);
    out[k] = asked !== undefined && (k !== 'policy' || asked in POLICIES) ? (k === 'policy' ? String(POLICIES[asked]!.id) : asked)
      : stored !== undefined && stored !== null && stored !== '' ? String(stored) : d;
  }
  return out;
}

function zoneHeader(s: Record<string, string>, now: number): string {
  const day = new Date(now * 1000).toISOString().slice(0, 10).replace(/-/g, '');
  const serial = s.serial!.replace('$date', day).replace('$time', String(now));
  let h = `$TTL ${s.ttl};\n@               SOA ${s.ns} ${s.email} (${serial} ${s.refresh} ${s.retry} ${s.expiry} ${s.minimum_ttl})\n`;
  h += s.ns_alt ? `                NS ${s.ns}\n                NS ${s.ns_alt}\n\n` : `                NS ${s.ns}\n\n`;
  return h;
}

function rpzIp(input: string, action: string): string {
  const v6 = input.includes(':');
  const slash = input.indexOf('/');
  const ip = slash > 0 ? input.slice(0, slash) : input;
  const prefix = slash > 0 ? input.slice(slash + 1) : v6 ? '128' : '32';
  const reversed = v6
    ? ip.replace('::', ':zz:').split(':').filter((p) => p !== '').reverse().join('.')
    : ip.split('.').reverse().join('.');
  return `${prefix}.${reversed}.rpz-ip CNAME ${action}\n`;
}

export async function* rpzExport(source: ExportSource, ctx: ExportContext): AsyncGenerator<Chunk> {
  const settings = rpzSettings(ctx);
  const ips = new Set<string>();
  const domains = new Set<string>();
  const hostnames = new Set<string>();
  for await (const page of attributePages(source)) {
    for (const { attribute: a } of page) {
      if (a.type === 'ip-src' || a.type === 'ip-dst') ips.add(a.value1);
      else if (a.type === 'domain') domains.add(a.value1);
      else if (a.type === 'hostname') hostnames.add(a.value1);
      else if (a.type === 'domain|ip') {
        domains.add(a.value1);
        ips.add(a.value2);
      }
    }
  }
  const name = Object.keys(POLICIES).find((k) => String(POLICIES[k]!.id) === settings.policy) ?? 'NXDOMAIN';
  const policy = POLICIES[name]!;
  const action = name === 'Local-Data' ? settings.walled_garden! : policy.action;
  yield zoneHeader(settings, ctx.now);
  const section = (intro: string, items: Set<string>, line: (v: string) => string): Chunk =>
    (items.size ? utf8Join([...[...items].map(line), '\n'], '', `; The following ${intro} will ${policy.explanation}\n`) : '');
  yield section('list of IP addresses', ips, (v) => rpzIp(v, action));
  yield section('domain names and all of their sub-domains', domains, (v) => `${v} CNAME ${action}\n*.${v} CNAME ${action}\n`);
  yield section('hostnames', hostnames, (v) => `${v} CNAME ${action}\n`);
}

/** Which value of which type becomes which Zeek indicator type (`BroExport::$mapping` restricted to `$mispTypes`). */
const ZEEK_TYPES: Record<string, readonly (readonly [1 | 2, string])[]> = {};
const add = (types: readonly string[], entries: readonly (readonly [1 | 2, string])[]) => {
  for (const t of types) ZEEK_TYPES[t] = entries;
};
add(['ip-src', 'ip-dst', 'ip-src|port', 'ip-dst|port'], [[1, 'ADDR']]);
add(['domain|ip'], [[1, 'DOMAIN'], [2, 'ADDR']]);
add(['url'], [[1, 'URL']]);
add(['hostname', 'domain'], [[1, 'DOMAIN']]);
add(['ja3-fingerprint-md5'], [[1, 'JA3']]);
add(['email', 'email-src', 'email-dst', 'target-email'], [[1, 'EMAIL']]);
add(['filename', 'email-attachment', 'pdb'], [[1, 'FILE_NAME']]);
add(['filename|md5', 'filename|sha1', 'filename|sha256', 'malware-sample'], [[1, 'FILE_NAME'], [2, 'FILE_HASH']]);
add(['md5', 'sha1', 'sha256', 'authentihash', 'ssdeep', 'imphash', 'pehash', 'impfuzzy', 'sha224', 'sha384', 'sha512',
  'sha512/224', 'sha512/256', 'tlsh'], [[1, 'FILE_HASH']]);
add(['filename|authentihash', 'filename|ssdeep', 'filename|imphash', 'filename|pehash', 'filename|impfuzzy',
  'filename|sha224', 'filename|sha384', 'filename|sha512', 'filename|sha512/224', 'filename|sha512/256', 'filename|tlsh'], [[2, 'FILE_HASH']]);
add(['x509-fingerprint-sha1'], [[1, 'CERT_HASH']]);
add(['user-agent'], [[1, 'SOFTWARE']]);

/** `BroExport::replaceIllegalChars`: no tabs or line breaks, no markup, ASCII only. */
const zeekClean = (v: string): string =>
  v.replace(/[\t\v\r\n]/g, ' ').replace(/<[^>]*>?/g, '').replace(/[^\x00-\x7f]/g, '');

export const ZEEK_HEADER = '#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url\tmeta.do_notice\tmeta.if_in';

/** Zeek intel lines: `indicator, Intel::TYPE, "<instance> (<event uuid>) - <creator org>", "<info>. <comment>", url, T, -`. */
export async function* zeekExport(source: ExportSource, ctx: ExportContext): AsyncGenerator<Chunk> {
  yield `${ZEEK_HEADER}\n`;
  for await (const page of attributePages(source)) {
    const lines: string[] = [];
    for (const { attribute: a, event, orgc } of page) {
      const entries = ZEEK_TYPES[a.type];
      if (!entries || !orgc) continue;
      for (const [field, zeekType] of entries) {
        let value = zeekClean(field === 1 ? a.value1 : a.value2);
        if (a.type === 'url') value = value.replace(/^https?:\/\//, '');
        const type = zeekType === 'ADDR' && value.includes('/') ? 'SUBNET' : zeekType;
        const origin = `${ctx.instanceName} (${event.uuid}) - ${orgc.name}`;
        lines.push(`${value}\tIntel::${type}\t${origin}\t${zeekClean(event.info)}. ${zeekClean(a.comment)}\t${ctx.baseUrl}/events/view/${event.id}\tT\t-\n`);
      }
    }
    yield utf8Join(lines);
  }
}
