import type { OrgSummary } from '../model/event.js';
import type { ServerSummary, SharingGroup, SharingGroupDetail } from '../model/sharing-group.js';
import type { Ref } from '../util/uuid.js';

export interface NewSharingGroup {
  readonly uuid: string;
  readonly name: string;
  readonly releasability: string;
  readonly description: string;
  readonly organisationUuid: string;
  readonly orgId: number;
  readonly syncUserId: number;
  readonly active: boolean;
  readonly created: string;
  readonly modified: string;
  readonly local: boolean;
  readonly roaming: boolean;
}

/** The columns an edit or a sync capture may change (SharingGroup::captureSGExisting). */
export type SharingGroupPatch = Partial<Pick<NewSharingGroup,
  'name' | 'releasability' | 'description' | 'created' | 'modified' | 'roaming' | 'active'>>;

export interface SharingGroupFilter {
  /** Only these groups; absent = every group (site admins). */
  readonly ids?: readonly number[];
  readonly active?: boolean;
}

/**
 * Sharing groups with their member organisations and servers (spec §1.3, §2.10). Who may see what is decided in
 * src/core/sharing-groups; this port only reads and writes rows. Lists load children in a fixed number of queries.
 */
export interface SharingGroupStore {
  find(ref: Ref): Promise<SharingGroup | undefined>;
  /** By name, case-insensitively (MISP's `name` column has a case-insensitive collation and is unique). */
  findByName(name: string): Promise<SharingGroup | undefined>;
  /** Groups with owner org, member orgs and servers, ordered by name as MISP's lists are. */
  loadMany(filter: SharingGroupFilter): Promise<SharingGroupDetail[]>;
  create(sg: NewSharingGroup): Promise<SharingGroup>;
  update(id: number, patch: SharingGroupPatch): Promise<void>;
  /** Deletes the group and its member rows. */
  delete(id: number): Promise<void>;
  /** Events, attributes or objects still use the group (SharingGroup::beforeDelete). */
  isReferenced(id: number): Promise<boolean>;
  addOrg(sharingGroupId: number, orgId: number, extend: boolean): Promise<void>;
  setOrgExtend(linkId: number, extend: boolean): Promise<void>;
  removeOrg(linkId: number): Promise<void>;
  addServer(sharingGroupId: number, serverId: number, allOrgs: boolean): Promise<void>;
  setServerAllOrgs(linkId: number, allOrgs: boolean): Promise<void>;
  removeServer(linkId: number): Promise<void>;
  /**
   * Organisation::fetchOrg: by id, uuid, or name compared case-insensitively.
   */
  findOrganisation(ref: { id: number } | { uuid: string } | { name: string }): Promise<OrgSummary | undefined>;
  /** Server::fetchServer / captureServer: by id, by exact url, or by name or url compared case-insensitively. */
  findServer(ref: { id: number } | { url: string } | { nameOrUrl: string }): Promise<ServerSummary | undefined>;
}
