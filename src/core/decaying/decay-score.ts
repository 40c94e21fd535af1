import type { DecayingModel } from './decaying-model.js';

/**
 * MISP's decay score (app/Model/DecayingModelsFormulas/Base.php and Polynomial.php, "An indicator scoring method
 * for MISP platforms", arXiv:1902.03914), as a pure function:
 *
 *   score(t) = base_score · (1 − (t / τ)^(1/δ)),  floored at 0, with τ = lifetime in seconds and δ = decay_speed,
 *
 * where t is the time since the last (type 0) sighting, else since `last_seen`, else since the attribute's
 * timestamp. The base score is the weighted mean of the numerical values of the taxonomy tags named in
 * `base_score_config` (attribute tags override event tags of the same taxonomy), or `default_base_score` when
 * none applies. The indicator is decayed when the score falls below `threshold`.
 */

export interface DecayTag {
  readonly name: string;
  readonly numericalValue: number | null;
}

export interface DecayAttribute {
  /** Unix seconds of the last change. */
  readonly timestamp: number;
  /** Microseconds (MISP stores last_seen as µs), or null. */
  readonly lastSeen: number | null;
  readonly eventTags: readonly DecayTag[];
  readonly attributeTags: readonly DecayTag[];
}

export interface DecaySighting {
  /** Unix seconds. */
  readonly dateSighting: number;
  /** 0 sighting, 1 false positive, 2 expiration: only type 0 refreshes the score. */
  readonly type: number;
}

export interface DecayScore {
  readonly score: number;
  readonly baseScore: number;
  readonly decayed: boolean;
}

/** DecayingModelBase::__extractTagBasename: `ns:pred="value"` → `ns:pred`, `ns:pred` → `ns`, anything else itself. */
export function tagBaseName(name: string): string {
  if (/^[^:="]+:[^:="]+="[^:="]+"$/i.test(name)) {
    const [ns, rest] = [name.slice(0, name.indexOf(':')), name.slice(name.indexOf(':') + 1)];
    return `${ns}:${rest.slice(0, rest.indexOf('='))}`;
  }
  if (/^[^:="]+:[^:="]+$/i.test(name)) return name.slice(0, name.indexOf(':'));
  return name;
}

/** DecayingModelBase::__getPrioritisedTag: attribute tags replace event tags of the same base name. */
export function prioritisedTags(eventTags: readonly DecayTag[], attributeTags: readonly DecayTag[]): DecayTag[] {
  const tags: (DecayTag | undefined)[] = [...eventTags];
  const byBase = new Map<string, number[]>();
  eventTags.forEach((t, i) => {
    const base = tagBaseName(t.name);
    byBase.set(base, [...(byBase.get(base) ?? []), i]);
  });
  for (const t of attributeTags) {
    const indexes = byBase.get(tagBaseName(t.name));
    if (indexes?.length) {
      indexes.forEach((idx, n) => { tags[idx] = n === 0 ? t : undefined; });
    } else {
      tags.push(t);
    }
  }
  return tags.filter((t): t is DecayTag => t !== undefined);
}

/** DecayingModelBase::computeBasescore. */
export function baseScore(model: Pick<DecayingModel, 'parameters'>, eventTags: readonly DecayTag[], attributeTags: readonly DecayTag[]): number {
  const config = model.parameters.base_score_config ?? {};
  const tags = prioritisedTags(eventTags, attributeTags).filter((t) => t.numericalValue !== null && tagBaseName(t.name) in config);
  if (tags.length === 0) return Number(model.parameters.default_base_score ?? 0);
  const total = tags.reduce((sum, t) => sum + Number(config[tagBaseName(t.name)]), 0);
  return tags.reduce((sum, t) => sum + (Number(config[tagBaseName(t.name)]) / total) * t.numericalValue!, 0);
}

/** When the score last restarted (DecayingModelBase::computeCurrentScore). */
export function lastRefresh(attribute: DecayAttribute, sightings: readonly DecaySighting[]): number {
  const lastSeen = attribute.lastSeen === null ? null : Math.floor(attribute.lastSeen / 1_000_000);
  const seen = sightings.filter((s) => s.type === 0).map((s) => s.dateSighting);
  let last = seen.length ? Math.max(...seen) : lastSeen ?? attribute.timestamp;
  // Modified after its last sighting: MISP then counts from last_seen, or from the modification.
  if (attribute.timestamp > last) last = lastSeen ?? attribute.timestamp;
  return last;
}

/** Polynomial::computeScore for an elapsed time in seconds. */
export function polynomialScore(model: Pick<DecayingModel, 'parameters'>, base: number, elapsed: number): number {
  if (elapsed < 0) return 0;
  const lifetime = Number(model.parameters.lifetime) * 24 * 60 * 60;
  const score = base * (1 - (elapsed / lifetime) ** (1 / Number(model.parameters.decay_speed)));
  return score < 0 || Number.isNaN(score) ? 0 : score;
}

/** The score of an attribute under a Polynomial model at `now` (Unix seconds). */
export function decayScore(model: Pick<DecayingModel, 'parameters'>, attribute: DecayAttribute, sightings: readonly DecaySighting[], now: number): DecayScore {
  const base = baseScore(model, attribute.eventTags, attribute.attributeTags);
  const score = polynomialScore(model, base, now - lastRefresh(attribute, sightings));
  return { score, baseScore: base, decayed: Number(model.parameters.threshold) > score };
}

/** One entry of an attribute's `decay_score` list (DecayingModel::attachScoresToAttribute). */
export function toMispDecayScore(model: Pick<DecayingModel, 'id' | 'name'>, s: DecayScore): Record<string, unknown> {
  return { score: s.score, base_score: s.baseScore, decayed: s.decayed, DecayingModel: { id: String(model.id), name: model.name } };
}
