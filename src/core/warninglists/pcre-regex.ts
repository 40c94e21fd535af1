/**
 * Turns a PHP `preg_match` pattern (delimiters and modifiers included, e.g. `/^foo$/i`) into a JavaScript
 * RegExp, for warninglists of type `regex` (spec §9.1). A pattern PHP itself would refuse — unknown modifier
 * such as `g`, missing delimiter — never matches in MISP (preg_match returns false), so it is reported and
 * never matches here either.
 */

const BRACKETS: Record<string, string> = { '(': ')', '[': ']', '{': '}', '<': '>' };

/** PCRE modifiers PHP accepts, and what each becomes. */
const MODIFIERS = new Set(['i', 'm', 's', 'x', 'A', 'D', 'S', 'U', 'X', 'J', 'u', 'n']);

function stripExtended(src: string): string {
  // `x`: unescaped whitespace and `#` comments outside character classes are ignored
  let out = '';
  let inClass = false;
  for (let k = 0; k < src.length; k++) {
    const c = src[k]!;
    if (c === '\\') { out += c + (src[k + 1] ?? ''); k++; continue; }
    if (inClass) { if (c === ']') inClass = false; out += c; continue; }
    if (c === '[') { inClass = true; out += c; continue; }
    if (/\s/.test(c)) continue;
    if (c === '#') { while (k < src.length && src[k] !== '\n') k++; continue; }
    out += c;
  }
  return out;
}

export function pcreToRegExp(pattern: string): RegExp | string {
  const p = pattern.replace(/^\s+/, '');
  const open = p[0];
  if (open === undefined || /[A-Za-z0-9\\]/.test(open)) return 'Delimiter must not be alphanumeric, backslash, or NUL';
  const close = BRACKETS[open] ?? open;
  let depth = 0;
  let end = -1;
  for (let k = 1; k < p.length; k++) {
    const c = p[k];
    if (c === '\\') { k++; continue; }
    if (close !== open && c === open) depth++;
    else if (c === close) {
      if (depth === 0) { end = k; break; }
      depth--;
    }
  }
  if (end === -1) return `No ending delimiter '${close}' found`;
  let source = p.slice(1, end);
  const modifiers = p.slice(end + 1).replace(/\s+$/, '');
  let flags = '';
  for (const m of modifiers) {
    if (!MODIFIERS.has(m)) return `Unknown modifier '${m}'`;
    if (m === 'U') return "modifier 'U' (ungreedy) is not supported";
    if ((m === 'i' || m === 'm' || m === 's' || m === 'u') && !flags.includes(m)) flags += m;
  }
  if (modifiers.includes('x')) source = stripExtended(source);
  // PCRE spellings JavaScript lacks
  source = source.replace(/\(\?P</g, '(?<').replace(/\\A/g, '^').replace(/\\[zZ]/g, '$');
  if (modifiers.includes('A')) source = `^(?:${source})`;
  try {
    return new RegExp(source, flags);
  } catch (err) {
    return (err as Error).message;
  }
}
