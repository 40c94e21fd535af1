import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { baseScore, decayScore, prioritisedTags, tagBaseName, toMispDecayScore } from './decay-score.js';

/** Expected values are worked out by hand from MISP's Polynomial formula: base · (1 − (t/τ)^(1/δ)). */

const DAY = 86_400;
const T = 1_700_000_000;
/** misp-decaying-models "NIDS Simple Decaying Model" (models/nids-simple-model.json, version 2). */
const nids = {
  id: 1, name: 'NIDS Simple Decaying Model',
  parameters: {
    lifetime: 120, decay_speed: 2, threshold: 30, default_base_score: 80,
    base_score_config: {
      'estimative-language:confidence-in-analytic-judgment': 0.1667, 'estimative-language:likelihood-probability': 0.1667,
      'false-positive:risk': 0.1667, 'priority-level': 0.1667, retention: 0.1667,
      'targeted-threat-index:targeting-sophistication-base-value': 0.0833,
      'targeted-threat-index:technical-sophistication-multiplier': 0.0833,
    },
  },
};
const attr = (o: Partial<Parameters<typeof decayScore>[1]> = {}) => ({ timestamp: T, lastSeen: null, eventTags: [], attributeTags: [], ...o });

describe('tagBaseName', () => {
  it('keeps namespace and predicate of a triple tag, the namespace of a pair, the whole of anything else', () => {
    assert.equal(tagBaseName('false-positive:risk="low"'), 'false-positive:risk');
    assert.equal(tagBaseName('priority-level:high'), 'priority-level');
    assert.equal(tagBaseName('no-colon'), 'no-colon');
    assert.equal(tagBaseName('a:b:c'), 'a:b:c');
  });
});

describe('base score', () => {
  it('is the default base score without a configured taxonomy tag with a numerical value', () => {
    assert.equal(baseScore(nids, [{ name: 'tlp:white', numericalValue: null }, { name: 'false-positive:risk="low"', numericalValue: null }], []), 80);
  });

  it('weights configured tags by their ratio: two equal weights average 95 and 25 to 60', () => {
    const tags = [
      { name: 'estimative-language:likelihood-probability="almost-certain"', numericalValue: 95 },
      { name: 'false-positive:risk="low"', numericalValue: 25 },
      { name: 'tlp:green', numericalValue: 10 },
    ];
    assert.equal(baseScore(nids, tags, []), 60);
  });

  it('lets an attribute tag override the event tag of the same taxonomy', () => {
    const eventTags = [{ name: 'false-positive:risk="high"', numericalValue: 75 }];
    const attributeTags = [{ name: 'false-positive:risk="low"', numericalValue: 25 }];
    assert.deepEqual(prioritisedTags(eventTags, attributeTags), attributeTags);
    assert.equal(baseScore(nids, eventTags, attributeTags), 25);
  });

  it('weights unequal ratios: 0.1667 · 90 + 0.0833 · 30 over 0.25 gives 70', () => {
    const tags = [
      { name: 'priority-level:high', numericalValue: 90 },
      { name: 'targeted-threat-index:targeting-sophistication-base-value="x"', numericalValue: 30 },
    ];
    // ratios 0.1667/0.25 = 0.6668 and 0.0833/0.25 = 0.3332 → 60.012 + 9.996 = 70.008
    assert.ok(Math.abs(baseScore(nids, tags, []) - 70.008) < 1e-9);
  });
});

describe('decayScore (Polynomial)', () => {
  it('halves the base score after a quarter of the lifetime when the decay speed is 2', () => {
    // (30/120)^(1/2) = 0.5 → 80 · 0.5 = 40
    assert.deepEqual(decayScore(nids, attr(), [], T + 30 * DAY), { score: 40, baseScore: 80, decayed: false });
  });

  it('marks the indicator decayed once the score falls under the threshold', () => {
    // (76.8/120)^(1/2) = 0.8 → 80 · 0.2 = 16 < 30
    const s = decayScore(nids, attr(), [], T + 76.8 * DAY);
    assert.ok(Math.abs(s.score - 16) < 1e-9);
    assert.equal(s.decayed, true);
  });

  it('never goes below 0, past the lifetime or before the last refresh', () => {
    assert.equal(decayScore(nids, attr(), [], T + 200 * DAY).score, 0);
    assert.equal(decayScore(nids, attr(), [], T - DAY).score, 0);
  });

  it('counts from the last sighting of type 0 only', () => {
    const sightings = [{ dateSighting: T + 10 * DAY, type: 0 }, { dateSighting: T + 50 * DAY, type: 1 }];
    assert.equal(decayScore(nids, attr(), sightings, T + 40 * DAY).score, 40);
  });

  it('counts from the modification when the attribute changed after its last sighting', () => {
    const sightings = [{ dateSighting: T + 10 * DAY, type: 0 }];
    assert.equal(decayScore(nids, attr({ timestamp: T + 20 * DAY }), sightings, T + 50 * DAY).score, 40);
  });

  it('counts from last_seen (µs, truncated to seconds) when there is no sighting', () => {
    const lastSeen = (T + 5 * DAY) * 1_000_000 + 999_999;
    assert.equal(decayScore(nids, attr({ lastSeen }), [], T + 35 * DAY).score, 40);
  });

  it('applies a fractional decay speed: phishing model at half its 3-day lifetime', () => {
    const phishing = { parameters: { lifetime: 3, decay_speed: 2.3, threshold: 30, default_base_score: 80 } };
    // 80 · (1 − 0.5^(1/2.3)) = 20.815582147062564
    const s = decayScore(phishing, attr(), [], T + 1.5 * DAY);
    assert.ok(Math.abs(s.score - 20.815582147062564) < 1e-9);
    assert.equal(s.decayed, true);
  });

  it('serialises like MISP decay_score entries', () => {
    assert.deepEqual(toMispDecayScore(nids, { score: 40, baseScore: 80, decayed: false }), {
      score: 40, base_score: 80, decayed: false, DecayingModel: { id: '1', name: 'NIDS Simple Decaying Model' },
    });
  });
});
