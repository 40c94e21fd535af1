/** Splits rows so that one INSERT carries at most `maxParams` bind parameters (dialect.maxParams). */
export function rowChunks<T>(rows: readonly T[], paramsPerRow: number, maxParams: number): T[][] {
  const size = Math.max(1, Math.floor(maxParams / paramsPerRow));
  const out: T[][] = [];
  for (let k = 0; k < rows.length; k += size) out.push(rows.slice(k, k + size));
  return out;
}

export const flag = (v: boolean | undefined): number => (v ? 1 : 0);
export const isSet = (v: number | null | undefined): boolean => v === 1;
