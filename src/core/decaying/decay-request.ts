import { invalidFilter, readOption } from '../search/rest-search-grammar.js';

/**
 * The decaying options of restSearch (spec §3.14; MispAttribute::restSearch → fetchAttributes): `includeDecayScore`
 * attaches a `decay_score` list to every attribute, `excludeDecayed` implies it and drops attributes every applicable
 * model calls decayed, `decayingModel` names the models to score with (instead of the enabled ones associated with
 * the attribute's type), `modelOverrides` / `score` replace the models' `threshold`, `lifetime` or `decay_speed`, and
 * `includeFullModel` puts the whole model in each entry. Events restSearch only knows `includeDecayScore`.
 */

export type DecayOverrides = Partial<Readonly<Record<'threshold' | 'lifetime' | 'decay_speed', number>>>;

export interface DecayRequest {
  /** `decayingModel`: score with exactly these models; without it, the enabled models associated with the type. */
  readonly modelIds?: readonly number[];
  readonly overrides: DecayOverrides;
  readonly excludeDecayed: boolean;
  readonly includeFullModel: boolean;
}

type Params = Readonly<Record<string, unknown>>;

/** DecayingModel::$allowed_overrides. */
const OVERRIDABLE = ['threshold', 'lifetime', 'decay_speed'] as const;

const isNumeric = (v: unknown): boolean =>
  (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)));

function readModelIds(raw: unknown): number[] | undefined {
  if (raw === undefined || raw === null || raw === '' || raw === 0 || raw === '0' || raw === false) return undefined;
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/\|\||,/) : [raw];
  return list.map((x) => {
    const v = typeof x === 'string' ? x.trim() : x;
    if (!(typeof v === 'number' && Number.isSafeInteger(v) && v > 0) && !(typeof v === 'string' && /^\d+$/.test(v))) {
      throw invalidFilter('decayingModel');
    }
    return Number(v);
  });
}

function readOverrides(raw: unknown, score: unknown): DecayOverrides {
  let given: unknown = raw;
  if (typeof raw === 'string' && raw.trim() !== '') {
    try {
      given = JSON.parse(raw);
    } catch {
      throw invalidFilter('modelOverrides');
    }
  }
  const out: Record<string, number> = {};
  if (given !== undefined && given !== null && given !== '') {
    if (typeof given !== 'object' || Array.isArray(given)) throw invalidFilter('modelOverrides');
    for (const k of OVERRIDABLE) {
      const v = (given as Record<string, unknown>)[k];
      if (v === undefined) continue;
      if (!isNumeric(v)) throw invalidFilter('modelOverrides');
      out[k] = Number(v);
    }
  }
  // fetchAttributes: `score` is a threshold override and wins over modelOverrides.threshold.
  if (score !== undefined && score !== null && score !== '') {
    if (!isNumeric(score)) throw invalidFilter('score');
    out.threshold = Number(score);
  }
  return out;
}

/** The decaying part of a restSearch request, or undefined when neither includeDecayScore nor excludeDecayed is set. */
export function readDecayRequest(p: Params): DecayRequest | undefined {
  const excludeDecayed = readOption(p.excludeDecayed, 'excludeDecayed');
  if (!readOption(p.includeDecayScore, 'includeDecayScore') && !excludeDecayed) return undefined;
  const modelIds = readModelIds(p.decayingModel);
  return {
    ...(modelIds ? { modelIds } : {}),
    overrides: readOverrides(p.modelOverrides, p.score),
    excludeDecayed,
    includeFullModel: readOption(p.includeFullModel, 'includeFullModel'),
  };
}
