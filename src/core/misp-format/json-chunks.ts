import { utf8Join } from '../util/utf8-join.js';

/** Elements rendered and joined per chunk: about 150 KB of text for typical attributes. */
const GROUP = 256;

/**
 * The elements of a JSON array, rendered and joined a few hundred at a time: a long list never exists whole as
 * rendered objects nor as one string, and each chunk is small enough for the socket's backpressure to bound the
 * memory of a streamed answer. `continued`: elements were written before, so the first chunk starts with a comma.
 */
export function* jsonElements<T>(items: readonly T[], render: (item: T) => unknown, continued = false): Generator<string> {
  for (let i = 0; i < items.length; i += GROUP) {
    const part: unknown[] = [];
    const end = Math.min(items.length, i + GROUP);
    for (let k = i; k < end; k++) part.push(render(items[k]!));
    // one stringify of the group, brackets cut: ~30 % faster than one call per element and a join
    const text = JSON.stringify(part);
    yield (i === 0 && !continued ? '' : ',') + text.slice(1, -1);
  }
}

/**
 * {@link jsonElements} for elements rendered as JSON text by `render`, each group as UTF-8 bytes (see utf8Join for
 * why the elements are not joined as text).
 */
export function* textElements<T>(items: readonly T[], render: (item: T) => string, continued = false): Generator<Buffer> {
  for (let i = 0; i < items.length; i += GROUP) {
    const texts: string[] = [];
    const end = Math.min(items.length, i + GROUP);
    for (let k = i; k < end; k++) texts.push(render(items[k]!));
    yield utf8Join(texts, ',', i === 0 && !continued ? '' : ',');
  }
}
