/** Percentiles, medians and a memory sampler for the benchmark runner (performance.md §4.2 "Method"). */

export interface LatencySummary {
  readonly n: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summarise(samplesMs: readonly number[]): LatencySummary {
  const s = [...samplesMs].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s[s.length - 1] ?? Number.NaN };
}

export function median(xs: readonly number[]): number {
  return percentile([...xs].sort((a, b) => a - b), 50);
}

/** Coefficient of variation (stddev / mean), to flag noisy runs (§4.3: rerun above 15 %). */
export function cv(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return mean === 0 ? 0 : Math.sqrt(variance) / mean;
}

export interface MemoryPeak {
  readonly rssPeak: number;
  readonly heapPeak: number;
}

/** Samples RSS and heap every `everyMs` until stopped; returns the peaks (bytes). */
export function sampleMemory(everyMs = 50): { stop(): MemoryPeak } {
  let rssPeak = 0;
  let heapPeak = 0;
  const take = () => {
    const m = process.memoryUsage();
    rssPeak = Math.max(rssPeak, m.rss);
    heapPeak = Math.max(heapPeak, m.heapUsed);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { rssPeak, heapPeak };
    },
  };
}

/** Runs a full GC twice when node was started with --expose-gc (the npm script does). */
export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return false;
  gc();
  gc();
  return true;
}
