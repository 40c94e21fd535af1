import { LOCAL_SERVER_ID, type SharingGroupDetail } from '../model/sharing-group.js';

/**
 * Who may see, use, extend and delete a sharing group (spec §4.2.1; SharingGroup::checkIfAuthorised,
 * checkIfAuthorisedExtend, checkIfOwner), as pure predicates over a loaded group. The list form of membership
 * used for data visibility is `EventReadStore.sharingGroupIdsOfOrg` (SQL); {@link isSharingGroupMember} is the same
 * rule for one group, and test/api/sharing-groups.test.ts checks that the two agree.
 */

/** The part of an `Actor` (src/core/model/user.ts) these rules read. */
export interface SharingGroupActor {
  readonly isSiteAdmin: boolean;
  readonly user: { readonly id: number };
  readonly org: { readonly id: number; readonly uuid: string };
  readonly role: { readonly perms: { readonly perm_sharing_group: boolean; readonly perm_sync: boolean } };
}

type Membership = Pick<SharingGroupDetail, 'orgs' | 'servers'>;

/**
 * `authorizedSgIds` membership (SharingGroupOrg/SharingGroupServer::fetchAllAuthorised): the org is listed, or the
 * local-instance row has `all_orgs`. The owner org is *not* a member by ownership alone.
 */
export function isSharingGroupMember(orgId: number, sg: Membership): boolean {
  return sg.orgs.some((o) => o.orgId === orgId) || sg.servers.some((s) => s.serverId === LOCAL_SERVER_ID && s.allOrgs);
}

/**
 * SharingGroup::checkIfAuthorised: the actor may see the group (sharingGroups/view) and attach data to it
 * (events, attributes, objects with distribution 4): site admin, owner org, or member.
 */
export function canUseSharingGroup(actor: SharingGroupActor, sg: Membership & Pick<SharingGroupDetail, 'orgId'>): boolean {
  return actor.isSiteAdmin || sg.orgId === actor.org.id || isSharingGroupMember(actor.org.id, sg);
}

/** SharingGroup::checkIfOwner: may delete the group. */
export function isSharingGroupOwner(actor: SharingGroupActor, sg: Pick<SharingGroupDetail, 'orgId'>): boolean {
  return actor.isSiteAdmin || sg.orgId === actor.org.id;
}

/**
 * SharingGroup::checkIfAuthorisedExtend: may edit the group and add or remove members. Needs perm_sharing_group
 * and ownership, an `extend` membership, or having synchronised the group in as a sync user.
 */
export function canExtendSharingGroup(actor: SharingGroupActor, sg: SharingGroupDetail): boolean {
  if (actor.isSiteAdmin) return true;
  if (!actor.role.perms.perm_sharing_group) return false;
  if (sg.orgId === actor.org.id) return true;
  if (actor.role.perms.perm_sync && sg.syncUserId === actor.user.id) return true;
  return sg.orgs.some((o) => o.orgId === actor.org.id && o.extend);
}

/**
 * The `editable` / `deletable` flags of sharingGroups/index (SharingGroupsController::index): the owner org is
 * matched by uuid, and an extend membership makes a group editable but not deletable.
 */
export function sharingGroupIndexFlags(actor: SharingGroupActor, sg: SharingGroupDetail): { editable: boolean; deletable: boolean } {
  const permSg = actor.role.perms.perm_sharing_group;
  if (actor.isSiteAdmin || (permSg && sg.owner?.uuid === actor.org.uuid)) return { editable: true, deletable: true };
  const extend = permSg && sg.orgs.some((o) => o.extend && o.orgId === actor.org.id);
  return { editable: extend, deletable: false };
}
