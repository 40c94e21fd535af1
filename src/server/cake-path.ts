/**
 * CakePHP 2 URL grammar as MISP uses it (spec §0.1):
 * `/[admin/]{controller}/{action}/{passed…}/{name:value…}` with an optional `.json`/`.xml` suffix,
 * camelCase ≡ snake_case controllers, `name[]:v` building arrays, and `+` standing for a space.
 */
export interface CakePath {
  readonly admin: boolean;
  /** Lower-cased, underscores removed: `sharing_groups` and `sharingGroups` both give `sharinggroups`. */
  readonly controller: string;
  /** Lower-cased, underscores removed; `index` when absent. */
  readonly action: string;
  readonly passed: readonly string[];
  readonly named: Readonly<Record<string, string | string[]>>;
  readonly ext: 'json' | 'xml' | null;
}

export const normaliseName = (s: string): string => s.replace(/_/g, '').toLowerCase();

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment.replace(/\+/g, ' '));
  } catch {
    return segment;
  }
}

export function parseCakePath(pathname: string): CakePath | null {
  const segments = pathname.split('/').filter((s) => s !== '');
  let ext: CakePath['ext'] = null;
  const last = segments.at(-1);
  if (last !== undefined) {
    const m = /^(.*)\.(json|xml)$/i.exec(last);
    if (m) {
      ext = m[2]!.toLowerCase() as 'json' | 'xml';
      if (m[1] === '') segments.pop();
      else segments[segments.length - 1] = m[1]!;
    }
  }
  let admin = false;
  if (segments[0]?.toLowerCase() === 'admin') {
    admin = true;
    segments.shift();
  }
  const controller = segments.shift();
  // MISP's app/Config/routes.php: `/` is events/index.
  if (controller === undefined) return admin ? null : { admin, controller: 'events', action: 'index', passed: [], named: {}, ext };
  const rest = segments.map(decode);
  const positional: string[] = [];
  const named: Record<string, string | string[]> = {};
  for (const seg of rest) {
    const idx = seg.indexOf(':');
    // A uuid or plain value never contains ':'; MISP turns ';' back into ':' inside named values.
    if (idx > 0 && /^[A-Za-z_][\w.\-]*(\[\])?$/.test(seg.slice(0, idx))) {
      const key = seg.slice(0, idx);
      const value = seg.slice(idx + 1).replace(/;/g, ':');
      if (key.endsWith('[]')) {
        const k = key.slice(0, -2);
        const prev = named[k];
        named[k] = Array.isArray(prev) ? [...prev, value] : prev === undefined ? [value] : [prev, value];
      } else {
        named[key] = value;
      }
    } else {
      positional.push(seg);
    }
  }
  const action = positional.shift() ?? 'index';
  return { admin, controller: normaliseName(controller), action: normaliseName(action), passed: positional, named, ext };
}
