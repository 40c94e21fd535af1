import { asList, isRecord, type JsonRecord, readText } from './input-readers.js';
import { readBool, readInt } from './scalars.js';

/**
 * Reads a sharing group as sharingGroups/add|edit and sync bodies send it (spec §2.10, §3.9, §6.6), leniently:
 * with or without the `{"SharingGroup": …}` wrapper, member lists as arrays or PHP-style objects, each member
 * either flat (`{"uuid", "name", "extend"}`) or nested (`{"extend", "Organisation": {…}}`, `{"all_orgs",
 * "Server": {…}}`), flags as true/1/"1".
 */

/** How a body names an organisation (Organisation::captureOrg looks up uuid first, then name). */
export interface OrgReference {
  readonly uuid?: string;
  readonly name?: string;
  /** Cairn also accepts a bare local id (`{"org_id": 5}`), which MISP cannot resolve. */
  readonly id?: number;
}

/** How a body names a server (Server::captureServer matches the url; the local instance by its base URL). */
export interface ServerReference {
  readonly url?: string;
  readonly name?: string;
  /** `0` names this instance explicitly. */
  readonly id?: number;
}

export interface SharingGroupOrgInput {
  readonly org: OrgReference;
  readonly extend: boolean;
}

export interface SharingGroupServerInput {
  readonly server: ServerReference;
  readonly allOrgs: boolean;
}

export interface SharingGroupInput {
  readonly uuid?: string;
  readonly name?: string;
  readonly releasability?: string;
  readonly description?: string;
  readonly organisationUuid?: string;
  readonly active?: boolean;
  readonly roaming?: boolean;
  /** `YYYY-MM-DD HH:MM:SS`; other shapes are ignored. */
  readonly created?: string;
  readonly modified?: string;
  /** The owner org block (`Organisation`), used when a sync user captures a group. */
  readonly owner?: OrgReference;
  /** Undefined when the body has no `SharingGroupOrg`; sent members otherwise. */
  readonly orgs?: readonly SharingGroupOrgInput[];
  readonly servers?: readonly SharingGroupServerInput[];
}

const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

const nested = (r: JsonRecord, key: string): JsonRecord | undefined => {
  const v = r[key];
  if (Array.isArray(v)) return isRecord(v[0]) ? v[0] : undefined;
  return isRecord(v) ? v : undefined;
};

const text = (r: JsonRecord, key: string): string | undefined => {
  const v = readText(r[key]);
  return v === undefined || v === '' ? undefined : v;
};

function orgReference(r: JsonRecord): OrgReference {
  const id = readInt(r.id);
  return {
    ...(text(r, 'uuid') ? { uuid: text(r, 'uuid')!.toLowerCase() } : {}),
    ...(text(r, 'name') ? { name: text(r, 'name') } : {}),
    ...(id !== undefined && id > 0 ? { id } : {}),
  };
}

function orgMember(entry: JsonRecord): SharingGroupOrgInput {
  const inner = nested(entry, 'Organisation');
  const org = orgReference(inner ?? entry);
  const orgId = readInt(entry.org_id);
  const withId = org.id === undefined && orgId !== undefined && orgId > 0 ? { ...org, id: orgId } : org;
  return { org: withId, extend: readBool(entry.extend) ?? false };
}

function serverMember(entry: JsonRecord): SharingGroupServerInput {
  const inner = nested(entry, 'Server') ?? entry;
  const id = readInt(inner.id) ?? readInt(entry.server_id);
  const server: ServerReference = {
    ...(text(inner, 'url') ? { url: text(inner, 'url') } : {}),
    ...(text(inner, 'name') ? { name: text(inner, 'name') } : {}),
    ...(id !== undefined && id >= 0 ? { id } : {}),
  };
  return { server, allOrgs: readBool(entry.all_orgs ?? inner.all_orgs) ?? false };
}

/** The group's own record: the `SharingGroup` wrapper when present, with members found at either level. */
function groupRecord(body: JsonRecord): JsonRecord {
  const inner = nested(body, 'SharingGroup');
  if (!inner) return body;
  const merged: JsonRecord = { ...inner };
  for (const key of ['SharingGroupOrg', 'SharingGroupServer', 'Organisation']) {
    if (merged[key] === undefined && body[key] !== undefined) merged[key] = body[key];
  }
  return merged;
}

export function readSharingGroupInput(body: unknown): SharingGroupInput {
  if (!isRecord(body)) return {};
  const r = groupRecord(body);
  const date = (key: string) => {
    const v = text(r, key);
    return v && DATETIME.test(v) ? { [key]: v } : {};
  };
  const flag = (key: string, as: string) => {
    const v = r[key] === undefined || r[key] === null ? undefined : readBool(r[key]);
    return v === undefined ? {} : { [as]: v };
  };
  const owner = nested(r, 'Organisation');
  const str = (key: string, as = key) => {
    const v = readText(r[key]);
    return v === undefined ? {} : { [as]: v };
  };
  return {
    ...(text(r, 'uuid') ? { uuid: text(r, 'uuid')!.toLowerCase() } : {}),
    ...str('name'), ...str('releasability'), ...str('description'),
    ...(text(r, 'organisation_uuid') ? { organisationUuid: text(r, 'organisation_uuid')!.toLowerCase() } : {}),
    ...flag('active', 'active'), ...flag('roaming', 'roaming'), ...date('created'), ...date('modified'),
    ...(owner ? { owner: orgReference(owner) } : {}),
    ...(r.SharingGroupOrg !== undefined ? { orgs: asList(r.SharingGroupOrg).filter(isRecord).map(orgMember) } : {}),
    ...(r.SharingGroupServer !== undefined ? { servers: asList(r.SharingGroupServer).filter(isRecord).map(serverMember) } : {}),
  };
}
