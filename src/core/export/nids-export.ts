import { isIp } from '../attributes/ip-address.js';
import { type Chunk, utf8Join } from '../util/utf8-join.js';
import type { EventDetail, ObjectDetail, TagLink } from '../model/event.js';
import { type AttributeItem, eventAttributeItems, type ExportContext, type ExportSource, valueOf } from './export-items.js';
import {
  emailRules, ipDstRules, ipSrcRules, ja3Rules, nameRules, type NidsFlavour, replaceIllegalChars, rule, type RuleHead,
  snortAttributeRule, userAgentRules,
} from './nids-rules.js';

/**
 * `snort` and `suricata` restSearch formats (spec §8.1, `NidsExport`): a commented header, then the rules of each
 * network attribute, one per line. sids are `nids_sid + 10 × attribute id + 1…9` (objects: object id), so a rule
 * keeps its sid across exports.
 */

const TAG = 'tag:session,600,seconds;';

function explain(f: NidsFlavour): string[] {
  return [
    `# MISP export of IDS rules - optimized for ${f}`, '#',
    '# These NIDS rules contain some variables that need to exist in your configuration.', '# Make sure you have set:', '#',
    '# $HOME_NET     - Your internal network range', '# $EXTERNAL_NET - The network considered as outside',
    '# $SMTP_SERVERS - All your internal SMTP servers',
    '# $HTTP_PORTS   - The ports used to contain HTTP traffic (not required with suricata export)', '# ',
  ];
}

/** PHP parse_url's scheme, host, port and path (path undefined when the URL has none). */
function parseUrl(v: string): { scheme?: string; host: string; port?: string; path?: string } {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?([^?#]*)/.exec(v);
  if (!m) return { host: '' };
  return { scheme: m[1]!.toLowerCase(), host: m[2]!, ...(m[3] ? { port: m[3] } : {}), ...(m[4] ? { path: m[4] } : {}) };
}

const protocolPort = (scheme: string, port: string | undefined): string =>
  port ?? ({ http: '$HTTP_PORTS', https: '443', ssh: '22', ftp: '[20,21]' } as Record<string, string>)[scheme] ?? 'any';

function urlRules(f: NidsFlavour, h: RuleHead, sid: number, raw: string): string[] {
  const v = replaceIllegalChars(raw);
  if (f === 'snort') {
    return [rule(h, sid, { proto: 'tcp', src: '$HOME_NET', srcPort: 'any', dst: '$EXTERNAL_NET', dstPort: '$HTTP_PORTS',
      msg: `Outgoing HTTP URL: ${v}`, content: `flow:to_server,established; content:"${v}"; nocase; http_uri;`, tag: TAG })];
  }
  const u = parseUrl(raw);
  const msg = `Outgoing URL ${v}`;
  const base = { src: '$HOME_NET', srcPort: 'any', msg };
  switch (u.scheme) {
    case 'http': {
      const host = replaceIllegalChars(u.host).replace(/^\[|\]$/g, '');
      const content = u.path === undefined
        ? `flow:to_server,established; http.header; content:"${host}"; nocase;`
        : `flow:to_server,established; http.header; content:"${host}"; fast_pattern; nocase; http.uri; content:"${u.path}"; nocase;`;
      return [rule(h, sid, { ...base, proto: 'http', dst: isIp(host) ? host : '$EXTERNAL_NET', dstPort: protocolPort('http', u.port), content, tag: TAG })];
    }
    case 'https':
      return [rule(h, sid, { ...base, proto: 'tls', dst: '$EXTERNAL_NET', dstPort: protocolPort('https', u.port),
        content: `tls.sni; content:"${replaceIllegalChars(u.host)}";`, tag: TAG })];
    case 'ssh':
    case 'ftp':
      // Only a literal IP gives a usable rule; a name is better exported as a domain attribute.
      if (!isIp(u.host)) return [];
      return [rule(h, sid, { ...base, proto: 'tcp', dst: u.host, dstPort: u.scheme === 'ssh' ? '$SSH_PORTS' : protocolPort('ftp', u.port),
        content: `flow:to_server; app-layer-protocol:${u.scheme};`, tag: '' })];
    default:
      return [rule(h, sid, { ...base, proto: 'http', dst: '$EXTERNAL_NET', dstPort: 'any',
        content: `flow:to_server,established; http.uri; content:"${v}"; fast_pattern; nocase;`, tag: TAG })];
  }
}

/** The rules of one attribute (`NidsExport::export` switch on the type). */
function attributeRules(f: NidsFlavour, h: RuleHead, item: AttributeItem, nidsSid: number): string[] {
  const a = item.attribute;
  const sid = nidsSid + a.id * 10 + 1;
  const value = valueOf(a);
  switch (a.type) {
    case 'ip-dst': case 'ip-dst|port': return ipDstRules(h, sid, a.type, value);
    case 'ip-src': case 'ip-src|port': return ipSrcRules(h, sid, a.type, value);
    case 'email': return [...emailRules(h, sid, 'src', value), ...emailRules(h, sid + 1, 'dst', value)];
    case 'email-src': return emailRules(h, sid, 'src', value);
    case 'email-dst': return emailRules(h, sid, 'dst', value);
    case 'email-subject': return emailRules(h, sid, 'subject', value);
    case 'email-attachment': return emailRules(h, sid, 'attachment', value);
    case 'domain': return nameRules(f, h, sid, value, false);
    case 'hostname': return nameRules(f, h, sid, value, true);
    case 'domain|ip': {
      // domainIpRule: the domain rules, then the IP as destination and as source with the following sids.
      const domain = nameRules(f, h, sid, a.value1, false);
      const next = sid + (f === 'snort' ? 3 : 2);
      return [...domain, ...ipDstRules(h, next, 'ip-dst', a.value2), ...ipSrcRules(h, next + 1, 'ip-src', a.value2)];
    }
    case 'url': return urlRules(f, h, sid, value);
    case 'user-agent': return userAgentRules(f, h, sid, value);
    case 'ja3-fingerprint-md5': return ja3Rules(f, h, sid, value);
    case 'snort': return snortAttributeRule(h, sid, value);
    default: return [];
  }
}

/** network-connection and ddos objects become one rule each (`networkConnectionRule`, `ddosRule`). */
function objectRule(h: RuleHead, o: ObjectDetail, nidsSid: number): string | undefined {
  if (o.name !== 'network-connection' && o.name !== 'ddos') return undefined;
  const by = new Map(o.attributes.map((a) => [a.objectRelation ?? '', valueOf(a)]));
  const proto = (o.name === 'ddos' ? by.get('protocol') : by.get('layer4-protocol')) ?? 'ip';
  const src = by.get('ip-src') ?? '$HOME_NET';
  const dst = by.get('ip-dst') ?? '$HOME_NET';
  const msg = o.name === 'ddos' ? `DDOS attack detected between ${src} and ${dst}` : `Network connection between ${src} and ${dst}`;
  return rule(h, nidsSid + o.id * 10 + 1, {
    proto, src, srcPort: by.get('src-port') ?? 'any', dst, dstPort: by.get('dst-port') ?? 'any', msg, content: '', tag: '',
  });
}

const tagNames = (links: readonly TagLink[]) => links.map((l) => l.tag.name);

function eventRules(f: NidsFlavour, d: EventDetail, ctx: ExportContext): string[] {
  const head = (extra: readonly TagLink[]): RuleHead => ({
    eventId: d.event.id, threatLevelId: d.event.threatLevelId, baseUrl: ctx.baseUrl, tags: [...tagNames(extra), ...tagNames(d.tags)],
  });
  const out: string[] = [];
  const flat = eventAttributeItems(d);
  for (const item of flat.filter((i) => i.object === null)) out.push(...attributeRules(f, head(item.attribute.tags), item, ctx.nidsSid));
  // Network-connection and ddos objects come last, after every other object's attribute rules (as MISP orders them).
  const objectRules: string[] = [];
  for (const o of d.objects) {
    const r = objectRule(head(o.attributes.flatMap((a) => a.tags)), o, ctx.nidsSid);
    if (r !== undefined) objectRules.push(r);
    else for (const item of flat.filter((i) => i.object?.id === o.id)) out.push(...attributeRules(f, head(item.attribute.tags), item, ctx.nidsSid));
  }
  return [...out, ...objectRules];
}

export function nidsExport(flavour: NidsFlavour) {
  return async function* nids(source: ExportSource, ctx: ExportContext): AsyncGenerator<Chunk> {
    yield explain(flavour).join('\n');
    const lines = (rules: readonly string[]) => utf8Join(rules.map((r) => `\n${r}`));
    if (source.scope === 'events') {
      for await (const page of source.pages) yield lines(page.flatMap((d) => eventRules(flavour, d, ctx)));
    } else if (source.scope === 'attributes') {
      for await (const page of source.pages) {
        yield lines(page.flatMap((item) => attributeRules(flavour, {
          eventId: item.event.id, threatLevelId: item.event.threatLevelId, baseUrl: ctx.baseUrl, tags: tagNames(item.attribute.tags),
        }, item, ctx.nidsSid)));
      }
    }
  };
}
