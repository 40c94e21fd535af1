/** `items` in consecutive slices of at most `size` (at least 1): the statements of a list longer than one statement binds. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const n = Math.max(1, Math.floor(size));
  const out: T[][] = [];
  for (let k = 0; k < items.length; k += n) out.push(items.slice(k, k + n));
  return out;
}
