/**
 * Seeded generator of realistic MISP events for the benchmarks (performance.md §4.1): the OSINT-style type mix,
 * 35 % of attributes inside objects (file, domain-ip, url, email), value reuse across events (campaign overlap,
 * popular infrastructure with a Zipf tail, ultra-common noise values, cross-type reuse), tags, distributions and
 * timestamps. The same seed gives the same events on every machine, so runs are comparable.
 *
 * Not modelled yet: sharing groups (a fresh database has none), sightings, remote creator orgs (REST adds are
 * always created by the caller's org, spec §2.11).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPrng, weightedPicker, zipfSampler, type Prng } from './prng.js';
import { freshValue } from './values.js';

/** §4.1 type mix (attribute share, %); "other" is split over mutex/regkey/user-agent. */
const TYPE_MIX: ReadonlyArray<readonly [string, number]> = [
  ['ip-dst', 13], ['ip-src', 3], ['ip-dst|port', 2], ['domain', 12], ['hostname', 5], ['url', 12], ['md5', 9],
  ['sha1', 7], ['sha256', 10], ['filename', 5], ['filename|md5', 2], ['filename|sha256', 2], ['email-src', 2],
  ['email-subject', 1], ['link', 3], ['text', 3], ['comment', 1], ['vulnerability', 1], ['yara', 0.5],
  ['snort', 0.5], ['mutex', 0.4], ['regkey', 0.3], ['user-agent', 0.3],
];

/** Ultra-common values that must trip the over-correlation cap (§4.1 reuse model (3)). */
const NOISE: Readonly<Record<string, readonly string[]>> = {
  'ip-dst': ['8.8.8.8', '1.1.1.1', '8.8.4.4'],
  'ip-src': ['127.0.0.1', '10.0.0.1', '192.168.1.1'],
  domain: ['google.com', 'example.com', 'microsoft.com'],
  hostname: ['www.google.com', 'localhost.localdomain'],
  filename: ['index.html', 'svchost.exe', 'cmd.exe', 'explorer.exe', 'update.exe'],
  text: ['GREEN', '0', '5'],
  md5: ['d41d8cd98f00b204e9800998ecf8427e'],
  sha1: ['da39a3ee5e6b4b0d3255bfef95601890afd80709'],
  sha256: ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  url: ['http://localhost/'],
};

const EVENT_TAGS = ['tlp:white', 'tlp:green', 'tlp:amber', 'tlp:red', 'osint:source-type="blog-post"',
  'osint:source-type="technical-report"', 'misp-galaxy:threat-actor="Sofacy"', 'misp-galaxy:tool="X-Agent"',
  'circl:incident-classification="malware"', 'type:OSINT'];

interface TemplateRelation {
  readonly relation: string;
  readonly type: string;
  readonly category?: string;
  readonly disableCorrelation: boolean;
}

interface ObjectTemplate {
  readonly name: string;
  readonly uuid: string;
  readonly version: string;
  readonly metaCategory: string;
  readonly relations: readonly TemplateRelation[];
}

/** The object shapes the generator emits, with the relations it fills. */
const OBJECT_SHAPES: ReadonlyArray<readonly [string, readonly string[], number]> = [
  ['file', ['filename', 'md5', 'sha1', 'sha256', 'size-in-bytes'], 0.4],
  ['domain-ip', ['domain', 'ip'], 0.3],
  ['url', ['url', 'host'], 0.2],
  ['email', ['from', 'subject', 'message-id'], 0.1],
];

function loadTemplate(dataPacks: string, name: string, relations: readonly string[]): ObjectTemplate {
  const def = JSON.parse(readFileSync(join(dataPacks, 'objects', 'objects', name, 'definition.json'), 'utf8'));
  return {
    name,
    uuid: def.uuid,
    version: String(def.version),
    metaCategory: def['meta-category'],
    relations: relations.map((relation) => {
      const a = def.attributes[relation];
      if (!a) throw new Error(`object template ${name} has no relation ${relation}`);
      return { relation, type: a['misp-attribute'], category: a.categories?.[0], disableCorrelation: a.disable_correlation === true };
    }),
  };
}

export interface GeneratorOptions {
  readonly seed: number;
  /** Folder laid out like shared/misp-data (describeTypes and object templates come from it). */
  readonly dataPacks: string;
  /** Reference "now" (epoch seconds); events are spread over the 5 years before it. */
  readonly now?: number;
}

export interface EventGenerator {
  /** The next event, as the `{"Event": …}` document PyMISP would POST to events/add, with exactly n attributes. */
  event(nAttributes: number): { Event: Record<string, unknown> };
}

export function createEventGenerator(opts: GeneratorOptions): EventGenerator {
  const r = createPrng(opts.seed);
  const now = Math.floor(opts.now ?? Date.now() / 1000);
  const sane: Record<string, { default_category: string; to_ids: number }> =
    JSON.parse(readFileSync(join(opts.dataPacks, 'pymisp', 'describeTypes.json'), 'utf8')).result.sane_defaults;
  const pickType = weightedPicker(TYPE_MIX);
  const templates = OBJECT_SHAPES.map(([name, rels, w]) => [loadTemplate(opts.dataPacks, name, rels), w] as const);
  const attributeTags = [
    ...Array.from({ length: 280 }, (_, i) => `bench:cluster="c${i}"`),
    ...EVENT_TAGS, 'kill-chain:Delivery', 'kill-chain:Command and Control', 'admiralty-scale:source-reliability="b"',
  ];
  const pickAttrTag = zipfSampler(attributeTags.length, 1.0);

  // Reuse state (§4.1 "Value reuse"): values of the previous 500 events, a popular-infrastructure pool per type.
  const history: Array<Map<string, string[]>> = [];
  const pools = new Map<string, { values: string[]; sample: (r: Prng) => number }>();
  const shareOf = new Map(TYPE_MIX);
  const poolFor = (type: string) => {
    let pool = pools.get(type);
    if (!pool) {
      const size = Math.max(50, Math.round(20_000 * ((shareOf.get(type) ?? 1) / 100)));
      const pr = createPrng(opts.seed ^ [...type].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7));
      pool = { values: Array.from({ length: size }, () => freshValue(type, pr)), sample: zipfSampler(size, 1.1) };
      pools.set(type, pool);
    }
    return pool;
  };

  let current = new Map<string, string[]>();
  const valueFor = (type: string): string => {
    const x = r.next();
    let value: string | undefined;
    if (x < 0.002) value = NOISE[type] ? r.pick(NOISE[type]!) : undefined;
    else if (x < 0.032 && type !== 'yara' && type !== 'snort' && type !== 'text' && type !== 'comment') {
      const pool = poolFor(type);
      value = pool.values[pool.sample(r)];
    } else if (x < 0.102 && history.length > 0) {
      const seen = r.pick(history).get(type);
      if (seen && seen.length > 0) value = r.pick(seen);
    }
    if (value === undefined && type === 'filename|sha256' && r.chance(0.5)) {
      // Cross-type reuse: the hash half is a sha256 already seen as its own attribute.
      const seen = history.length > 0 ? r.pick(history).get('sha256') : current.get('sha256');
      if (seen && seen.length > 0) value = `${freshValue('filename', r)}|${r.pick(seen)}`;
    }
    value ??= freshValue(type, r);
    const list = current.get(type);
    if (list) list.push(value);
    else current.set(type, [value]);
    return value;
  };

  const timestamps = (eventTs: number) => {
    const ts = Math.min(now, eventTs + r.int(0, 86_400));
    const seen: Record<string, string> = {};
    if (r.chance(0.1)) {
      const first = ts - r.int(0, 30 * 86_400);
      seen.first_seen = new Date(first * 1000).toISOString();
      seen.last_seen = new Date((first + r.int(0, 30 * 86_400)) * 1000).toISOString();
    }
    return { timestamp: String(ts), ...seen };
  };

  const attribute = (type: string, eventTs: number, extra: Record<string, unknown> = {}) => {
    const attr: Record<string, unknown> = {
      uuid: r.uuid(),
      type,
      category: sane[type]?.default_category ?? 'Other',
      value: valueFor(type),
      to_ids: sane[type]?.to_ids === 1,
      distribution: String(r.chance(0.8) ? 5 : r.int(0, 3)),
      comment: r.chance(0.1) ? `seen in campaign ${r.int(1, 500)}` : '',
      ...timestamps(eventTs),
      ...extra,
    };
    if (r.chance(0.2)) attr.Tag = [{ name: attributeTags[pickAttrTag(r)] }];
    return attr;
  };

  let seq = 0;
  return {
    event(n) {
      seq++;
      current = new Map();
      const age = r.chance(0.4) ? r.int(0, 365 * 86_400) : r.int(365 * 86_400, 5 * 365 * 86_400);
      const eventTs = now - age;
      const objects: Array<Record<string, unknown>> = [];
      let budget = Math.round(n * 0.35);
      while (budget >= 2) {
        const fitting = templates.filter(([t]) => t.relations.length <= budget);
        const t = weightedPicker(fitting)(r);
        budget -= t.relations.length;
        objects.push({
          uuid: r.uuid(),
          name: t.name,
          'meta-category': t.metaCategory,
          template_uuid: t.uuid,
          template_version: t.version,
          distribution: '5',
          comment: '',
          ...timestamps(eventTs),
          Attribute: t.relations.map((rel) => attribute(rel.type, eventTs, {
            object_relation: rel.relation,
            ...(rel.category ? { category: rel.category } : {}),
            disable_correlation: rel.disableCorrelation,
          })),
        });
      }
      const inObjects = objects.reduce((s, o) => s + (o.Attribute as unknown[]).length, 0);
      const loose = Array.from({ length: n - inObjects }, () => attribute(pickType(r), eventTs));
      const tags = Array.from(new Set(Array.from({ length: r.int(0, 3) }, () => r.pick(EVENT_TAGS)))).map((name) => ({ name }));
      history.push(current);
      if (history.length > 500) history.shift();
      return {
        Event: {
          uuid: r.uuid(),
          info: `Bench event ${seq}: ${n} attributes (${freshValue('domain', r)})`,
          date: new Date(eventTs * 1000).toISOString().slice(0, 10),
          timestamp: String(eventTs),
          threat_level_id: String(r.int(1, 4)),
          analysis: String(r.int(0, 2)),
          distribution: String(r.pick([0, 1, 1, 1, 2, 3, 3])),
          published: false,
          Attribute: loose,
          Object: objects,
          Tag: tags,
        },
      };
    },
  };
}
