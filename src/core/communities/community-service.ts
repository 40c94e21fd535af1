import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { notFound } from '../errors.js';
import { isUuid } from '../util/uuid.js';

/**
 * communities/index and communities/view (Community model, spec §3.13): the known MISP sharing communities from
 * `<dataPacks>/metadata/communities.json`, numbered from 1 in file order, each with an `Org` made of its
 * organisation's uuid and name. Nothing is stored: the file is the source, read on every call (it is small).
 */

type Json = Record<string, unknown>;

function readCommunities(dataPacks: string): Json[] {
  try {
    const list = JSON.parse(readFileSync(join(dataPacks, 'metadata', 'communities.json'), 'utf8')) as unknown;
    if (!Array.isArray(list)) throw new Error('not a list');
    return list.map((c, k) => {
      const row = (c && typeof c === 'object' ? c : {}) as Json;
      return { ...row, id: k + 1, Org: { uuid: row.org_uuid, name: row.org_name } };
    });
  } catch {
    throw notFound('Default community list not in the expected format.');
  }
}

const SEARCHED = ['name', 'uuid', 'description', 'url', 'sector', 'nationality', 'type', 'org_uuid', 'org_name'];

/**
 * Community::getCommunityList: `context` "vetted" (the default) lists the communities vetted by the MISP project,
 * anything else the others; `value` keeps those with a case-insensitive substring match in a descriptive field.
 */
export function listCommunities(dataPacks: string, q: { context?: string; value?: string }): Json[] {
  const vetted = (q.context || 'vetted') === 'vetted';
  const needle = q.value ? q.value.toLowerCase() : '';
  return readCommunities(dataPacks).filter((c) => c.misp_project_vetted === vetted)
    .filter((c) => !needle || SEARCHED.some((f) => typeof c[f] === 'string' && (c[f] as string).toLowerCase().includes(needle)));
}

/** Community::getCommunity: by number or uuid. */
export function viewCommunity(dataPacks: string, raw: string | undefined): Json {
  const all = readCommunities(dataPacks);
  const found = raw !== undefined && isUuid(raw)
    ? all.find((c) => c.uuid === raw)
    : all.find((c) => String(c.id) === raw);
  if (!found) throw notFound('Community not found.');
  return found;
}
