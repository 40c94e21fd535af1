/**
 * Value shapes per attribute type (performance.md §4.1 "Value shapes"): realistic lengths matter because index and
 * page density and the JSON size per attribute (~490 B) depend on them.
 */
import type { Prng } from './prng.js';

const TLDS = ['com', 'net', 'org', 'info', 'ru', 'cn', 'io', 'xyz', 'top', 'de', 'co.uk', 'com.br', 'online', 'site'];
const WORDS = ['update', 'secure', 'login', 'cdn', 'mail', 'static', 'api', 'portal', 'cloud', 'files', 'data', 'sync',
  'service', 'account', 'verify', 'media', 'img', 'news', 'shop', 'track', 'support', 'office', 'microsoft', 'adobe'];
const EXTS = ['exe', 'dll', 'doc', 'docx', 'xls', 'js', 'vbs', 'ps1', 'zip', 'rar', 'pdf', 'hta', 'lnk', 'iso'];
const UNICODE = ['Überweisung', 'счёт', '发票', 'فاتورة', 'ファイル', 'Ελλάδα', 'naïve café', 'Zażółć gęślą jaźń'];

function label(r: Prng): string {
  if (r.chance(0.5)) return r.pick(WORDS) + (r.chance(0.5) ? `-${r.pick(WORDS)}` : '');
  const len = r.int(5, 14);
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCharCode(97 + r.int(0, 25));
  return s;
}

export function domain(r: Prng): string {
  if (r.chance(0.02)) return `xn--${r.hex(8)}-${r.hex(4)}.${r.pick(TLDS)}`; // IDN (punycode)
  const long = r.chance(0.1) ? `${label(r)}.${label(r)}.` : '';
  return `${long}${label(r)}.${r.pick(TLDS)}`;
}

export function hostname(r: Prng): string {
  return `${r.pick(WORDS)}${r.int(1, 99)}.${domain(r)}`;
}

export function ipv4(r: Prng): string {
  return `${r.int(1, 223)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
}

export function ip(r: Prng): string {
  if (!r.chance(0.1)) return ipv4(r);
  const groups = Array.from({ length: 8 }, () => r.int(0, 0xffff).toString(16));
  return `2${r.hex(3)}:${groups.slice(1).join(':')}`;
}

export function url(r: Prng): string {
  const target = r.int(40, 200);
  let u = `${r.chance(0.8) ? 'https' : 'http'}://${r.chance(0.2) ? ipv4(r) : hostname(r)}/${label(r)}/${label(r)}.php`;
  let sep = '?';
  while (u.length < target) {
    u += `${sep}${label(r)}=${r.hex(r.int(4, 24))}`;
    sep = '&';
  }
  return u.slice(0, Math.max(target, 30));
}

export function filename(r: Prng): string {
  return `${label(r)}${r.chance(0.3) ? `_${r.int(1, 9999)}` : ''}.${r.pick(EXTS)}`;
}

export function email(r: Prng): string {
  return `${label(r)}.${label(r)}@${domain(r)}`;
}

export function text(r: Prng): string {
  const words = Array.from({ length: r.int(3, 40) }, () => (r.chance(0.1) ? r.pick(UNICODE) : r.pick(WORDS)));
  return words.join(' ');
}

export function vulnerability(r: Prng): string {
  return `CVE-${r.int(2010, 2025)}-${r.int(1000, 49999)}`;
}

/** A 1–8 KB yara rule: the long-value path (multi-KB values, TOAST / overflow pages). */
export function yara(r: Prng): string {
  const target = r.int(1024, 8192);
  const lines = [`rule bench_${r.hex(8)} {`, '  meta:', `    description = "${text(r).replace(/"/g, '')}"`, '  strings:'];
  let i = 0;
  while (lines.join('\n').length < target - 40) lines.push(`    $s${i++} = { ${r.hex(48).replace(/(..)/g, '$1 ').trim()} }`);
  lines.push('  condition:', '    any of them', '}');
  return lines.join('\n');
}

export function snort(r: Prng): string {
  const target = r.int(1024, 4096);
  let rule = `alert tcp $HOME_NET any -> $EXTERNAL_NET ${r.int(1, 65535)} (msg:"BENCH ${label(r)}";`;
  while (rule.length < target - 40) rule += ` content:"|${r.hex(16)}|";`;
  return `${rule} sid:${r.int(1000000, 9999999)}; rev:1;)`;
}

export function mutex(r: Prng): string {
  return `Global\\${label(r)}_${r.hex(8)}`;
}

export function regkey(r: Prng): string {
  return `HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\${label(r)}`;
}

export function userAgent(r: Prng): string {
  return `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) ${label(r)}/${r.int(1, 120)}.0`;
}

/** Fresh value of a type; composite types are built from their parts. */
export function freshValue(type: string, r: Prng): string {
  switch (type) {
    case 'ip-dst':
    case 'ip-src':
      return ip(r);
    case 'ip-dst|port':
      return `${ipv4(r)}|${r.pick([80, 443, 8080, 4444, 53, 25, r.int(1024, 65535)])}`;
    case 'domain':
      return domain(r);
    case 'hostname':
      return hostname(r);
    case 'url':
    case 'link':
      return url(r);
    case 'md5':
      return r.hex(32);
    case 'sha1':
      return r.hex(40);
    case 'sha256':
      return r.hex(64);
    case 'filename':
      return filename(r);
    case 'filename|md5':
      return `${filename(r)}|${r.hex(32)}`;
    case 'filename|sha256':
      return `${filename(r)}|${r.hex(64)}`;
    case 'email-src':
    case 'email-dst':
      return email(r);
    case 'email-subject':
    case 'text':
    case 'comment':
      return text(r);
    case 'email-message-id':
      return `<${r.hex(16)}@${domain(r)}>`;
    case 'vulnerability':
      return vulnerability(r);
    case 'yara':
      return yara(r);
    case 'snort':
      return snort(r);
    case 'mutex':
      return mutex(r);
    case 'regkey':
      return regkey(r);
    case 'user-agent':
      return userAgent(r);
    case 'size-in-bytes':
      return String(r.int(512, 50_000_000));
    default:
      throw new Error(`no value generator for type ${type}`);
  }
}
