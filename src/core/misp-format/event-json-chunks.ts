import type { EventDetail } from '../model/event.js';
import { newUuid } from '../util/uuid.js';
import { attributeText, objectText } from './attribute-json-text.js';
import type { Chunk } from '../util/utf8-join.js';
import { textElements } from './json-chunks.js';
import { eventShell, type EventJsonOptions } from './event-json.js';

/** Below this many attributes and objects one JSON.stringify is cheaper than chunking. */
export const CHUNKED_FROM = 2_000;

/** Whether an event is big enough for {@link mispEventChunks} to be worth it. */
export const isLargeEvent = (d: EventDetail): boolean => d.attributes.length + d.objects.length >= CHUNKED_FROM;

/**
 * The text of `JSON.stringify({...toMispEvent(d, opts), ...tail})`, in chunks: attributes and objects are rendered
 * a few hundred at a time and dropped once written, so a 50,000-attribute event never exists whole as MISP-format
 * objects nor as one string (performance.md §4.2 metric 2c: events/add answers the event it stored).
 *
 * The shell is stringified once with a random placeholder for each list and cut there; the placeholder is a JSON
 * string holding a NUL and a fresh uuid, which no stored value can produce as the same unescaped token.
 */
export function* mispEventChunks(d: EventDetail, opts: EventJsonOptions = {}, tail: Record<string, unknown> = {}): Generator<Chunk> {
  const mark = `\u0000${newUuid()}`;
  const shell = eventShell(d, opts, { attributes: () => mark, objects: () => mark });
  const parts = JSON.stringify({ ...shell, ...tail }).split(JSON.stringify(mark));
  if (parts.length !== 3) {
    // metadata: no lists to stream
    yield parts.join('');
    return;
  }
  const sharingGroups = d.sharingGroups;
  yield `${parts[0]}[`;
  yield* textElements(d.attributes, (a) => attributeText(a, { inEvent: true, sharingGroups }));
  yield `]${parts[1]}[`;
  yield* textElements(d.objects, (o) => objectText(o, { inEvent: true, sharingGroups }));
  yield `]${parts[2]}`;
}
