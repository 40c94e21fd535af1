/**
 * restSearch `returnFormat` values Cairn serves (spec §8.1; `Event::$validFormats`, `MispAttribute::$validFormats`,
 * `MispObject::$validFormats`). `restrictive` formats are the detection exports: MISP adds `to_ids = 1` and
 * `published = 1` unless the request sets them (spec §3.14, `*Export::$non_restrictive_export`).
 */

export type SearchScope = 'events' | 'attributes' | 'objects';

export interface ExportFormat {
  readonly name: string;
  readonly scopes: readonly SearchScope[];
  readonly restrictive: boolean;
  /** `X-Response-Format` (MISP's `validFormats[format][0]`). */
  readonly responseType: string;
  readonly contentType: string;
  /** File extension of MISP's download name (`misp.event.<id|list>.<ext>`). */
  readonly extension: string;
}

const JSON_TYPE = 'application/json; charset=UTF-8';
const TEXT_TYPE = 'text/plain; charset=UTF-8';
const BOTH: readonly SearchScope[] = ['events', 'attributes'];

function format(name: string, restrictive: boolean, responseType: string, contentType: string, extension: string,
  scopes: readonly SearchScope[] = BOTH): ExportFormat {
  return { name, scopes, restrictive, responseType, contentType, extension };
}

const FORMATS: readonly ExportFormat[] = [
  format('json', false, 'json', JSON_TYPE, 'json', ['events', 'attributes', 'objects']),
  format('xml', false, 'xml', 'application/xml; charset=UTF-8', 'xml'),
  format('csv', false, 'csv', 'text/csv; charset=UTF-8', 'csv'),
  format('text', true, 'txt', TEXT_TYPE, 'txt'),
  format('hashes', true, 'txt', TEXT_TYPE, 'txt'),
  format('hosts', true, 'txt', TEXT_TYPE, 'txt'),
  format('cache', false, 'txt', TEXT_TYPE, 'cache'),
  format('count', false, 'txt', TEXT_TYPE, 'txt'),
  format('suricata', true, 'txt', TEXT_TYPE, 'rules'),
  format('snort', true, 'txt', TEXT_TYPE, 'rules'),
  format('rpz', true, 'txt', TEXT_TYPE, 'rpz'),
  // MISP serves Zeek intel files from attributes/bro; Cairn also offers them as restSearch formats.
  format('bro', true, 'txt', TEXT_TYPE, 'intel'),
  format('zeek', true, 'txt', TEXT_TYPE, 'intel'),
  // AttackExport renders MISP's attack_view HTML page (Event::$validFormats: 'html').
  format('attack', false, 'html', 'text/html; charset=UTF-8', 'html', ['events']),
];

const BY_NAME = new Map(FORMATS.map((f) => [f.name, f]));

/** The format for a scope, or undefined when MISP would answer "Invalid output format." (404). */
export function exportFormat(name: string, scope: SearchScope): ExportFormat | undefined {
  const f = BY_NAME.get(name === 'download' ? 'json' : name);
  return f && f.scopes.includes(scope) ? f : undefined;
}
