import { getHashes } from 'node:crypto';
import { type DecayRequest, readDecayRequest } from '../decaying/decay-request.js';
import { notAllowed } from '../errors.js';
import { readNames, readOption } from './rest-search-grammar.js';

/**
 * restSearch parameters that shape the output rather than select rows (spec §3.14, §8.1): what to include, tag
 * rules, CSV columns, exporter settings.
 */

/** How results are rendered; none of these select rows. */
export interface OutputOptions {
  /** Events and objects without attributes, objects and reports (`metadata`). */
  readonly metadata: boolean;
  readonly includeEventUuid: boolean;
  readonly includeEventTags: boolean;
  /** Attribute JSON: the whole event context in `Event`; CSV: event columns. */
  readonly includeContext: boolean;
  /** Non-exportable tags too. */
  readonly includeAllTags: boolean;
  readonly excludeLocalTags: boolean;
  /** Drop attributes on an enabled warninglist. */
  readonly enforceWarninglist: boolean;
  /** Do not embed `SharingGroup` blocks. */
  readonly sgReferenceOnly: boolean;
  readonly withAttachments: boolean;
  /** `includeCorrelations` (attribute scope): RelatedAttribute lists (see RestSearchEnv.relatedAttributes). */
  readonly includeCorrelations: boolean;
  /** `includeEventCorrelations` (event scope, on unless 0): the `RelatedEvent` list. */
  readonly includeEventCorrelations: boolean;
  /** `includeGranularCorrelations` (event scope): `RelatedAttribute` on correlated attributes. */
  readonly includeGranularCorrelations: boolean;
  /** `includeFeedCorrelations` (event scope): `Feed` on attributes and events from the feed caches (spec §7.3). */
  readonly includeFeedCorrelations: boolean;
  /** `includeSightings` (attribute scope): each attribute's `Sighting` list. */
  readonly includeSightings: boolean;
  readonly headerless: boolean;
  readonly requestedAttributes?: readonly string[];
  readonly requestedObjectAttributes?: readonly string[];
  readonly hashType?: string;
  /** `includeDecayScore` / `excludeDecayed` and their model options (decaying/decay-search.ts). */
  readonly decay?: DecayRequest;
  /** `attackGalaxy`: the galaxy type of the `attack` matrix (default `mitre-attack-pattern`). */
  readonly attackGalaxy: string;
  /** `ip_address` of the hosts export. */
  readonly hostsAddress?: string;
  /** RPZ zone settings (`policy`, `walled_garden`, `ns`, `ns_alt`, `email`, `serial`, `refresh`, `retry`, `expiry`, `minimum_ttl`, `ttl`). */
  readonly rpz: Readonly<Record<string, string>>;
}

type Params = Readonly<Record<string, unknown>>;

const RPZ_KEYS = ['policy', 'walled_garden', 'ns', 'ns_alt', 'email', 'serial', 'refresh', 'retry', 'expiry', 'minimum_ttl', 'ttl'];

/** `cache`'s `hash_type`: a digest Node knows, else MISP's 405 "Invalid hashing algo". */
function readHashType(name: string): string {
  const algo = name.trim().toLowerCase();
  if (!getHashes().includes(algo)) throw notAllowed('Invalid hashing algo');
  return algo;
}

export function readOutput(p: Params): OutputOptions {
  const rpz: Record<string, string> = {};
  for (const k of RPZ_KEYS) if (typeof p[k] === 'string' || typeof p[k] === 'number') rpz[k] = String(p[k]);
  const requested = readNames(p.requested_attributes, 'requested_attributes');
  const requestedObj = readNames(p.requested_obj_attributes, 'requested_obj_attributes');
  const decay = readDecayRequest(p);
  return {
    metadata: readOption(p.metadata, 'metadata'),
    includeEventUuid: readOption(p.includeEventUuid ?? p.include_event_uuid, 'includeEventUuid'),
    // fetchAttributes turns includeEventTags on with includeDecayScore: event tags feed the base score.
    includeEventTags: readOption(p.includeEventTags, 'includeEventTags') || decay !== undefined,
    includeContext: readOption(p.includeContext, 'includeContext'),
    includeAllTags: readOption(p.includeAllTags, 'includeAllTags'),
    excludeLocalTags: readOption(p.excludeLocalTags, 'excludeLocalTags'),
    enforceWarninglist: readOption(p.enforceWarninglist, 'enforceWarninglist'),
    sgReferenceOnly: readOption(p.sgReferenceOnly, 'sgReferenceOnly'),
    withAttachments: readOption(p.withAttachments, 'withAttachments') || readOption(p.includeAttachments, 'includeAttachments'),
    includeCorrelations: readOption(p.includeCorrelations, 'includeCorrelations'),
    includeEventCorrelations: p.includeEventCorrelations === undefined || readOption(p.includeEventCorrelations, 'includeEventCorrelations'),
    includeGranularCorrelations: readOption(p.includeGranularCorrelations, 'includeGranularCorrelations'),
    includeFeedCorrelations: readOption(p.includeFeedCorrelations, 'includeFeedCorrelations'),
    includeSightings: readOption(p.includeSightings, 'includeSightings'),
    headerless: readOption(p.headerless, 'headerless'),
    attackGalaxy: typeof p.attackGalaxy === 'string' && p.attackGalaxy.trim() !== '' ? p.attackGalaxy.trim() : 'mitre-attack-pattern',
    ...(decay ? { decay } : {}),
    ...(requested ? { requestedAttributes: requested } : {}),
    ...(requestedObj ? { requestedObjectAttributes: requestedObj } : {}),
    ...(typeof p.hash_type === 'string' && p.hash_type !== '' ? { hashType: readHashType(p.hash_type) } : {}),
    ...(typeof p.ip_address === 'string' && p.ip_address !== '' ? { hostsAddress: p.ip_address } : {}),
    rpz,
  };
}

