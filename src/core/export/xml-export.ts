import { toMispEvent } from '../misp-format/event-json.js';
import { type Chunk, utf8Join } from '../util/utf8-join.js';
import type { ExportContext, ExportSource } from './export-items.js';
import { attributeSearchJson } from './json-export.js';

/**
 * MISP XML (spec §8.1, `XmlExport` / `XMLConverterTool`): the JSON structure as elements under `<response>`. A list
 * repeats its element once per item, an empty list or value is an empty element, booleans are 1/0.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
// XML 1.0 cannot carry most control characters at all; MISP strips invalid UTF-8 for its parser too.
const INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

const escape = (v: string): string => v.replace(INVALID, '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** `<name>…</name>` for one value of the JSON tree (`XMLConverterTool::recursiveEcho`). */
export function toXml(name: string, value: unknown): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return `<${name}/>`;
    return value.map((v) => toXml(name, v)).join('');
  }
  if (value !== null && typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>).map(([k, v]) => toXml(k, v)).join('');
    return `<${name}>${inner}</${name}>`;
  }
  if (value === null || value === undefined || value === '') return `<${name}/>`;
  if (typeof value === 'boolean') return `<${name}>${value ? 1 : 0}</${name}>`;
  return `<${name}>${escape(String(value))}</${name}>`;
}

/** The event fields XMLConverterTool leaves out (`user_id`, `proposal_email_lock`, `locked`, `attribute_count`). */
const DROPPED = ['proposal_email_lock', 'locked', 'attribute_count'];

export async function* xmlExport(source: ExportSource, ctx: ExportContext): AsyncGenerator<Chunk> {
  yield '<?xml version="1.0" encoding="UTF-8"?>\n<response>';
  if (source.scope === 'events') {
    for await (const page of source.pages) {
      yield utf8Join(page.map((d) => {
        const { Event } = toMispEvent(d, { metadata: ctx.output.metadata });
        for (const k of DROPPED) delete Event[k];
        return toXml('Event', Event);
      }));
    }
  } else if (source.scope === 'attributes') {
    for await (const page of source.pages) {
      yield utf8Join(page.map((item) => {
        const json = attributeSearchJson(item, ctx);
        delete json.Event; // XmlExport::__attributeHandler drops the event block
        return toXml('Attribute', json);
      }));
    }
  }
  yield '</response>\n';
}
