import { microToIso } from '../misp-format/scalars.js';
import { type Chunk, utf8Join } from '../util/utf8-join.js';
import { type AttributeItem, attributePages, type ExportContext, type ExportSource, valueOf } from './export-items.js';

/**
 * MISP's CSV export (spec §8.1, `CsvExport`): one line per attribute. Default columns
 * `uuid,event_id,category,type,value,comment,to_ids,date,object_relation,attribute_tag,object_uuid,object_name,
 * object_meta_category`; `requested_attributes` picks columns (event columns such as `event_info` included),
 * `includeContext` appends the event columns, `headerless` drops the header line.
 */

const DEFAULT_FIELDS = ['uuid', 'event_id', 'category', 'type', 'value', 'comment', 'to_ids', 'timestamp', 'object_relation', 'attribute_tag'];
const OBJECT_FIELDS = ['object_uuid', 'object_name', 'object_meta-category'];
/** `CsvExport::$decaying_fields`, added to the defaults with includeDecayScore (or excludeDecayed). */
const DECAY_FIELDS = ['decay_score_score', 'decay_score_decayed'];
const EVENT_CONTEXT_FIELDS = ['event_info', 'event_member_org', 'event_source_org', 'event_distribution',
  'event_threat_level_id', 'event_analysis', 'event_date', 'event_tag', 'event_timestamp'];

/** `ThreatLevel.name` as MISP's CSV shows it. */
const THREAT_LEVELS: Record<number, string> = { 1: 'High', 2: 'Medium', 3: 'Low', 4: 'Undefined' };

/** PHP's `is_numeric`: such fields are written bare, everything else quoted. */
const NUMERIC = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

/** `CsvExport::__escapeCSVField`, with an absent field as `""` (`__addLine`). */
export function csvField(v: unknown): string {
  if (v === undefined || v === null) return '""';
  if (typeof v === 'boolean') return v ? '1' : '0';
  const text = String(v);
  if (typeof v === 'number' || NUMERIC.test(text)) return text;
  return `"${text.replace(/"/g, '""')}"`;
}

/** Every column a line can have (`__addMetadataToAttribute[Atomic]` plus the object columns). */
function columns(item: AttributeItem): Record<string, unknown> {
  const a = item.attribute;
  const e = item.event;
  const out: Record<string, unknown> = {
    id: a.id, event_id: a.eventId, object_id: a.objectId, object_relation: a.objectRelation, category: a.category,
    type: a.type, value: valueOf(a), value1: a.value1, value2: a.value2, to_ids: a.toIds, uuid: a.uuid,
    timestamp: a.timestamp, distribution: a.distribution, sharing_group_id: a.sharingGroupId, comment: a.comment,
    deleted: a.deleted, disable_correlation: a.disableCorrelation, first_seen: microToIso(a.firstSeen),
    last_seen: microToIso(a.lastSeen),
    event_info: e.info, event_member_org: item.org?.name, event_source_org: item.orgc?.name,
    event_distribution: e.distribution, event_threat_level_id: THREAT_LEVELS[e.threatLevelId] ?? String(e.threatLevelId),
    event_analysis: e.analysis, event_date: e.date, event_timestamp: e.timestamp,
  };
  if (a.tags.length) out.attribute_tag = a.tags.map((l) => l.tag.name).join(',');
  if (item.eventTags.length) out.event_tag = item.eventTags.map((l) => l.tag.name).join(',');
  // The mean score over the applicable models; decayed when any model says so (0 and false without a model).
  const scores = a.decayScores ?? [];
  out.decay_score_score = scores.length ? scores.reduce((sum, d) => sum + d.score, 0) / scores.length : 0;
  out.decay_score_decayed = scores.some((d) => d.decayed);
  if (item.object) {
    out.object_uuid = item.object.uuid;
    out.object_name = item.object.name;
    out['object_meta-category'] = item.object.metaCategory;
  }
  return out;
}

/** `CsvExport::header`: the requested columns, object columns unless others were requested, context columns. */
export function csvFields(ctx: ExportContext): string[] {
  const o = ctx.output;
  const fields = [...(o.requestedAttributes ?? (o.decay ? [...DEFAULT_FIELDS, ...DECAY_FIELDS] : DEFAULT_FIELDS))];
  if (o.requestedObjectAttributes) fields.push(...o.requestedObjectAttributes.map((f) => `object_${f}`));
  else if (!o.requestedAttributes) fields.push(...OBJECT_FIELDS);
  if (o.includeContext) fields.push(...EVENT_CONTEXT_FIELDS);
  return fields;
}

const CSV_LINES_PER_CHUNK = 500;

export async function* csvExport(source: ExportSource, ctx: ExportContext): AsyncGenerator<Chunk> {
  const fields = csvFields(ctx);
  if (!ctx.output.headerless) {
    yield `${fields.map((f) => (f === 'timestamp' ? 'date' : f.replace(/-/g, '_'))).join(',')}\n`;
  }
  const line = (item: AttributeItem) => {
    const row = columns(item);
    return `${fields.map((f) => csvField(row[f])).join(',')}\n`;
  };
  // a few hundred lines per chunk, so the socket's backpressure bounds what is rendered ahead (json-chunks.ts)
  for await (const page of attributePages(source)) {
    for (let i = 0; i < page.length; i += CSV_LINES_PER_CHUNK) yield utf8Join(page.slice(i, i + CSV_LINES_PER_CHUNK).map(line));
  }
  yield '\n';
}
