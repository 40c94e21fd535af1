import { AhoCorasick } from './aho-corasick.js';
import { CidrIndex } from './cidr-index.js';
import type { MatchableWarninglist, WarninglistCategory, WarninglistKind } from './warninglist-model.js';
import { pcreToRegExp } from './pcre-regex.js';

/**
 * Checks values against every enabled warninglist at once (Warninglist::checkValue, spec §9.1). All lists of a
 * kind share one index built once: hash maps for `string`, a suffix map for `hostname`, sorted address ranges
 * for `cidr` (CidrIndex), compiled RegExps for `regex`; each `substring` list gets its own Aho–Corasick
 * automaton, so a value only walks the automata of the lists that apply to its type. A check costs a few hash
 * probes, a binary search and a pass over the value: microseconds, whatever the number of entries. Build a
 * new matcher when lists change (WarninglistMatcherCache does).
 *
 * MISP's rules kept: a composite value (`a|b`, `malware-sample`) is tested part by part, the first part that
 * matches a list wins; `matched` is the list entry (string: the value; hostname: the shortest matching
 * suffix; cidr: the widest network; substring and regex: the first entry in list order).
 * One deliberate difference: hostnames are compared case-insensitively (MISP lower-cases the entries but not
 * the value, so `Example.COM` slipped through).
 */

/** One list that matched a value: what the event view puts in an attribute's `warnings`. */
export interface WarninglistHit {
  readonly warninglistId: number;
  readonly warninglistName: string;
  readonly warninglistCategory: WarninglistCategory;
  /** The list entry that matched. */
  readonly matched: string;
  /** The value (or composite part) that was tested. */
  readonly value: string;
}

interface Slot {
  readonly id: number;
  readonly name: string;
  readonly category: WarninglistCategory;
  readonly kind: WarninglistKind;
  /** undefined = `ALL` types. */
  readonly types: ReadonlySet<string> | undefined;
}

/** Which lists apply to one attribute type, computed once per type. */
interface TypePlan {
  readonly applies: Uint8Array;
  readonly kinds: ReadonlySet<WarninglistKind>;
}

const KINDS: readonly WarninglistKind[] = ['string', 'hostname', 'cidr', 'substring', 'regex'];

/**
 * MISP's hostname rule: the text before the first `/`, or the third `/`-separated segment when the value holds
 * `//` (a URL), trailing dots removed.
 */
function hostOf(value: string): string | undefined {
  let start = 0;
  if (value.includes('//')) {
    const a = value.indexOf('/');
    const b = value.indexOf('/', a + 1);
    if (b === -1) return undefined;
    start = b + 1;
  }
  const end = value.indexOf('/', start);
  let host = end === -1 ? value.slice(start) : value.slice(start, end);
  while (host.endsWith('.')) host = host.slice(0, -1);
  return host;
}

/** Hostname entries are stored lower-cased without leading/trailing dots (Warninglist::getFilteredEntries). */
const normaliseHostEntry = (e: string): string => e.trim().replace(/^\.+|\.+$/g, '').toLowerCase();

export class WarninglistMatcher {
  readonly #slots: Slot[] = [];
  readonly #strings = new Map<string, number[]>();
  readonly #hosts = new Map<string, number[]>();
  readonly #cidr = new CidrIndex();
  /** One automaton per substring list, with the list's entries (pattern index = position in the list). */
  readonly #substrings: Array<{ readonly slot: number; readonly entries: readonly string[]; readonly ac: AhoCorasick }> = [];
  readonly #regexes: Array<{ readonly slot: number; readonly entry: string; readonly re: RegExp }> = [];
  readonly #plans = new Map<string, TypePlan>();
  /** Hits of the check in progress (checks are synchronous, so one map serves them all). */
  readonly #found = new Map<number, WarninglistHit>();
  readonly #allPlan: TypePlan;
  /** Entries that cannot be used (invalid networks, patterns PHP would refuse), as `list name: entry (why)`. */
  readonly warnings: string[] = [];
  readonly entryCount: number;

  constructor(lists: readonly MatchableWarninglist[]) {
    let entries = 0;
    for (const list of lists) {
      const slot = this.#slots.length;
      this.#slots.push({
        id: list.id, name: list.name, category: list.category, kind: list.type,
        types: list.types.length === 0 || list.types.includes('ALL') ? undefined : new Set(list.types),
      });
      entries += list.entries.length;
      if (list.type === 'substring') {
        if (list.entries.length) this.#substrings.push({ slot, entries: list.entries, ac: new AhoCorasick(list.entries) });
      } else for (const entry of list.entries) this.#add(slot, list, entry);
    }
    this.entryCount = entries;
    this.#cidr.build();
    for (const bad of this.#cidr.invalid) this.warnings.push(`cidr entry ${bad} is not an IP address or network`);
    this.#allPlan = { applies: new Uint8Array(this.#slots.length).fill(1), kinds: new Set(this.#slots.map((s) => s.kind)) };
  }

  #add(slot: number, list: MatchableWarninglist, entry: string): void {
    switch (list.type) {
      case 'string':
        push(this.#strings, entry, slot);
        return;
      case 'hostname': {
        const host = normaliseHostEntry(entry);
        if (host !== '') push(this.#hosts, host, slot);
        return;
      }
      case 'cidr':
        this.#cidr.add(slot, entry);
        return;
      case 'regex': {
        const re = pcreToRegExp(entry);
        if (typeof re === 'string') this.warnings.push(`${list.name}: regex ${entry} never matches (${re})`);
        else this.#regexes.push({ slot, entry, re });
      }
    }
  }

  /** Number of enabled lists indexed. */
  get listCount(): number {
    return this.#slots.length;
  }

  #plan(type: string): TypePlan {
    let plan = this.#plans.get(type);
    if (!plan) {
      const applies = new Uint8Array(this.#slots.length);
      const kinds = new Set<WarninglistKind>();
      this.#slots.forEach((s, k) => {
        if (s.types === undefined || s.types.has(type)) {
          applies[k] = 1;
          kinds.add(s.kind);
        }
      });
      plan = { applies, kinds };
      this.#plans.set(type, plan);
    }
    return plan;
  }

  /**
   * The enabled lists that apply to attribute type `type` (its `matching_attributes`, or `ALL`) and contain
   * `value`, ordered by list id. Composite types are tested part by part.
   */
  match(type: string, value: string): WarninglistHit[] {
    const plan = this.#plan(type);
    if (plan.kinds.size === 0) return [];
    const parts = type === 'malware-sample' || type.includes('|') ? splitComposite(value) : [value];
    return this.#run(plan, parts);
  }

  /** warninglists/checkValue: every enabled list, whatever its attribute types, the value taken whole. */
  matchAnyType(value: string): WarninglistHit[] {
    if (this.#slots.length === 0) return [];
    return this.#run(this.#allPlan, [value]);
  }

  /** True when any applicable list contains the value (restSearch `enforceWarninglist`, IDS exports). */
  isListed(type: string, value: string): boolean {
    return this.match(type, value).length > 0;
  }

  #run(plan: TypePlan, parts: readonly string[]): WarninglistHit[] {
    const found = this.#found;
    found.clear();
    for (const part of parts) {
      for (const kind of KINDS) if (plan.kinds.has(kind)) this.#check(kind, plan.applies, part, found);
    }
    if (found.size === 0) return [];
    const hits = [...found.values()].sort((a, b) => a.warninglistId - b.warninglistId);
    found.clear();
    return hits;
  }

  #hit(slot: number, matched: string, value: string): WarninglistHit {
    const s = this.#slots[slot]!;
    return { warninglistId: s.id, warninglistName: s.name, warninglistCategory: s.category, matched, value };
  }

  #record(slots: readonly number[] | undefined, applies: Uint8Array, matched: string, value: string, found: Map<number, WarninglistHit>): void {
    if (slots) for (const s of slots) if (applies[s] && !found.has(s)) found.set(s, this.#hit(s, matched, value));
  }

  #check(kind: WarninglistKind, applies: Uint8Array, value: string, found: Map<number, WarninglistHit>): void {
    switch (kind) {
      case 'string':
        this.#record(this.#strings.get(value), applies, value, value, found);
        return;
      case 'hostname': {
        const host = hostOf(value)?.toLowerCase();
        if (!host) return;
        // suffixes from the shortest (the TLD) to the whole host, as Warninglist::__evalHostname
        let dot = host.lastIndexOf('.');
        for (;;) {
          const suffix = dot === -1 ? host : host.slice(dot + 1);
          this.#record(this.#hosts.get(suffix), applies, suffix, value, found);
          if (dot === -1) return;
          dot = dot === 0 ? -1 : host.lastIndexOf('.', dot - 1);
        }
      }
      case 'cidr':
        this.#cidr.lookup(value, (h) => {
          if (applies[h.slot] && !found.has(h.slot)) found.set(h.slot, this.#hit(h.slot, h.network, value));
        });
        return;
      case 'substring':
        for (const { slot, entries, ac } of this.#substrings) {
          if (!applies[slot] || found.has(slot)) continue;
          // the matching entry that comes first in the list (MISP tests entries in order)
          let first = -1;
          ac.search(value, (p) => { if (first === -1 || p < first) first = p; });
          if (first !== -1) found.set(slot, this.#hit(slot, entries[first]!, value));
        }
        return;
      case 'regex':
        for (const r of this.#regexes) {
          if (!applies[r.slot] || found.has(r.slot)) continue;
          r.re.lastIndex = 0;
          if (r.re.test(value)) found.set(r.slot, this.#hit(r.slot, r.entry, value));
        }
    }
  }
}

function push(map: Map<string, number[]>, key: string, slot: number): void {
  const slots = map.get(key);
  if (!slots) map.set(key, [slot]);
  else if (slots[slots.length - 1] !== slot) slots.push(slot);
}

/** `explode('|', $value, 2)`. */
function splitComposite(value: string): string[] {
  const bar = value.indexOf('|');
  return bar === -1 ? [value] : [value.slice(0, bar), value.slice(bar + 1)];
}
