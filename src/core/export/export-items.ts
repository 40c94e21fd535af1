import type {
  AttributeDetail, EventDetail, MispEvent, MispObject, ObjectDetail, OrgSummary, TagLink,
} from '../model/event.js';
import type { GalaxyMatrix } from '../galaxies/attack-matrix.js';
import type { Chunk } from '../util/utf8-join.js';
import type { OutputOptions } from '../search/rest-search-output.js';

/**
 * What the restSearch exporters read (spec §8.1). Every exporter is an async generator that turns a stream of
 * result pages (one database page each) into string chunks, so a response of any size is written while it is read
 * from the database. Working page by page rather than item by item keeps the per-row cost to the rendering itself.
 */

/** One attribute-scope result, or one attribute of an event-scope result. */
export interface AttributeItem {
  /** With the tags the reader is shown (exportable ones unless includeAllTags). */
  readonly attribute: AttributeDetail;
  readonly event: MispEvent;
  /** The object it belongs to, when `attribute.objectId` is set. */
  readonly object: MispObject | null;
  /** The event's tags as shown to the reader; empty when the export does not need them. */
  readonly eventTags: readonly TagLink[];
  /** Owner and creator org; present when the export needs names (CSV, context, Zeek). */
  readonly org?: OrgSummary | undefined;
  readonly orgc?: OrgSummary | undefined;
}

/** One object-scope result with its visible attributes. */
export interface ObjectItem {
  readonly object: ObjectDetail;
  readonly event: MispEvent;
}

/** Results in pages (`pages` yields arrays; an empty array is allowed). */
export type ExportSource =
  | { readonly scope: 'events'; readonly pages: AsyncIterable<readonly EventDetail[]> }
  | { readonly scope: 'attributes'; readonly pages: AsyncIterable<readonly AttributeItem[]> }
  | { readonly scope: 'objects'; readonly pages: AsyncIterable<readonly ObjectItem[]> };

/** What exporters know beyond the results. */
export interface ExportContext {
  readonly output: OutputOptions;
  /** `MISP.baseurl`: rule references and Zeek `meta.url` point at `<baseUrl>/events/view/<id>`. */
  readonly baseUrl: string;
  readonly now: number;
  /** First sid of IDS rules: the user's `nids_sid` (else `MISP.nids_sid`). */
  readonly nidsSid: number;
  /** `<host org> MISP` (Zeek `meta.source`). */
  readonly instanceName: string;
  /** Reads a server setting (RPZ defaults `Plugin.RPZ_*`). */
  readonly setting: (name: string) => unknown;
  /** `attack`: the `attackGalaxy` matrix, undefined when the galaxy is missing. */
  readonly attackMatrix?: GalaxyMatrix | undefined;
}

export type Exporter = (source: ExportSource, ctx: ExportContext) => AsyncGenerator<Chunk>;

/** The attributes of an event as flat exports list them: the event's own first, then each object's in order. */
export function eventAttributeItems(d: EventDetail): AttributeItem[] {
  const base = { event: d.event, eventTags: d.tags, org: d.org, orgc: d.orgc };
  return [
    ...d.attributes.map((attribute) => ({ ...base, attribute, object: null })),
    ...d.objects.flatMap((o) => o.attributes.map((attribute) => ({ ...base, attribute, object: o }))),
  ];
}

/** Any source as pages of attribute items (event results flattened; objects' attributes in turn). */
export async function* attributePages(source: ExportSource): AsyncGenerator<readonly AttributeItem[]> {
  if (source.scope === 'attributes') {
    yield* source.pages;
  } else if (source.scope === 'events') {
    for await (const page of source.pages) yield page.flatMap(eventAttributeItems);
  } else {
    for await (const page of source.pages) {
      yield page.flatMap(({ object, event }) => object.attributes.map((attribute) => ({ attribute, event, object, eventTags: [] })));
    }
  }
}

/** MISP's virtual `value`: value1, or `value1|value2` for composite types. */
export const valueOf = (a: Pick<AttributeDetail, 'value1' | 'value2'>): string => (a.value2 === '' ? a.value1 : `${a.value1}|${a.value2}`);

/**
 * The answer's bytes (UTF-8), small chunks joined into writes of about `size` bytes: an export of small pages (or a
 * filter matching a row here and there) would otherwise cost one socket write per page.
 */
export async function* buffered(chunks: AsyncIterable<Chunk>, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  let pending: Uint8Array[] = [];
  let length = 0;
  for await (const c of chunks) {
    const bytes = typeof c === 'string' ? Buffer.from(c, 'utf8') : c;
    if (bytes.length === 0) continue;
    pending.push(bytes);
    length += bytes.length;
    if (length >= size) {
      yield pending.length === 1 ? bytes : Buffer.concat(pending, length);
      pending = [];
      length = 0;
    }
  }
  if (pending.length) yield Buffer.concat(pending, length);
}
