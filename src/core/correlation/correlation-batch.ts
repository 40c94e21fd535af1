import type {
  AttributeRef, CorrelationIndexStore, CorrelationSubject, Detached, IpRangeEntry, KeyEntry, ValueEntry,
} from '../ports/correlation-store.js';
import { ipRangeOf, rangeContains } from './cidr-range.js';
import type { ExclusionMatcher } from './correlation-exclusions.js';
import { correlationKeys, isCorrelatingType, keyHash, normaliseKey, storedValue } from './correlation-keys.js';
import { createRowBuffer } from './correlation-rows.js';
import type { CorrelationSettings } from './correlation-settings.js';
import { fuzzyCompare, ssdeepGrams } from './ssdeep-compare.js';
import { pushTo } from '../util/multimap.js';

/**
 * One batch of index work inside a write transaction (design: README.md). A *value group* is every attribute
 * carrying one key (plus, for a CIDR block key, the plain addresses inside the block). A group links all its
 * members pairwise across events, unless it has more than `limit + 1` members: then it is over-correlating and
 * links none. `attach` adds attributes to their groups, `release` re-opens groups that removals brought back
 * under the limit. Both keep the stored rows equal to what a rebuild from scratch would produce.
 */

/** A member of a value group; CIDR points are not exact members and only link to exact ones. */
interface Member {
  readonly id: number;
  readonly eventId: number;
  readonly exact: boolean;
}

/** A group to (re)link: `added` members are linked to all others; `all` links every pair (a group re-opened). */
interface GroupWork {
  readonly hash: number;
  readonly added: readonly Member[] | 'all';
}

interface BlockIndex {
  readonly byHash: Map<number, { lo: string; hi: string }>;
  containing(point: string): number[];
}

/** Whether an attribute takes part in correlation at all (spec §5.1 exclusions other than values). */
export function isEligible(s: CorrelationSubject): boolean {
  return !s.deleted && !s.disableCorrelation && !s.event.disableCorrelation && isCorrelatingType(s.type);
}

/** Holders whose facts `countMembers` reads at a time: a popular value's count stops after the first slice. */
const COUNT_SLICE = 1000;

export interface CorrelationBatch {
  /** Re-opens over-correlating groups that the detached attributes left at or under the limit. */
  release(detached: Detached): Promise<void>;
  /** Indexes and links the eligible subjects (which must not be in the index yet). */
  attach(subjects: readonly CorrelationSubject[]): Promise<void>;
}

/**
 * `indexedBelow`: only attributes with a smaller id count as indexed (a rebuild's batch: the attributes it has not
 * reached yet are in the table, and are linked when their own batch comes).
 */
export function createCorrelationBatch(
  cs: CorrelationSettings, store: CorrelationIndexStore, exclusions: ExclusionMatcher, indexedBelow?: number,
): CorrelationBatch {
  const facts = new Map<number, CorrelationSubject>();
  const keyCache = new Map<number, string[]>();
  const texts = new Map<number, string>();
  const keysOf = (s: CorrelationSubject): string[] => {
    let keys = keyCache.get(s.id);
    if (!keys) keyCache.set(s.id, (keys = correlationKeys(s)));
    return keys;
  };
  /** Ids this batch attached: they hold their values in the table already, but are the groups' `added` members. */
  const attached = new Set<number>();
  const buffer = createRowBuffer();
  const fetchCap = Number.isFinite(cs.limit) ? cs.limit + 2 : 1_000_000_000;
  let blocks: BlockIndex | undefined;

  const blockIndex = async (): Promise<BlockIndex> => {
    if (blocks) return blocks;
    const list = await store.ipBlocks();
    const byHash = new Map<number, { lo: string; hi: string }>();
    for (const b of list) byHash.set(b.hash, { lo: b.lo, hi: b.hi });
    blocks = {
      byHash,
      containing: (point) => [...byHash].filter(([, r]) => rangeContains(r, point)).map(([h]) => h),
    };
    return blocks;
  };

  const loadFacts = async (ids: readonly number[]) => {
    const missing = [...new Set(ids)].filter((id) => !facts.has(id));
    if (missing.length > 0) for (const s of await store.loadSubjects(missing)) facts.set(s.id, s);
  };

  const valueOf = (hash: number): ValueEntry => ({ id: hash, value: storedValue(texts.get(hash) ?? '') });

  /** The key text of a group, from a holder when the batch did not see it (needed to verify hash matches). */
  const learnText = (hash: number, ids: readonly number[]) => {
    if (texts.has(hash)) return;
    for (const id of ids) {
      const s = facts.get(id);
      const key = s && keysOf(s).find((k) => keyHash(k) === hash);
      if (key !== undefined) {
        texts.set(hash, key);
        return;
      }
    }
  };

  const flush = async () => {
    if (buffer.rows.length === 0) return;
    await store.insertCorrelations(buffer.rows, buffer.values());
    buffer.clear();
  };

  /**
   * Whether a candidate holding a group's hash is a member: it correlates at all, and one of its correlation keys is
   * the group's text (not another value with the same hash, nor the value in a half that does not correlate).
   */
  const isMember = (s: CorrelationSubject | undefined, text: string | undefined): s is CorrelationSubject =>
    s !== undefined && text !== undefined && isEligible(s) && keysOf(s).includes(text);

  /**
   * Links (or blocks) each group: one holders query, one over-correlation query, one facts query and one insert
   * for all of them. The holders query reads the attribute rows' hash indexes, where the batch's own attributes
   * already are; without them, most new values have no holder at all.
   */
  const processGroups = async (work: readonly GroupWork[]) => {
    if (work.length === 0) return;
    const holders = new Map<number, number[]>();
    // The batch's own attributes are skipped as holders, so a new value needs the probe only when attributes
    // committed before may hold it. A re-opened group (`all`) is always read, as is every group of a rebuild (whose
    // attributes are all stored already).
    const stored = indexedBelow === undefined
      ? new Set(await store.possiblyStored(work.filter((w) => w.added !== 'all').map((w) => w.hash)))
      : undefined;
    const probed = work.filter((w) => !stored || w.added === 'all' || stored.has(w.hash)).map((w) => w.hash);
    const points = new Map<number, IpRangeEntry[]>();
    if (cs.advanced) {
      const index = await blockIndex();
      for (const w of work) {
        const r = index.byHash.get(w.hash);
        if (r) points.set(w.hash, await store.pointsIn(r.lo, r.hi, fetchCap));
      }
    }
    // An over-correlating value always has stored members, so only values that may have some need the check. It
    // comes before the holders are read: an over-correlating value links nothing, and a popular one has thousands of
    // holders, read again by every group that carries it (1M ingest: holder reads 1.29 -> 0.56 s).
    const mayShare = points.size > 0 ? [...new Set([...probed, ...points.keys()])] : probed;
    const over = mayShare.length > 0 ? await store.overCorrelating(mayShare) : new Set<number>();
    for (const h of await store.keyHolders(over.size > 0 ? probed.filter((h) => !over.has(h)) : probed, indexedBelow)) {
      if (!attached.has(h.id)) pushTo(holders, h.hash, h.id);
    }
    const open = over.size > 0 ? work.filter((w) => !over.has(w.hash)) : work;
    // a loop, not a flatMap of spreads: most groups of a large add have no stored members at all
    const others: number[] = [];
    for (const w of open) {
      for (const id of holders.get(w.hash) ?? []) others.push(id);
      for (const m of points.get(w.hash) ?? []) others.push(m.id);
    }
    await loadFacts(others);
    const blocked: (ValueEntry & { occurrence: number })[] = [];
    for (const w of open) {
      const stored = holders.get(w.hash);
      const inside = points.get(w.hash);
      // the common case: a value nobody else carries
      if (w.added !== 'all' && w.added.length === 1 && !stored && !inside) continue;
      const members = groupMembers(w, stored ?? [], inside ?? []);
      const added = w.added === 'all' ? members : w.added;
      const addedIds = new Set(added.map((m) => m.id));
      if (members.length > cs.limit + 1) {
        blocked.push({ ...valueOf(w.hash), occurrence: members.length });
        const old = members.filter((m) => m.exact && !addedIds.has(m.id));
        if (old.length > 0) await store.removeValueRows(w.hash, old);
        continue;
      }
      const value = valueOf(w.hash);
      for (const n of added) {
        for (const m of members) {
          if (m.id === n.id || m.eventId === n.eventId || (!m.exact && !n.exact)) continue;
          if (addedIds.has(m.id) && m.id < n.id) continue;
          buffer.link(facts.get(n.id)!, facts.get(m.id)!, value, value);
        }
      }
    }
    if (blocked.length > 0) await store.markOverCorrelating(blocked);
  };

  /**
   * Every member of a group: the stored holders of its hash that are members, addresses inside a block, and the
   * added ones. An excluded value (an exclusion added after it was stored) has none.
   */
  const groupMembers = (w: GroupWork, stored: readonly number[], inside: readonly IpRangeEntry[]): Member[] => {
    const byId = new Map<number, Member>();
    learnText(w.hash, stored);
    const text = texts.get(w.hash);
    if (text !== undefined && exclusions.excludes(text)) return [];
    for (const id of stored) {
      const s = facts.get(id);
      if (isMember(s, text)) byId.set(id, { id, eventId: s.eventId, exact: true });
    }
    for (const p of inside) if (facts.has(p.id) && !byId.has(p.id)) byId.set(p.id, { id: p.id, eventId: p.eventId, exact: false });
    if (w.added !== 'all') for (const m of w.added) byId.set(m.id, m);
    return [...byId.values()];
  };

  /** How many members a stored value group has, counting no further than `cap + 1` (facts are read in slices). */
  const countMembers = async (hash: number, cap: number): Promise<number> => {
    const ids = (await store.keyHolders([hash], indexedBelow)).map((h) => h.id);
    let n = 0;
    for (let i = 0; i < ids.length && n <= cap; i += COUNT_SLICE) {
      const part = ids.slice(i, i + COUNT_SLICE);
      await loadFacts(part);
      learnText(hash, part);
      const text = texts.get(hash);
      for (const id of part) if (isMember(facts.get(id), text)) n++;
    }
    return n;
  };

  /** ssdeep similarity (advanced): new signatures against every signature sharing a 7-character gram. */
  const linkFuzzy = async (signatures: readonly CorrelationSubject[], gramHashes: readonly number[]) => {
    const candidates = await store.gramHolders(gramHashes);
    await loadFacts(candidates.map((c) => c.id));
    const added = new Set(signatures.map((s) => s.id));
    for (const s of signatures) {
      const key = normaliseKey(s.value1);
      for (const ref of candidates) {
        const c = facts.get(ref.id);
        if (!c || c.id === s.id || c.eventId === s.eventId || (added.has(c.id) && c.id < s.id)) continue;
        const other = normaliseKey(c.value1);
        if (other === key || fuzzyCompare(s.value1, c.value1) < cs.ssdeepThreshold) continue;
        texts.set(keyHash(key), key);
        texts.set(keyHash(other), other);
        buffer.link(s, c, valueOf(keyHash(other)), valueOf(keyHash(key)));
      }
    }
  };

  return {
    async release(detached) {
      const candidates = new Set(detached.keyHashes);
      if (cs.advanced && detached.points.length > 0) {
        const index = await blockIndex();
        for (const p of detached.points) for (const h of index.containing(p)) candidates.add(h);
      }
      if (candidates.size === 0) return;
      const over = [...await store.overCorrelating([...candidates])];
      if (over.length === 0) return;
      const reopened: number[] = [];
      for (const hash of over) {
        let n = await countMembers(hash, cs.limit + 1);
        const block = cs.advanced ? (await blockIndex()).byHash.get(hash) : undefined;
        if (block && n <= cs.limit + 1) n += (await store.pointsIn(block.lo, block.hi, fetchCap)).length;
        if (n <= cs.limit + 1) reopened.push(hash);
      }
      if (reopened.length === 0) return;
      await store.unmarkOverCorrelating(reopened);
      await processGroups(reopened.map((hash) => ({ hash, added: 'all' })));
      await flush();
    },

    async attach(subjects) {
      // one subject per id (the last one given), in first-seen order
      const byId = new Map<number, CorrelationSubject>();
      for (const s of subjects) if (isEligible(s)) byId.set(s.id, s);
      if (byId.size === 0) return;
      const live = byId.values();
      const ranges: IpRangeEntry[] = [];
      const grams: KeyEntry[] = [];
      const signatures: CorrelationSubject[] = [];
      const added = new Map<number, Member[]>();
      for (const s of live) {
        facts.set(s.id, s);
        attached.add(s.id);
        for (const key of keysOf(s)) {
          if (exclusions.excludes(key)) continue;
          const hash = keyHash(key);
          texts.set(hash, key);
          pushTo(added, hash, { id: s.id, eventId: s.eventId, exact: true });
        }
        if (!cs.advanced) continue;
        const first = normaliseKey(s.value1);
        if (exclusions.excludes(first)) continue;
        const range = ipRangeOf(s.type, s.value1);
        if (range) ranges.push({ id: s.id, eventId: s.eventId, hash: keyHash(first), ...range });
        if (s.type === 'ssdeep') {
          const hashes = ssdeepGrams(s.value1).map(keyHash);
          if (hashes.length > 0) signatures.push(s);
          for (const hash of hashes) grams.push({ id: s.id, eventId: s.eventId, hash });
        }
      }
      if (ranges.length > 0) {
        await store.insertIpRanges(ranges);
        blocks = undefined;
        const index = await blockIndex();
        for (const r of ranges) {
          if (r.block) continue;
          for (const hash of index.containing(r.lo)) pushTo(added, hash, { id: r.id, eventId: r.eventId, exact: false });
        }
      }
      if (grams.length > 0) await store.insertGrams(grams);
      const work: GroupWork[] = [];
      for (const [hash, members] of added) work.push({ hash, added: members });
      await processGroups(work);
      if (signatures.length > 0) await linkFuzzy(signatures, [...new Set(grams.map((g) => g.hash))]);
      await flush();
    },
  };
}

/** Refs of subjects, for detaching them. */
export const refsOf = (subjects: readonly CorrelationSubject[]): AttributeRef[] => subjects.map((s) => ({ id: s.id, eventId: s.eventId }));
