/**
 * Finds the module specifiers a TypeScript file imports, without a TypeScript compiler API (TypeScript 7 ships
 * none for Node). A small scanner first replaces comments by spaces and every string, template and regex literal by
 * a placeholder, so `from 'fastify'` inside a JSDoc example or a string is never mistaken for an import; the import
 * forms are then matched on the cleaned text.
 */

export interface ImportRef {
  readonly specifier: string;
  /** 1-based line of the specifier. */
  readonly line: number;
  /** `import type …` / `export type … from` / `typeof import('…')`: erased at runtime. */
  readonly typeOnly: boolean;
}

interface Literal {
  readonly value: string;
  readonly start: number;
}

/** Characters after which a `/` starts a regex literal rather than a division. */
const REGEX_PRECEDERS = new Set(['', '(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^']);
const REGEX_KEYWORDS = /(?:^|[^\w$])(?:return|typeof|case|do|else|in|of|new|delete|void|throw|yield|await)$/;

/** Returns the cleaned code (literals replaced by `"\u0000<n>"`, comments by spaces) and the literals. */
function clean(src: string): { code: string; literals: Literal[] } {
  const out: string[] = [];
  const literals: Literal[] = [];
  let i = 0;
  let lastSignificant = '';
  let lastWordEnd = 0;

  const placeholder = (start: number, value: string): void => {
    out.push(`"\u0000${literals.length}"`);
    literals.push({ value, start });
    lastSignificant = '"';
  };

  /** Scans a template literal from the backtick at `start`; returns the index after the closing backtick. */
  const skipTemplate = (start: number): number => {
    let j = start + 1;
    while (j < src.length && src[j] !== '`') {
      if (src[j] === '\\') j += 2;
      else if (src[j] === '$' && src[j + 1] === '{') j = skipBalanced(j + 2);
      else j++;
    }
    return j + 1;
  };

  /** Skips code up to the `}` closing a `${` (nested strings and templates included); returns the index after it. */
  const skipBalanced = (start: number): number => {
    let depth = 1;
    let j = start;
    while (j < src.length && depth > 0) {
      const c = src[j]!;
      if (c === '{') depth++;
      else if (c === '}') depth--;
      if (c === '"' || c === "'") j = skipQuoted(j);
      else if (c === '`') j = skipTemplate(j);
      else j++;
    }
    return j;
  };

  /** Skips a quoted string; an unterminated one ends at the line break (limits damage of a misread). */
  const skipQuoted = (start: number): number => {
    const q = src[start];
    let j = start + 1;
    while (j < src.length && src[j] !== q && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
    return j + 1;
  };

  /** A `/` starts a regex after an operator or opening bracket, or after a keyword such as `return`. */
  const startsRegex = (): boolean => REGEX_PRECEDERS.has(lastSignificant)
    || (lastSignificant === '\u0001' && REGEX_KEYWORDS.test(src.slice(Math.max(0, lastWordEnd - 12), lastWordEnd)));

  while (i < src.length) {
    const c = src[i]!;
    const next = src[i + 1];
    if (c === '/' && next === '/') {
      const end = src.indexOf('\n', i);
      const stop = end === -1 ? src.length : end;
      out.push(' '.repeat(stop - i));
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end === -1 ? src.length : end + 2;
      out.push(src.slice(i, stop).replace(/[^\n]/g, ' '));
      i = stop;
    } else if (c === '"' || c === "'") {
      const end = skipQuoted(i);
      placeholder(i, src.slice(i + 1, end - 1));
      i = end;
    } else if (c === '`') {
      const end = skipTemplate(i);
      placeholder(i, src.slice(i + 1, end - 1));
      i = end;
    } else if (c === '/' && startsRegex()) {
      let j = i + 1;
      let inClass = false;
      while (j < src.length && src[j] !== '\n') {
        const d = src[j];
        if (d === '\\') j++;
        else if (d === '[') inClass = true;
        else if (d === ']') inClass = false;
        else if (d === '/' && !inClass) break;
        j++;
      }
      j++;
      while (j < src.length && /[a-z]/i.test(src[j]!)) j++;
      placeholder(i, src.slice(i, j));
      i = j;
    } else {
      out.push(c);
      if (/[\w$]/.test(c)) {
        // Marks "last token was a word"; the keyword test above decides whether it allows a regex.
        lastSignificant = '\u0001';
        lastWordEnd = i + 1;
      } else if (!/\s/.test(c)) {
        lastSignificant = c === ')' || c === ']' ? ')' : c;
      }
      i++;
    }
  }
  return { code: out.join(''), literals };
}

const FORMS: ReadonlyArray<{ re: RegExp; typeOnly: (m: RegExpExecArray) => boolean }> = [
  // import x from, import { a, type b } from, import * as n from, import type … from, export { … } from, export * from
  { re: /\b(import|export)(\s+type)?\s+[\w$*{},\s]*?\s*from\s*"\u0000(\d+)"/g, typeOnly: (m) => m[2] !== undefined },
  // import 'side-effect'
  { re: /\bimport\s*"\u0000(\d+)"/g, typeOnly: () => false },
  // import('x') and typeof import('x')
  { re: /(\btypeof\s+)?\bimport\s*\(\s*"\u0000(\d+)"/g, typeOnly: (m) => m[1] !== undefined },
  // require('x'), import x = require('x')
  { re: /\brequire\s*\(\s*"\u0000(\d+)"/g, typeOnly: () => false },
];

/** Every module specifier `source` imports, in source order. */
export function importSpecifiers(source: string): ImportRef[] {
  const { literals, code } = clean(source);
  const found: Array<ImportRef & { at: number }> = [];
  for (const form of FORMS) {
    form.re.lastIndex = 0;
    for (let m = form.re.exec(code); m !== null; m = form.re.exec(code)) {
      const lit = literals[Number(m[m.length - 1])]!;
      const line = source.slice(0, lit.start).split('\n').length;
      found.push({ specifier: lit.value, line, typeOnly: form.typeOnly(m), at: lit.start });
    }
  }
  return found.sort((a, b) => a.at - b.at).map(({ specifier, line, typeOnly }) => ({ specifier, line, typeOnly }));
}
