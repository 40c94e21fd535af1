/** Time source; injected so tests can pin "now". */
export interface Clock {
  /** Unix seconds. */
  now(): number;
}
export const systemClock: Clock = { now: () => Math.floor(Date.now() / 1000) };
