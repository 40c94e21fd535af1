/**
 * Refanging applied to every attribute before it is normalised and validated (spec §8.3,
 * `ComplexTypeTool::REFANG_REGEX_TABLE` / `refangValue`, called from `MispAttribute::beforeValidateMassage`).
 * Only these rules and only for these types: freetext import refangs more aggressively, saving does not.
 */
interface RefangRule {
  readonly from: RegExp;
  readonly to: string;
  readonly types: ReadonlySet<string>;
}

const EMAIL_TYPES = ['email', 'email-src', 'email-dst'];

/** Applied in this order, each to every match (PHP `preg_replace`). */
const REFANG_RULES: readonly RefangRule[] = [
  { from: /^(hxxp|hxtp|htxp|meow|h\[tt\]p)/i, to: 'http', types: new Set(['link', 'url']) },
  {
    from: /(\[\.\]|\[dot\]|\(dot\))/g,
    to: '.',
    types: new Set(['link', 'url', 'ip-dst', 'ip-src', 'domain|ip', 'domain', 'hostname', ...EMAIL_TYPES]),
  },
  { from: /\[hxxp:\/\/\]/g, to: 'http://', types: new Set(['link', 'url']) },
  { from: /\[@\]|\[at\]/g, to: '@', types: new Set(EMAIL_TYPES) },
  { from: /\[:\]/g, to: ':', types: new Set(['url', 'link']) },
];

/** Undoes the usual defanging (`hxxp://`, `[.]`, `[at]`, …) for the types MISP refangs. */
export function refangValue(type: string, value: string): string {
  let out = value;
  for (const rule of REFANG_RULES) {
    if (rule.types.has(type)) out = out.replace(rule.from, rule.to);
  }
  return out;
}
