import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Organisation } from '../model/organisation.js';
import { permissionsOf, type PermFlag } from '../model/role.js';
import type { Actor, User } from '../model/user.js';
import { canDeleteAttribute, canModifyEvent, canOverwriteEvent, canPublishEvent, type EventOwnership } from './event-permissions.js';

function anActor(over: { userId?: number; orgId?: number; perms?: PermFlag[]; siteAdmin?: boolean } = {}): Actor {
  const perms = permissionsOf(...(over.perms ?? []), ...(over.siteAdmin ? ['perm_site_admin' as const] : []));
  return {
    user: { id: over.userId ?? 10, orgId: over.orgId ?? 2 } as User,
    org: { id: over.orgId ?? 2 } as Organisation,
    role: { id: 3, name: 'r', created: '', modified: '', perms, defaultRole: false, memoryLimit: '', maxExecutionTime: '', restrictedToSiteAdmin: false, enforceRateLimit: false, rateLimitCount: 0 },
    authKey: null,
    isSiteAdmin: over.siteAdmin ?? false,
  };
}

const anEvent = (over: Partial<EventOwnership> = {}): EventOwnership => ({ orgId: 2, orgcId: 2, userId: 10, locked: false, ...over });

describe('canModifyEvent', () => {
  it('lets perm_modify_org users modify any event their org created, whoever created it', () => {
    const actor = anActor({ perms: ['perm_modify_org'] });
    assert.equal(canModifyEvent(actor, anEvent({ userId: 99 })), true);
    assert.equal(canModifyEvent(actor, anEvent({ orgcId: 3 })), false);
  });

  it('lets perm_modify users modify only events they created', () => {
    const actor = anActor({ perms: ['perm_modify'] });
    assert.equal(canModifyEvent(actor, anEvent()), true);
    assert.equal(canModifyEvent(actor, anEvent({ userId: 99 })), false);
  });

  it('keys on the creator org, not the owner org', () => {
    const actor = anActor({ perms: ['perm_modify_org'], userId: 11 });
    assert.equal(canModifyEvent(actor, anEvent({ orgId: 2, orgcId: 5 })), false);
  });

  it('lets site admins modify everything and read-only roles nothing', () => {
    assert.equal(canModifyEvent(anActor({ siteAdmin: true, orgId: 1 }), anEvent({ orgcId: 7, userId: 1 })), true);
    assert.equal(canModifyEvent(anActor({ perms: ['perm_add'] }), anEvent()), false);
  });
});

describe('canPublishEvent', () => {
  it('needs perm_publish and the creator org', () => {
    assert.equal(canPublishEvent(anActor({ perms: ['perm_publish'] }), anEvent()), true);
    assert.equal(canPublishEvent(anActor({ perms: ['perm_publish'] }), anEvent({ orgcId: 3 })), false);
    assert.equal(canPublishEvent(anActor({ perms: ['perm_modify_org'] }), anEvent()), false);
    assert.equal(canPublishEvent(anActor({ siteAdmin: true, orgId: 1 }), anEvent({ orgcId: 3 })), true);
  });
});

describe('canDeleteAttribute', () => {
  it('allows users of the creator org on unlocked events, whatever their modify flags', () => {
    assert.equal(canDeleteAttribute(anActor({ perms: ['perm_add'] }), anEvent()), true);
    assert.equal(canDeleteAttribute(anActor({ perms: ['perm_modify_org'] }), anEvent({ orgcId: 3 })), false);
  });

  it('on locked (synced) events allows only sync users of the owner org', () => {
    const locked = anEvent({ locked: true, orgId: 2, orgcId: 3 });
    assert.equal(canDeleteAttribute(anActor({ perms: ['perm_sync'] }), locked), true);
    assert.equal(canDeleteAttribute(anActor({ perms: ['perm_modify_org'] }), locked), false);
    assert.equal(canDeleteAttribute(anActor({ perms: ['perm_sync'], orgId: 3 }), locked), false);
  });

  it('allows site admins everywhere', () => {
    assert.equal(canDeleteAttribute(anActor({ siteAdmin: true, orgId: 1 }), anEvent({ locked: true, orgId: 4, orgcId: 5 })), true);
  });
});

describe('canOverwriteEvent', () => {
  it('lets sync users overwrite locked events only', () => {
    const sync = anActor({ perms: ['perm_sync'], orgId: 9 });
    assert.equal(canOverwriteEvent(sync, anEvent({ orgcId: 3, locked: true })), true);
    assert.equal(canOverwriteEvent(sync, anEvent({ orgcId: 3, locked: false })), false);
    assert.equal(canOverwriteEvent(anActor(), anEvent()), true);
  });
});
