/**
 * Rule builders of MISP's IDS exports (`NidsExport`, `NidsSnortExport`, `NidsSuricataExport`, spec §8.1), kept to
 * MISP's exact syntax so that existing Snort/Suricata pipelines load Cairn's rules unchanged.
 */

export type NidsFlavour = 'snort' | 'suricata';

/** The fixed parts of every rule of one attribute (or object): event, tags, threat level. */
export interface RuleHead {
  readonly eventId: number;
  readonly tags: readonly string[];
  readonly threatLevelId: number;
  readonly baseUrl: string;
}

interface RuleParts {
  readonly proto: string;
  readonly src: string;
  readonly srcPort: string;
  readonly dst: string;
  readonly dstPort: string;
  readonly msg: string;
  readonly content: string;
  readonly tag: string;
}

const CLASSTYPE = 'trojan-activity';

export const msgOf = (h: RuleHead, text: string): string => `msg: "MISP e${h.eventId} [${h.tags.join(',')}] ${text}"`;
export const referenceOf = (h: RuleHead): string => `reference:url,${h.baseUrl}/events/view/${h.eventId}`;

/** `$ruleFormat` filled in (note MISP's spacing around empty content/tag and the trailing space). */
export function rule(h: RuleHead, sid: number, p: RuleParts): string {
  return `alert ${p.proto} ${p.src} ${p.srcPort} -> ${p.dst} ${p.dstPort} (${msgOf(h, p.msg)}; ${p.content} ${p.tag} `
    + `classtype:${CLASSTYPE}; sid:${sid}; rev:1; priority:${h.threatLevelId}; ${referenceOf(h)};) `;
}

const ILLEGAL: Record<string, string> = { '|': '|7c|', '"': '|22|', ';': '|3b|', ':': '|3a|', '\\': '|5c|', '0x': '|30 78|' };

/** `NidsExport::replaceIllegalChars` (PHP strtr: one pass, no replacement re-replaced). */
export const replaceIllegalChars = (v: string): string => v.replace(/0x|[|";:\\]/g, (c) => ILLEGAL[c]!);

/** PHP `preg_quote` without a delimiter. */
export const pregQuote = (v: string): string => v.replace(/[.\\+*?[^\]$(){}=!<>|:\-#\0]/g, (c) => (c === '\0' ? '\\000' : `\\${c}`));

/** `dnsNameToRawFormat`: foobar.com → `|06|foobar|03|com|00|` (hostnames start with `|01|`). */
export function dnsNameToRawFormat(name: string, hostname: boolean): string {
  const labels = name.split('.').map((l) => `|${Buffer.byteLength(l).toString(16).padStart(2, '0')}|${l}`);
  return `${hostname ? '|01|' : ''}${labels.join('')}|00|`;
}

const TAG = 'tag:session,600,seconds;';

function ipPort(type: string, value: string): [string, string] {
  if (!type.includes('port')) return [value, 'any'];
  const [ip = '', port = ''] = value.split('|');
  return [ip, port];
}

export function ipDstRules(h: RuleHead, sid: number, type: string, value: string): string[] {
  const [ip, port] = ipPort(type, value);
  return [rule(h, sid, { proto: 'ip', src: '$HOME_NET', srcPort: 'any', dst: ip, dstPort: port, msg: `Outgoing To IP: ${value}`, content: '', tag: '' })];
}

export function ipSrcRules(h: RuleHead, sid: number, type: string, value: string): string[] {
  const [ip, port] = ipPort(type, value);
  return [rule(h, sid, { proto: 'ip', src: ip, srcPort: port, dst: '$HOME_NET', dstPort: 'any', msg: `Incoming From IP: ${value}`, content: '', tag: '' })];
}

/** The SMTP rules: MAIL FROM / RCPT TO / Subject / attachment file name. */
export function emailRules(h: RuleHead, sid: number, kind: 'src' | 'dst' | 'subject' | 'attachment', raw: string): string[] {
  const v = replaceIllegalChars(raw);
  const tail = 'content:"|0D 0A 0D 0A|"; within:8192;';
  const [content, msg] = kind === 'src'
    ? [`flow:established,to_server; content:"MAIL FROM|3a|"; nocase; content:"${v}"; fast_pattern; nocase; ${tail}`, `Source Email Address: ${v}`]
    : kind === 'dst'
      ? [`flow:established,to_server; content:"RCPT TO|3a|"; nocase; content:"${v}"; fast_pattern; nocase; ${tail}`, `Destination Email Address: ${v}`]
      : kind === 'subject'
        ? [`flow:established,to_server; content:"Subject|3a|"; nocase; content:"${v}"; fast_pattern; nocase; ${tail}`, 'Bad Email Subject']
        : [`flow:established,to_server; content:"Content-Disposition|3a| attachment|3b| filename|3d 22|"; content:"${v}|22|"; fast_pattern; ${tail}`, 'Bad Email Attachment'];
  return [rule(h, sid, { proto: 'tcp', src: '$EXTERNAL_NET', srcPort: 'any', dst: '$SMTP_SERVERS', dstPort: '25', msg, content, tag: TAG })];
}

/** Hostname and domain rules: DNS queries (raw labels for Snort, `dns.query` for Suricata) and HTTP Host headers. */
export function nameRules(f: NidsFlavour, h: RuleHead, sid: number, raw: string, hostname: boolean): string[] {
  const v = replaceIllegalChars(raw);
  const label = hostname ? 'Hostname' : 'Domain';
  const boundary = hostname ? '(^|[^A-Za-z0-9-\\.])' : '(^|[^A-Za-z0-9-])';
  if (f === 'suricata') {
    return [
      rule(h, sid, { proto: 'dns', src: 'any', srcPort: 'any', dst: 'any', dstPort: 'any', msg: `${label} ${v}`,
        content: `dns.query; content:"${v}"; nocase; pcre: "/${boundary}${pregQuote(v)}$/i";`, tag: '' }),
      rule(h, sid + 1, { proto: 'http', src: '$HOME_NET', srcPort: 'any', dst: '$EXTERNAL_NET', dstPort: 'any',
        msg: `Outgoing HTTP ${label} ${v}`, tag: TAG, content: hostname
          ? `flow:to_server,established; http.header; content: "Host|3a| ${v}"; fast_pattern; nocase; pcre: "/${boundary}${pregQuote(v)}[^A-Za-z0-9-\\.]/Hi";`
          : `flow:to_server,established; http.header; content: "Host|3a|"; nocase; http.header; content:"${v}"; fast_pattern; nocase; pcre: "/${boundary}${pregQuote(v)}[^A-Za-z0-9-\\.]/Hi";` }),
    ];
  }
  const dns = `content:"|01 00 00 01 00 00 00 00 00 01|"; depth:10; offset:2; content:"${dnsNameToRawFormat(v, hostname)}"; fast_pattern; nocase;`;
  return [
    rule(h, sid, { proto: 'udp', src: 'any', srcPort: 'any', dst: 'any', dstPort: '53', msg: `${label}: ${v}`, content: dns, tag: '' }),
    rule(h, sid + 1, { proto: 'tcp', src: 'any', srcPort: 'any', dst: 'any', dstPort: '53', msg: `${label}: ${v}`, content: `${dns} flow:established;`, tag: '' }),
    rule(h, sid + 2, { proto: 'tcp', src: '$HOME_NET', srcPort: 'any', dst: '$EXTERNAL_NET', dstPort: '$HTTP_PORTS',
      msg: `Outgoing HTTP ${label}: ${v}`, tag: TAG, content: hostname
        ? `flow:to_server,established; content: "Host|3a| ${v}"; nocase; http_header; pcre: "/${boundary}${pregQuote(v)}[^A-Za-z0-9-\\.]/H";`
        : `flow:to_server,established; content: "Host|3a|"; nocase; http_header; content:"${v}"; fast_pattern; nocase; http_header; pcre: "/${boundary}${pregQuote(v)}[^A-Za-z0-9-\\.]/H";` }),
  ];
}

export function userAgentRules(f: NidsFlavour, h: RuleHead, sid: number, raw: string): string[] {
  const v = replaceIllegalChars(raw);
  return f === 'suricata'
    ? [rule(h, sid, { proto: 'http', src: '$HOME_NET', srcPort: 'any', dst: '$EXTERNAL_NET', dstPort: 'any', msg: `Outgoing User-Agent ${v}`,
      content: `flow:to_server,established; content:"${v}"; fast_pattern; http_user_agent;`, tag: TAG })]
    : [rule(h, sid, { proto: 'tcp', src: '$HOME_NET', srcPort: 'any', dst: '$EXTERNAL_NET', dstPort: '$HTTP_PORTS', msg: `Outgoing User-Agent: ${v}`,
      content: `flow:to_server,established; content:"${v}"; http_header;`, tag: TAG })];
}

/** JA3 hashes: Suricata only (Snort has no JA3 keyword). */
export function ja3Rules(f: NidsFlavour, h: RuleHead, sid: number, raw: string): string[] {
  if (f !== 'suricata') return [];
  const v = replaceIllegalChars(raw);
  return [rule(h, sid, { proto: 'tls', src: 'any', srcPort: 'any', dst: 'any', dstPort: 'any', msg: `JA3 Hash: ${v}`,
    content: `ja3.hash; content:"${v}"; fast_pattern;`, tag: TAG })];
}

/**
 * A `snort` attribute carries a whole rule: MISP rewrites its sid, rev, classtype, msg and reference and adds
 * the ones it lacks (`NidsExport::snortRule`).
 */
export function snortAttributeRule(h: RuleHead, sid: number, value: string): string[] {
  let r = value.replace(/[\r\n]/g, ' ');
  const counts: Record<string, number> = {};
  const sub = (name: string, re: RegExp, by: (...m: string[]) => string) => {
    counts[name] = 0;
    r = r.replace(re, (...m: string[]) => {
      counts[name]! += 1;
      return by(...m);
    });
  };
  sub('sid', /sid\s*:\s*[0-9]+\s*;/g, () => `sid:${sid};`);
  sub('rev', /rev\s*:\s*[0-9]+\s*;/g, () => 'rev:1;');
  sub('classtype', /classtype:[a-zA-Z_-]+;/g, () => `classtype:${CLASSTYPE};`);
  sub('msg', /msg\s*:\s*"(.*?)"\s*;/g, (_m, text) => `${msgOf(h, `snort-rule | ${text}`)};`);
  sub('reference', /reference\s*:\s*.+?;/g, () => `${referenceOf(h)};`);
  let extra = '';
  if (counts.sid === 0) extra += `sid:${sid};`;
  if (counts.rev === 0) extra += 'rev:1;';
  if (counts.classtype === 0) extra += `classtype:${CLASSTYPE};`;
  if (counts.msg === 0) extra += `${msgOf(h, '%s')};`;
  if (counts.reference === 0) extra += `${referenceOf(h)};`;
  return [r.replace(/;\s*\)/g, `; ${extra})`)];
}
