import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what survived the last full collection before collecting again.
 *
 * A streamed export or a large event keeps ~60 MB live, but every page of rows it renders survives a scavenge or
 * two and is promoted, so garbage piles up in the old generation; V8's own limit lets it reach 4× the live heap.
 * 1.5× (50 %) keeps a 1M-attribute export under performance.md's 100 MB of growth at the same speed (figures in
 * docs/adr/0008-heap-growth.md). V8 reads the flag whenever it sizes the heap after a collection, so setting it at
 * start-up takes effect.
 */
export function tuneHeap(growingPercent: number): void {
  if (growingPercent > 0) setFlagsFromString(`--heap-growing-percent=${growingPercent}`);
}
