import type { Organisation } from '../model/organisation.js';
import type { OrgSummary } from '../model/event.js';
import {
  LOCAL_SERVER_ID, type SharingGroup, type SharingGroupDetail, type SharingGroupOrgLink, type SharingGroupServerLink,
} from '../model/sharing-group.js';
import { toMispOrganisation } from './identity-json.js';

/**
 * Sharing groups in MISP's wire forms (spec §2.10, §2.12). MISP builds four slightly different shapes from the
 * same rows (CakePHP `contain` lists differ per caller); each function below names the MISP code it mirrors.
 * Column order follows MISP's `sharing_groups` table.
 */

type Json = Record<string, unknown>;

const s = (n: number): string => String(n);

/** Every `sharing_groups` column. */
export function toMispSharingGroupColumns(sg: SharingGroup): Json {
  return {
    id: s(sg.id), name: sg.name, releasability: sg.releasability, description: sg.description, uuid: sg.uuid,
    organisation_uuid: sg.organisationUuid, org_id: s(sg.orgId), sync_user_id: s(sg.syncUserId), active: sg.active,
    created: sg.created, modified: sg.modified, local: sg.local, roaming: sg.roaming,
  };
}

const orgStub = (o: OrgSummary): Json => ({ id: s(o.id), name: o.name, uuid: o.uuid });
const orgLink = (l: SharingGroupOrgLink): Json => ({
  id: s(l.id), sharing_group_id: s(l.sharingGroupId), org_id: s(l.orgId), extend: l.extend,
});
const serverLink = (l: SharingGroupServerLink): Json => ({
  id: s(l.id), sharing_group_id: s(l.sharingGroupId), server_id: s(l.serverId), all_orgs: l.allOrgs,
});

/** `SharingGroupOrg` rows with their `Organisation {id, name, uuid}` when the organisation still exists. */
function orgLinks(sg: SharingGroupDetail, org: (o: OrgSummary) => Json = orgStub): Json[] {
  return sg.orgs.map((l) => (l.org ? { ...orgLink(l), Organisation: org(l.org) } : orgLink(l)));
}

const serverStub = (l: SharingGroupServerLink): Json =>
  (l.server ? { ...serverLink(l), Server: { id: s(l.server.id), url: l.server.url, name: l.server.name } } : serverLink(l));

/**
 * The `SharingGroup` block inside events, attributes and objects with distribution 4 (Event::__cacheSharingGroupData,
 * spec §2.10): every column, the owner `Organisation`, members, and servers. This instance appears as server "0"
 * named by its base URL, which `sharingGroupsForViewer` puts into the link; receiving servers read this block to
 * capture the group (spec §6.6).
 */
export function toMispSharingGroup(sg: SharingGroupDetail): Json {
  const out: Json = toMispSharingGroupColumns(sg);
  if (sg.owner) out.Organisation = orgStub(sg.owner);
  out.SharingGroupOrg = orgLinks(sg);
  out.SharingGroupServer = sg.servers.map(serverStub);
  return out;
}

/**
 * sharingGroups/add and edit answers (SharingGroup::fetchAllAuthorised 'simplified'): the same data with the
 * model at the top level and the owner last; the local instance has no `Server` there.
 */
export function toMispSharingGroupSimplified(sg: SharingGroupDetail): Json {
  const out: Json = {
    SharingGroup: toMispSharingGroupColumns(sg),
    SharingGroupOrg: orgLinks(sg),
    SharingGroupServer: sg.servers.map((l) => (l.serverId === LOCAL_SERVER_ID ? serverLink(l) : serverStub(l))),
  };
  if (sg.owner) out.Organisation = orgStub(sg.owner);
  return out;
}

export interface SharingGroupViewJson {
  readonly sg: SharingGroupDetail;
  /** The owner organisation with every column (an unconstrained CakePHP `belongsTo`). */
  readonly owner: Organisation | undefined;
  /** For groups with a sync user: that user's org, or null when the user is gone ("N/A"). */
  readonly syncOrg?: OrgSummary | null;
  /** `Security.hide_organisations_in_sharing_groups` hides members from users without perm_sharing_group. */
  readonly showMembers: boolean;
  readonly localUrl: string;
}

/** sharing_groups/view (SharingGroupsController::view, REST). */
export function toMispSharingGroupView(v: SharingGroupViewJson): Json {
  const group: Json = toMispSharingGroupColumns(v.sg);
  if (!v.showMembers) group.org_count = s(v.sg.orgs.length);
  if (v.syncOrg !== undefined) {
    group.sync_org_name = v.syncOrg ? v.syncOrg.name : 'N/A';
    if (v.syncOrg) group.sync_org = orgStub(v.syncOrg);
  }
  const out: Json = { SharingGroup: group, Organisation: v.owner ? toMispOrganisation(v.owner) : {} };
  if (!v.showMembers) return out;
  out.SharingGroupOrg = orgLinks(v.sg, (o) => ({ ...orgStub(o), local: o.local }));
  out.SharingGroupServer = v.sg.servers.map((l): Json => {
    if (l.serverId === LOCAL_SERVER_ID) return { ...serverLink(l), Server: { id: '0', name: 'Local instance', url: v.localUrl } };
    return { ...serverLink(l), Server: l.server ? { id: s(l.server.id), name: l.server.name, url: l.server.url } : [] };
  });
  return out;
}

export interface SharingGroupIndexRowJson {
  readonly sg: SharingGroupDetail;
  readonly editable: boolean;
  readonly deletable: boolean;
  readonly showMembers: boolean;
}

/**
 * One element of sharingGroups/index `response` (SharingGroupsController::index $paginate): a subset of the columns
 * plus `org_count`, the owner, and members with the field order of MISP's contain lists. A server without a row
 * (this instance) renders as `Server: []`, as CakePHP does.
 */
export function toMispSharingGroupIndexRow(r: SharingGroupIndexRowJson): Json {
  const { sg } = r;
  const out: Json = {
    SharingGroup: {
      id: s(sg.id), uuid: sg.uuid, name: sg.name, description: sg.description, releasability: sg.releasability,
      local: sg.local, active: sg.active, roaming: sg.roaming, org_count: s(sg.orgs.length),
    },
    Organisation: sg.owner ? orgStub(sg.owner) : {},
  };
  if (r.showMembers) {
    out.SharingGroupOrg = sg.orgs.map((l) => ({
      ...orgLink(l), ...(l.org ? { Organisation: { name: l.org.name, id: s(l.org.id), uuid: l.org.uuid } } : {}),
    }));
    out.SharingGroupServer = sg.servers.map((l) => ({
      all_orgs: l.allOrgs, server_id: s(l.serverId), sharing_group_id: s(l.sharingGroupId),
      Server: l.server && l.serverId !== LOCAL_SERVER_ID ? { name: l.server.name, id: s(l.server.id) } : [],
    }));
  }
  out.editable = r.editable;
  out.deletable = r.deletable;
  return out;
}
