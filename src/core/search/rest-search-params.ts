import { badRequest } from '../errors.js';
import type { SearchScope } from '../export/export-formats.js';

/**
 * Collecting restSearch parameters the way `AppController::restSearch` and `_harvestParameters` do (spec §3.14):
 * from a JSON body (POST), positional URL segments (ordered as `RestSearchComponent::$paramArray`) and named
 * `name:value` segments, later sources overriding earlier ones. Only known parameters are kept; values are not
 * interpreted here (rest-search-request.ts does that).
 */

/** `RestSearchComponent::$paramArray`: the order positional URL segments map onto (kept as MISP lists them). */
export const POSITIONAL_PARAMS: Record<SearchScope, readonly string[]> = {
  attributes: [
    'returnFormat', 'value', 'value1', 'value2', 'type', 'category', 'org', 'tags', 'from', 'to', 'last', 'eventid',
    'withAttachments', 'uuid', 'publish_timestamp', 'published', 'timestamp', 'enforceWarninglist', 'to_ids', 'deleted',
    'includeEventUuid', 'event_timestamp', 'threat_level_id', 'includeEventTags', 'includeProposals', 'limit', 'page',
    'requested_attributes', 'includeContext', 'headerless', 'includeWarninglistHits', 'attackGalaxy', 'object_relation',
    'includeSightings', 'includeCorrelations', 'includeDecayScore', 'decayingModel', 'excludeDecayed', 'modelOverrides',
    'includeFullModel', 'score', 'attribute_timestamp', 'first_seen', 'last_seen', 'eventinfo', 'sharinggroup',
    'allow_proposal_blocking', 'flatten', 'list', 'event_ids', 'includeAllTags', 'includeAttributeUuid', 'includeGalaxy',
    'order', 'policy', 'walled_garden', 'ns', 'email', 'serial', 'refresh', 'retry', 'expiry', 'minimum_ttl', 'ttl',
  ],
  events: [
    'returnFormat', 'value', 'type', 'category', 'org', 'tags', 'searchall', 'from', 'to', 'last', 'eventid',
    'withAttachments', 'metadata', 'uuid', 'publish_timestamp', 'timestamp', 'event_timestamp', 'event_tags', 'published',
    'enforceWarninglist', 'sgReferenceOnly', 'limit', 'page', 'requested_attributes', 'includeContext', 'headerless',
    'includeWarninglistHits', 'attackGalaxy', 'to_ids', 'deleted', 'excludeLocalTags', 'date', 'includeSightingdb', 'tag',
    'object_relation', 'threat_level_id', 'eventinfo', 'sharinggroup', 'idList', 'includeAllTags', 'includeAttachments',
    'event_uuid', 'distribution', 'sharing_group_id', 'disableSiteAdmin', 'flatten', 'blockedAttributeTags',
    'eventsExtendingUuid', 'extended', 'extensionList', 'excludeGalaxy', 'includeAnalystData', 'includeRelatedTags',
    'includeDecayScore', 'includeScoresOnEvent', 'includeFeedCorrelations', 'includeServerCorrelations', 'noEventReports',
    'noShadowAttributes', 'order', 'protected', 'includeGranularCorrelations', 'policy', 'walled_garden', 'ns', 'email',
    'serial', 'refresh', 'retry', 'expiry', 'minimum_ttl', 'ttl',
  ],
  objects: [
    'returnFormat', 'value', 'type', 'category', 'org', 'tags', 'first_seen', 'last_seen', 'from', 'to', 'last', 'eventid',
    'withAttachments', 'uuid', 'publish_timestamp', 'published', 'timestamp', 'enforceWarninglist', 'to_ids', 'deleted',
    'includeEventUuid', 'event_timestamp', 'threat_level_id', 'includeEventTags', 'includeProposals', 'limit', 'page',
    'requested_attributes', 'includeContext', 'headerless', 'includeWarninglistHits', 'attackGalaxy', 'object_relation',
    'metadata', 'includeAllTags', 'object_name', 'object_template_uuid', 'object_template_version',
  ],
};

/** Parameters MISP also honours outside `$paramArray` (legacy names, exporter options). */
const EXTRA_PARAMS = ['quickFilter', 'quickfilter', 'searchall', 'ignore', 'comment', 'hash_type', 'ip_address', 'ns_alt',
  'requested_obj_attributes', 'event_tags', 'tag', 'attribute_timestamp', 'object_name', 'includeEventUuid',
  'includeEventTags', 'include_event_uuid', 'limit', 'page', 'includeEventCorrelations', 'includeGranularCorrelations',
  'includeSightings', 'includeCorrelations'];

const ACCEPTED: Record<SearchScope, ReadonlySet<string>> = {
  attributes: new Set([...POSITIONAL_PARAMS.attributes, ...EXTRA_PARAMS]),
  events: new Set([...POSITIONAL_PARAMS.events, ...EXTRA_PARAMS]),
  objects: new Set([...POSITIONAL_PARAMS.objects, ...EXTRA_PARAMS]),
};

export interface HarvestInput {
  readonly scope: SearchScope;
  readonly method: string;
  /** The JSON body with `{"request": …}` already stripped; undefined when none. */
  readonly body: unknown;
  readonly passed: readonly string[];
  readonly named: Readonly<Record<string, string | string[]>>;
}

export const POST_WITHOUT_BODY = 'Either specify the search terms in the url, or POST a json with the filter parameters.';
export const GET_WITHOUT_PARAMS = 'Restsearch queries using GET and no parameters are not allowed. If you have passed '
  + 'parameters via a JSON body, make sure you use POST requests.';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A positional segment MISP treats as "not given" (`null`, `0`, `false`). */
const skipped = (v: string): boolean => ['null', '0', 'false', ''].includes(v.toLowerCase());

/** `_harvestParameters`' last pass: strings are trimmed and `a||b` becomes a list. */
function normalise(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  return t.indexOf('||') > 0 ? t.split('||') : t;
}

/**
 * The raw parameters of one restSearch request. Throws MISP's 400s: a POST without a JSON object body, and a GET
 * without any parameter.
 */
export function harvestParameters(input: HarvestInput): Record<string, unknown> {
  const accepted = ACCEPTED[input.scope];
  const out: Record<string, unknown> = {};
  if (input.method === 'POST' || input.method === 'PUT') {
    if (!isObject(input.body) || Object.keys(input.body).length === 0) throw badRequest(POST_WITHOUT_BODY);
    for (const [k, v] of Object.entries(input.body)) if (accepted.has(k) && v !== null && v !== undefined) out[k] = v;
  }
  const order = POSITIONAL_PARAMS[input.scope];
  input.passed.forEach((segment, i) => {
    const name = order[i];
    if (name !== undefined && !skipped(segment)) out[name] = segment.replace(/;/g, ':');
  });
  for (const [k, v] of Object.entries(input.named)) {
    if (accepted.has(k)) out[k] = Array.isArray(v) ? v.map((x) => x.replace(/;/g, ':')) : v.replace(/;/g, ':');
  }
  for (const k of Object.keys(out)) out[k] = normalise(out[k]);
  if (Object.keys(out).length === 0 && input.method === 'GET') throw badRequest(GET_WITHOUT_PARAMS);
  return out;
}
