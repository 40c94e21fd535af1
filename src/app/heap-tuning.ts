import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what survived the last full collection before collecting again.
 *
 * A streamed export or a large event keeps ~60 MB live, but every page of rows it renders survives a scavenge or
 * two and is promoted, so the garbage piles up in the old generation. V8 lets it grow to up to 4× the live heap
 * before a full collection when collections look cheap: a 1M-attribute JSON export grew the process by 320 MB,
 * the CSV one by 200 MB (performance.md §4.2 metric 3g asks ≤ 100 MB). With 1.5× (50 %) they grow by 114 and
 * 41 MB, the events export by 52 instead of 199, at the same speed; the 50,000-attribute events/add is as fast
 * (2.40 s) and grows by 147 instead of 213 MB. Full collections are then more frequent, but V8 marks concurrently
 * and each took 5–8 ms here. Measured 2026-11-28, see docs/adr/0008-heap-growth.md.
 *
 * V8 reads the flag whenever it sizes the heap after a collection, so setting it at start-up takes effect.
 */
export function tuneHeap(growingPercent: number): void {
  if (growingPercent > 0) setFlagsFromString(`--heap-growing-percent=${growingPercent}`);
}
