import { toMispSearchRelatedAttribute } from '../misp-format/correlation-json.js';
import { attributeOpenText, tagListText } from '../misp-format/attribute-json-text.js';
import { toMispAttribute, toMispObject, toMispTag } from '../misp-format/event-json.js';
import { mispEventChunks } from '../misp-format/event-json-chunks.js';
import { jsonElements, textElements } from '../misp-format/json-chunks.js';
import type { Chunk } from '../util/utf8-join.js';
import type { AttributeItem, ExportContext, ExportSource } from './export-items.js';

/**
 * MISP JSON for restSearch (spec §2.12, `JsonExport`): `{"response": [{"Event": …}, …]}` for events,
 * `{"response": {"Attribute": […]}}` for attributes, `{"response": [{"Object": …}, …]}` for objects. Each element
 * is rendered as events/view, attributes/view and objects/view render it.
 */

type Json = Record<string, unknown>;
const s = (n: number): string => String(n);

/**
 * The event block of an attribute-scope result: MISP's stub (`MispAttribute::restSearch` fields) or, with
 * `includeContext`, the event's metadata with its tags and creator org (`__fetchEventsForAttributeContext`).
 */
function eventBlock(item: AttributeItem, context: boolean): Json {
  const e = item.event;
  if (!context) {
    return {
      org_id: s(e.orgId), distribution: s(e.distribution), publish_timestamp: s(e.publishTimestamp), id: s(e.id),
      info: e.info, orgc_id: s(e.orgcId), uuid: e.uuid,
    };
  }
  const orgc = item.orgc;
  return {
    id: s(e.id), orgc_id: s(e.orgcId), org_id: s(e.orgId), date: e.date, threat_level_id: s(e.threatLevelId), info: e.info,
    published: e.published, uuid: e.uuid, analysis: s(e.analysis), timestamp: s(e.timestamp), distribution: s(e.distribution),
    publish_timestamp: s(e.publishTimestamp), sharing_group_id: s(e.sharingGroupId), extends_uuid: e.extendsUuid,
    Tag: item.eventTags.map((l) => ({
      local: l.local, id: s(l.tag.id), name: l.tag.name, colour: l.tag.colour,
      numerical_value: l.tag.numericalValue === null ? null : s(l.tag.numericalValue),
    })),
    ...(orgc ? { Orgc: { id: s(orgc.id), name: orgc.name, uuid: orgc.uuid, local: orgc.local } } : {}),
  };
}

/**
 * One element of `{"response": {"Attribute": [...]}}` (`JsonExport::__attributeHandler`): the attribute, `event_uuid`
 * with includeEventUuid, `Event`, `Object` for object attributes, then `Tag` (event tags marked `inherited`).
 */
export function attributeSearchJson(item: AttributeItem, ctx: ExportContext): Json {
  const out = toMispAttribute(item.attribute);
  const tags = (out.Tag as Json[] | undefined) ?? [];
  delete out.Tag;
  if (ctx.output.includeEventUuid) out.event_uuid = item.event.uuid;
  out.Event = eventBlock(item, ctx.output.includeContext);
  const o = item.object;
  if (o) out.Object = { id: s(o.id), distribution: s(o.distribution), sharing_group_id: s(o.sharingGroupId) };
  if (ctx.output.includeEventTags) tags.push(...item.eventTags.map((l) => ({ ...toMispTag(l), inherited: 1 })));
  if (tags.length) out.Tag = tags;
  // includeCorrelations: MispAttribute::fetchAttributes sets RelatedAttribute on every attribute, [] when none;
  // each element is the related attribute with its Event (Correlation::getRelatedAttributes with event data).
  if (ctx.output.includeCorrelations) {
    delete out.RelatedAttribute;
    out.RelatedAttribute = (item.attribute.relatedAttributes ?? []).map(toMispSearchRelatedAttribute);
  }
  return out;
}

/**
 * `JSON.stringify(attributeSearchJson(item, ctx))`, written as text (attribute-json-text.ts); `events` keeps each
 * event's block as text for the page, since a page's attributes share few events.
 */
export function attributeSearchText(item: AttributeItem, ctx: ExportContext, events: Map<number, string>): string {
  const { attribute: a, event: e, object: o } = item;
  const { includeCorrelations, includeEventUuid, includeEventTags } = ctx.output;
  let t = attributeOpenText(a, includeCorrelations ? 'RelatedAttribute' : undefined);
  if (includeEventUuid) t += `,"event_uuid":${JSON.stringify(e.uuid)}`;
  let event = events.get(e.id);
  if (event === undefined) events.set(e.id, (event = JSON.stringify(eventBlock(item, ctx.output.includeContext))));
  t += `,"Event":${event}`;
  if (o) t += `,"Object":{"id":"${o.id}","distribution":"${o.distribution}","sharing_group_id":"${o.sharingGroupId}"}`;
  const tags = [a.tags.length ? tagListText(a.tags) : '', includeEventTags && item.eventTags.length ? tagListText(item.eventTags, true) : '']
    .filter((x) => x !== '');
  if (tags.length) t += `,"Tag":[${tags.join(',')}]`;
  if (includeCorrelations) t += `,"RelatedAttribute":${JSON.stringify((a.relatedAttributes ?? []).map(toMispSearchRelatedAttribute))}`;
  return `${t}}`;
}

export async function* jsonExport(source: ExportSource, ctx: ExportContext): AsyncGenerator<Chunk> {
  let first = true;
  if (source.scope === 'attributes') {
    yield '{"response": {"Attribute": [';
    for await (const page of source.pages) {
      const events = new Map<number, string>();
      yield* textElements(page, (item) => attributeSearchText(item, ctx, events), !first);
      first &&= page.length === 0;
    }
    yield ']}}\n';
    return;
  }
  yield '{"response": [';
  if (source.scope === 'events') {
    for await (const page of source.pages) {
      for (const d of page) {
        if (!first) yield ',';
        first = false;
        yield* mispEventChunks(d, { metadata: ctx.output.metadata });
      }
    }
  } else {
    for await (const page of source.pages) {
      yield* jsonElements(page, ({ object, event }) => {
        const json = toMispObject(ctx.output.metadata ? { ...object, attributes: [] } : object, { event });
        if (ctx.output.metadata || object.attributes.length === 0) delete json.Attribute;
        return { Object: json };
      }, !first);
      first &&= page.length === 0;
    }
  }
  yield ']}\n';
}
