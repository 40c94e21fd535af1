/**
 * ssdeep (context-triggered piecewise hashing) signature comparison, written for Cairn from the published
 * algorithm of libfuzzy 2.14 `fuzzy_compare` (what MISP's `ssdeep_fuzzy_compare` calls for advanced
 * correlations, spec §5.1). A signature is `blocksize:chunk:doublechunk[,"filename"]`. Two signatures compare
 * only when their block sizes are equal or one is double the other; the score (0–100) comes from a weighted edit
 * distance between the chunks of a common block size, gated by a shared 7-character substring.
 *
 * Checked against Debian's `ssdeep` binary in ssdeep-compare.binary.test.ts.
 */

/** Length of the rolling window: chunks must share a substring this long to score at all. */
const ROLLING_WINDOW = 7;
const MIN_BLOCKSIZE = 3;
/** Longest chunk a signature may carry. */
const SPAMSUM_LENGTH = 64;
/** Block sizes at or above this are not capped by the "small block size" rule. */
const UNCAPPED_BLOCKSIZE = Math.floor((99 + ROLLING_WINDOW) / ROLLING_WINDOW) * MIN_BLOCKSIZE;

export interface SsdeepSignature {
  readonly blockSize: number;
  /** Chunk at `blockSize`, runs of more than three equal characters cut to three. */
  readonly chunk: string;
  /** Chunk at `2 × blockSize`, likewise reduced. */
  readonly doubleChunk: string;
}

/** Cuts every run of one character to at most three: repeats carry little information and would match too easily. */
function eliminateSequences(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (i >= 3 && s[i] === s[i - 1] && s[i] === s[i - 2] && s[i] === s[i - 3]) continue;
    out += s[i];
  }
  return out;
}

/** Parses `bs:chunk:double[,name]`; undefined when malformed (fuzzy_compare's -1). */
export function parseSsdeep(signature: string): SsdeepSignature | undefined {
  const m = /^(\d+):([^:]*):([^:,]*)(?:,.*)?$/s.exec(signature.trim());
  if (!m) return undefined;
  const blockSize = Number(m[1]);
  if (!Number.isSafeInteger(blockSize)) return undefined;
  const chunk = eliminateSequences(m[2]!);
  const doubleChunk = eliminateSequences(m[3]!);
  if (chunk.length > SPAMSUM_LENGTH || doubleChunk.length > SPAMSUM_LENGTH) return undefined;
  return { blockSize, chunk, doubleChunk };
}

/** Whether the two strings share a substring of ROLLING_WINDOW characters (libfuzzy's rolling-hash prefilter). */
function hasCommonSubstring(a: string, b: string): boolean {
  if (a.length < ROLLING_WINDOW || b.length < ROLLING_WINDOW) return false;
  const grams = new Set<string>();
  for (let i = 0; i + ROLLING_WINDOW <= a.length; i++) grams.add(a.slice(i, i + ROLLING_WINDOW));
  for (let j = 0; j + ROLLING_WINDOW <= b.length; j++) if (grams.has(b.slice(j, j + ROLLING_WINDOW))) return true;
  return false;
}

/** Edit distance with insert and delete costing 1 and a substitution 2 (libfuzzy's `edit_distn`). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1);
  for (let i = 0; i < a.length; i++) {
    cur[0] = i + 1;
    for (let j = 0; j < b.length; j++) {
      const replace = prev[j]! + (a[i] === b[j] ? 0 : 2);
      cur[j + 1] = Math.min(prev[j + 1]! + 1, cur[j]! + 1, replace);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/** libfuzzy's `score_strings`: 0–100 for two chunks taken at one block size. */
function scoreChunks(a: string, b: string, blockSize: number): number {
  if (!hasCommonSubstring(a, b)) return 0;
  let score = Math.floor((editDistance(a, b) * SPAMSUM_LENGTH) / (a.length + b.length));
  score = Math.floor((100 * score) / SPAMSUM_LENGTH);
  score = 100 - score;
  if (blockSize >= UNCAPPED_BLOCKSIZE) return score;
  // a small block size means a short input: do not let a short match look better than it is
  const cap = Math.floor(blockSize / MIN_BLOCKSIZE) * Math.min(a.length, b.length);
  return Math.min(score, cap);
}

/**
 * The similarity of two ssdeep signatures, 0 (unrelated or incomparable block sizes) to 100 (identical), or -1 when
 * either is not a signature — the values `ssdeep_fuzzy_compare` returns.
 *
 * @example fuzzyCompare(signatureOfFile, signatureOfTheSameFileWithItsLastThirdReplaced) // ≈ 70
 */
export function fuzzyCompare(left: string, right: string): number {
  const a = parseSsdeep(left);
  const b = parseSsdeep(right);
  if (!a || !b) return -1;
  const bs1 = a.blockSize;
  const bs2 = b.blockSize;
  if (bs1 !== bs2 && bs1 * 2 !== bs2 && (bs1 % 2 === 1 || bs1 / 2 !== bs2)) return 0;
  if (bs1 === bs2 && a.chunk === b.chunk && a.doubleChunk === b.doubleChunk) return 100;
  if (bs1 === bs2) return Math.max(scoreChunks(a.chunk, b.chunk, bs1), scoreChunks(a.doubleChunk, b.doubleChunk, bs1 * 2));
  if (bs1 * 2 === bs2) return scoreChunks(b.chunk, a.doubleChunk, bs2);
  return scoreChunks(a.chunk, b.doubleChunk, bs1);
}

/**
 * The `blocksize:gram` strings of a signature: every 7-character substring of its chunk (tagged with the block
 * size) and of its double chunk (tagged with twice the block size). Two signatures can score above 0 only if they
 * share one, so these index candidate matches exactly, like MISP's `fuzzy_correlate_ssdeep` chunk table.
 */
export function ssdeepGrams(signature: string): string[] {
  const s = parseSsdeep(signature);
  if (!s) return [];
  const out = new Set<string>();
  const add = (chunk: string, bs: number) => {
    for (let i = 0; i + ROLLING_WINDOW <= chunk.length; i++) out.add(`${bs}:${chunk.slice(i, i + ROLLING_WINDOW)}`);
  };
  add(s.chunk, s.blockSize);
  add(s.doubleChunk, s.blockSize * 2);
  return [...out];
}
