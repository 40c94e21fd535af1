/**
 * A multi-pattern substring automaton (Aho–Corasick) over UTF-16 code units: one pass over the text finds
 * every pattern it contains, whatever the number of patterns. Warninglists of type `substring` (thousands of
 * disposable-mail domains) would otherwise cost one `includes` per entry per value.
 *
 * The automaton is compiled to a dense DFA: the code units that occur in the patterns are numbered (class 0
 * stands for every other unit, which always leads back to the root), and `delta[state * classes + class]` is the
 * next state with failure links already folded in. A step is two array reads; the 8,000-entry disposable-mail
 * list compiles to about 100,000 states × 40 classes of 32-bit ints.
 */
export class AhoCorasick {
  readonly #classes: number;
  /** Class of each ASCII code unit; others are looked up in #wide. */
  readonly #ascii = new Uint16Array(128);
  readonly #wide = new Map<number, number>();
  readonly #delta: Int32Array;
  /** Patterns ending exactly at a state. */
  readonly #out: Array<number[] | undefined>;
  /** Nearest state on the failure chain that has outputs (-1: none), so reporting skips empty states. */
  readonly #dict: Int32Array;
  readonly size: number;

  constructor(patterns: readonly string[]) {
    let classes = 1;
    const classOf = (code: number): number => {
      const known = code < 128 ? this.#ascii[code]! : this.#wide.get(code) ?? 0;
      if (known !== 0) return known;
      if (code < 128) this.#ascii[code] = classes;
      else this.#wide.set(code, classes);
      return classes++;
    };
    // 1. the trie
    const children: Array<Map<number, number>> = [new Map()];
    const out: Array<number[] | undefined> = [undefined];
    patterns.forEach((p, index) => {
      if (p === '') return;
      let state = 0;
      for (let k = 0; k < p.length; k++) {
        const c = classOf(p.charCodeAt(k));
        let next = children[state]!.get(c);
        if (next === undefined) {
          next = children.length;
          children.push(new Map());
          out.push(undefined);
          children[state]!.set(c, next);
        }
        state = next;
      }
      (out[state] ??= []).push(index);
    });
    this.#classes = classes;
    this.size = children.length;
    this.#out = out;
    // 2. breadth-first: failure links, then the dense transitions (a state's row copies its failure state's row,
    //    which is shallower and so already complete, and overrides its own edges)
    const fail = new Int32Array(this.size);
    this.#dict = new Int32Array(this.size).fill(-1);
    this.#delta = new Int32Array(this.size * classes);
    const queue: number[] = [0];
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      const row = state * classes;
      if (state !== 0) this.#delta.copyWithin(row, fail[state]! * classes, fail[state]! * classes + classes);
      for (const [c, child] of children[state]!) {
        const f = state === 0 ? 0 : this.#delta[fail[state]! * classes + c]!;
        fail[child] = f;
        this.#dict[child] = this.#out[f] ? f : this.#dict[f]!;
        this.#delta[row + c] = child;
        queue.push(child);
      }
    }
  }

  /** Calls `onMatch(patternIndex)` for every occurrence of every pattern in `text` (a pattern may repeat). */
  search(text: string, onMatch: (patternIndex: number) => void): void {
    const delta = this.#delta;
    const ascii = this.#ascii;
    const classes = this.#classes;
    const out = this.#out;
    const dict = this.#dict;
    let state = 0;
    for (let k = 0; k < text.length; k++) {
      const code = text.charCodeAt(k);
      const c = code < 128 ? ascii[code]! : this.#wide.get(code) ?? 0;
      state = delta[state * classes + c]!;
      if (out[state] === undefined && dict[state] === -1) continue;
      for (let s = out[state] ? state : dict[state]!; s !== -1; s = dict[s]!) {
        for (const p of out[s]!) onMatch(p);
      }
    }
  }
}
