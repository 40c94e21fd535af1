import type { Settings } from '../settings/settings.js';

/** The settings that change what correlates (spec Appendix B), read once per batch. */
export interface CorrelationSettings {
  /** `MISP.completely_disable_correlation`: nothing is indexed or linked, and views show no correlations. */
  readonly disabled: boolean;
  /**
   * `MISP.correlation_limit` (20 when unset): a value carried by more than `limit + 1` attributes — so that each
   * of them would link to more than `limit` others — is over-correlating and links nothing. 0 or less: no cap.
   */
  readonly limit: number;
  /** `MISP.enable_advanced_correlations`: CIDR blocks and ssdeep similarity. */
  readonly advanced: boolean;
  /** `MISP.ssdeep_correlation_threshold` (40): lowest fuzzy score that links two ssdeep attributes. */
  readonly ssdeepThreshold: number;
  /** `MISP.max_correlations_per_event` (5000): correlation rows read per event view. */
  readonly maxPerEvent: number;
}

export function correlationSettings(s: Pick<Settings, 'bool' | 'num' | 'get'>): CorrelationSettings {
  const limit = s.get('MISP.correlation_limit') === undefined ? 20 : s.num('MISP.correlation_limit');
  const threshold = s.num('MISP.ssdeep_correlation_threshold');
  const maxPerEvent = s.num('MISP.max_correlations_per_event');
  return {
    disabled: s.bool('MISP.completely_disable_correlation'),
    limit: limit > 0 ? limit : Number.POSITIVE_INFINITY,
    advanced: s.bool('MISP.enable_advanced_correlations'),
    ssdeepThreshold: threshold > 0 ? threshold : 40,
    maxPerEvent: maxPerEvent > 0 ? maxPerEvent : 5000,
  };
}
