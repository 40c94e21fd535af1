import type { OrgSummary } from './event.js';

/**
 * Sharing groups in domain form (spec §1.3, §2.10): who, beyond the owner org, may see data with distribution 4.
 * Membership comes from two link tables: organisations (`sharing_group_orgs`) and servers (`sharing_group_servers`,
 * where server 0 is this instance and `all_orgs` on it makes every organisation here a member).
 */

/** `sharing_group_servers.server_id` of this instance: it has no row in `servers`. */
export const LOCAL_SERVER_ID = 0;

export interface SharingGroup {
  readonly id: number;
  readonly uuid: string;
  readonly name: string;
  readonly releasability: string;
  readonly description: string;
  /** The owner org's uuid as the creating instance knew it. */
  readonly organisationUuid: string;
  /** Owner org on this instance: it may edit and delete the group (SharingGroup::checkIfOwner). */
  readonly orgId: number;
  /** The user that created or synchronised the group in; sync users may update groups they brought in. */
  readonly syncUserId: number;
  readonly active: boolean;
  /** `YYYY-MM-DD HH:MM:SS`, MISP's DATETIME. */
  readonly created: string;
  readonly modified: string;
  /** Created here rather than received through sync. */
  readonly local: boolean;
  /** No server list: pushed to any server whose remote org is a member (spec §4.2.1). */
  readonly roaming: boolean;
}

/** A remote MISP instance as sharing groups show it (`Server {id, url, name}`). */
export interface ServerSummary {
  readonly id: number;
  readonly name: string;
  readonly url: string;
}

export interface SharingGroupOrgLink {
  readonly id: number;
  readonly sharingGroupId: number;
  readonly orgId: number;
  /** The member org may edit the group and add members (SharingGroup::checkIfAuthorisedExtend). */
  readonly extend: boolean;
  /** Null when the organisation row is gone. */
  readonly org: OrgSummary | null;
}

export interface SharingGroupServerLink {
  readonly id: number;
  readonly sharingGroupId: number;
  /** {@link LOCAL_SERVER_ID} for this instance. */
  readonly serverId: number;
  /** Every organisation of that server is a member. */
  readonly allOrgs: boolean;
  /**
   * The server row; null when it is gone, and for this instance as stored (it has no row). Data meant for output
   * names this instance by its base URL here (`sharingGroupsForViewer`).
   */
  readonly server: ServerSummary | null;
}

/** A group with its owner org and both member lists, as every SG endpoint and the event JSON need it. */
export interface SharingGroupDetail extends SharingGroup {
  readonly owner: OrgSummary | null;
  /** Ordered by link id. */
  readonly orgs: readonly SharingGroupOrgLink[];
  readonly servers: readonly SharingGroupServerLink[];
}
