import type { Attribute, AttributeDetail, ObjectDetail, Tag, TagLink } from '../model/event.js';
import { attributeExtras, type AttributeJsonOptions, attributeValue, type ObjectJsonOptions, toMispObject } from './event-json.js';
import { microToIso } from './scalars.js';
import { toMispTagLink } from './tag-json.js';

/**
 * Attributes written straight as JSON text: the hot path of exports, restSearch pages and large events, where
 * building MISP's wire object for every attribute and then stringifying it cost more than reading the rows
 * (performance.md §4.2 metrics 3b, 3e, 3g). The text is exactly `JSON.stringify` of the object the `toMisp*`
 * functions build — same keys, same order (attribute-json-text.test.ts compares them); only the flat columns and the
 * tags are written here, every other key comes from the same code as the object form.
 */

const q = JSON.stringify;
/** Text that JSON.stringify would change (quotes, backslashes, control and non-ASCII characters). */
const ESCAPED = /["\\\u0000-\u001f\u007f-\uffff]/;
/** `JSON.stringify(s)` for a string: plain ASCII text (most values, every uuid) is quoted as is, twice as fast. */
const str = (s: string): string => (ESCAPED.test(s) ? q(s) : `"${s}"`);
/** Categories, types, object relations and key names come from a few hundred names: each is quoted once. */
const names = new Map<string, string>();
function name(v: string): string {
  let t = names.get(v);
  if (t === undefined) {
    t = q(v);
    if (names.size < 2000) names.set(v, t);
  }
  return t;
}
const isoText = (us: number | null): string => (us ? `"${microToIso(us)}"` : 'null');

/** `{"id":"…", … "last_seen":…` — the columns of spec §2.3, without the closing brace. */
function attributeHeadText(a: Attribute): string {
  return `{"id":"${a.id}","event_id":"${a.eventId}","object_id":"${a.objectId}","object_relation":${a.objectRelation === null ? 'null' : name(a.objectRelation)}`
    + `,"category":${name(a.category)},"type":${name(a.type)},"value":${str(attributeValue(a))},"to_ids":${a.toIds},"uuid":${str(a.uuid)}`
    + `,"timestamp":"${a.timestamp}","distribution":"${a.distribution}","sharing_group_id":"${a.sharingGroupId}"`
    + `,"comment":${a.comment === '' ? '""' : str(a.comment)},"deleted":${a.deleted},"disable_correlation":${a.disableCorrelation}`
    + `,"first_seen":${isoText(a.firstSeen)},"last_seen":${isoText(a.lastSeen)}`;
}

/** `,"key":value` for each entry. */
function entriesText(entries: readonly (readonly [string, unknown])[]): string {
  let t = '';
  // inside events every attribute has `"Galaxy":[],"ShadowAttribute":[]`: empty lists are written directly
  for (const [k, v] of entries) t += `,${name(k)}:${Array.isArray(v) && v.length === 0 ? '[]' : q(v)}`;
  return t;
}

/** A tag's columns as a link shows them (`toMispTagLink` without local / relationship_type), once per Tag object. */
const tagColumns = new WeakMap<Tag, string>();

/**
 * One element of a `Tag` list (`toMispTag` of event-json.ts); `inherited` adds the `"inherited":1` restSearch puts
 * on event tags listed with an attribute.
 */
export function tagLinkText(l: TagLink, inherited = false): string {
  let columns = tagColumns.get(l.tag);
  if (columns === undefined) {
    const { local: _local, relationship_type: _rel, ...tag } = toMispTagLink(l);
    columns = q(tag).slice(0, -1);
    tagColumns.set(l.tag, columns);
  }
  const rel = l.relationshipType === '' ? 'null' : q(l.relationshipType);
  return `${columns},"local":${l.local},"relationship_type":${rel}${inherited ? ',"inherited":1' : ''}}`;
}

export const tagListText = (links: readonly TagLink[], inherited = false): string => links.map((l) => tagLinkText(l, inherited)).join(',');

/** `JSON.stringify(toMispAttribute(a, opts))`. */
export function attributeText(a: Attribute | AttributeDetail, opts: AttributeJsonOptions = {}): string {
  const { beforeTags, afterTags } = attributeExtras(a, opts);
  const tags = 'tags' in a && a.tags.length > 0 ? `,"Tag":[${tagListText(a.tags)}]` : '';
  return `${attributeHeadText(a)}${entriesText(beforeTags)}${tags}${entriesText(afterTags)}}`;
}

/**
 * An attribute's own keys (through `afterTags`), without `Tag` and without the closing brace: restSearch appends
 * its `Event`, `Object` and `Tag` blocks after them (`attributeSearchText` of json-export.ts). `skip` leaves keys
 * out that the caller writes later itself.
 */
export function attributeOpenText(a: AttributeDetail, skip?: string): string {
  const { beforeTags, afterTags } = attributeExtras(a, {});
  return attributeHeadText(a) + entriesText(beforeTags) + entriesText(skip ? afterTags.filter(([k]) => k !== skip) : afterTags);
}

/**
 * `JSON.stringify(toMispObject(o, opts))` with its attributes written by {@link attributeText}: `Attribute` is the
 * object's last key, so the object is stringified with an empty list and the attributes go in its place.
 */
export function objectText(o: ObjectDetail, opts: ObjectJsonOptions = {}): string {
  const shell = q(toMispObject({ ...o, attributes: [] }, opts));
  const attributeOpts = { inEvent: opts.inEvent, sharingGroups: opts.sharingGroups };
  return `${shell.slice(0, -3)}[${o.attributes.map((a) => attributeText(a, attributeOpts)).join(',')}]}`;
}
