import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SharingGroupDetail } from '../model/sharing-group.js';
import {
  canExtendSharingGroup, canUseSharingGroup, isSharingGroupMember, isSharingGroupOwner, type SharingGroupActor,
  sharingGroupIndexFlags,
} from './sharing-group-access.js';

const OWNER = 1;

function aGroup(o: { orgs?: [number, boolean][]; localAllOrgs?: boolean; syncUserId?: number } = {}): SharingGroupDetail {
  return {
    id: 7, uuid: 'u', name: 'g', releasability: '', description: '', organisationUuid: 'org-1', orgId: OWNER,
    syncUserId: o.syncUserId ?? 0, active: true, created: '', modified: '', local: true, roaming: false,
    owner: { id: OWNER, name: 'Owner', uuid: 'org-1', local: true },
    orgs: (o.orgs ?? []).map(([orgId, extend], k) => ({ id: k + 1, sharingGroupId: 7, orgId, extend, org: null })),
    servers: [{ id: 1, sharingGroupId: 7, serverId: 0, allOrgs: o.localAllOrgs ?? false, server: null }],
  };
}

function anActor(orgId: number, o: { admin?: boolean; permSg?: boolean; sync?: boolean; userId?: number } = {}): SharingGroupActor {
  return {
    isSiteAdmin: o.admin ?? false, user: { id: o.userId ?? 100 }, org: { id: orgId, uuid: `org-${orgId}` },
    role: { perms: { perm_sharing_group: o.permSg ?? false, perm_sync: o.sync ?? false } },
  };
}

describe('sharing group access', () => {
  it('counts listed orgs and, with all_orgs on the local row, every org as a member; ownership alone is not membership', () => {
    assert.equal(isSharingGroupMember(2, aGroup({ orgs: [[2, false]] })), true);
    assert.equal(isSharingGroupMember(3, aGroup({ orgs: [[2, false]] })), false);
    assert.equal(isSharingGroupMember(3, aGroup({ localAllOrgs: true })), true);
    assert.equal(isSharingGroupMember(OWNER, aGroup()), false);
  });

  it('lets site admins, the owner org and members use a group (SharingGroup::checkIfAuthorised)', () => {
    const sg = aGroup({ orgs: [[2, false]] });
    assert.equal(canUseSharingGroup(anActor(OWNER), sg), true);
    assert.equal(canUseSharingGroup(anActor(2), sg), true);
    assert.equal(canUseSharingGroup(anActor(3), sg), false);
    assert.equal(canUseSharingGroup(anActor(3, { admin: true }), sg), true);
  });

  it('lets perm_sharing_group owners, extend members and the syncing user extend a group', () => {
    const sg = aGroup({ orgs: [[2, true], [3, false]], syncUserId: 55 });
    assert.equal(canExtendSharingGroup(anActor(OWNER, { permSg: true }), sg), true);
    assert.equal(canExtendSharingGroup(anActor(OWNER), sg), false, 'ownership needs perm_sharing_group');
    assert.equal(canExtendSharingGroup(anActor(2, { permSg: true }), sg), true);
    assert.equal(canExtendSharingGroup(anActor(3, { permSg: true }), sg), false);
    assert.equal(canExtendSharingGroup(anActor(4, { permSg: true, sync: true, userId: 55 }), sg), true);
    assert.equal(canExtendSharingGroup(anActor(4, { permSg: true, userId: 55 }), sg), false);
  });

  it('lets only the owner org and site admins delete, and flags extend members as editors only', () => {
    const sg = aGroup({ orgs: [[2, true]] });
    assert.equal(isSharingGroupOwner(anActor(OWNER), sg), true);
    assert.equal(isSharingGroupOwner(anActor(2, { permSg: true }), sg), false);
    assert.deepEqual(sharingGroupIndexFlags(anActor(OWNER, { permSg: true }), sg), { editable: true, deletable: true });
    assert.deepEqual(sharingGroupIndexFlags(anActor(2, { permSg: true }), sg), { editable: true, deletable: false });
    assert.deepEqual(sharingGroupIndexFlags(anActor(2), sg), { editable: false, deletable: false });
  });
});
