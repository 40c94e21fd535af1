import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Distribution } from '../model/event.js';
import {
  type AclSubject, ACTIVE_AND_DELETED, ACTIVE_ONLY, canSeeAttribute, canSeeChild, canSeeDeletedState, canSeeEvent,
  type EventAccessFacts, eventViewer,
} from './event-visibility.js';

const anActor = (o: { orgId?: number; siteAdmin?: boolean; sync?: boolean } = {}): AclSubject => ({
  isSiteAdmin: o.siteAdmin ?? false, org: { id: o.orgId ?? 2 }, role: { perms: { perm_sync: o.sync ?? false } },
});
const anEvent = (o: Partial<EventAccessFacts> = {}): EventAccessFacts => ({
  orgId: 1, distribution: Distribution.All, sharingGroupId: 0, published: true, ...o,
});
const settings = (unpublishedPrivate = false) => ({ bool: (n: string) => n === 'MISP.unpublishedprivate' && unpublishedPrivate });
const NO_SG: number[] = [];

describe('canSeeEvent', () => {
  it('hides org-only events from other organisations but not from the owner org', () => {
    const ev = anEvent({ distribution: Distribution.OrgOnly });
    assert.equal(canSeeEvent(anActor({ orgId: 2 }), ev, settings(), NO_SG), false);
    assert.equal(canSeeEvent(anActor({ orgId: 1 }), ev, settings(), NO_SG), true);
  });

  it('lets site admins see everything', () => {
    const ev = anEvent({ distribution: Distribution.SharingGroup, sharingGroupId: 9, published: false });
    assert.equal(canSeeEvent(anActor({ siteAdmin: true }), ev, settings(true), NO_SG), true);
  });

  it('shows community, connected and all-communities events to every organisation', () => {
    for (const d of [Distribution.Community, Distribution.Connected, Distribution.All]) {
      assert.equal(canSeeEvent(anActor(), anEvent({ distribution: d }), settings(), NO_SG), true);
    }
  });

  it('shows a sharing-group event only to members of that group', () => {
    const ev = anEvent({ distribution: Distribution.SharingGroup, sharingGroupId: 7 });
    assert.equal(canSeeEvent(anActor(), ev, settings(), [7]), true);
    assert.equal(canSeeEvent(anActor(), ev, settings(), new Set([7])), true);
    assert.equal(canSeeEvent(anActor(), ev, settings(), [8]), false);
  });

  it('hides unpublished events of other orgs only when MISP.unpublishedprivate is on', () => {
    const ev = anEvent({ published: false });
    assert.equal(canSeeEvent(anActor(), ev, settings(false), NO_SG), true);
    assert.equal(canSeeEvent(anActor(), ev, settings(true), NO_SG), false);
    assert.equal(canSeeEvent(anActor({ orgId: 1 }), ev, settings(true), NO_SG), true);
  });

  it('keys on the owner org, not on the creator org', () => {
    // Distribution 0 events received by sync belong to the sync link's org (spec §4.2).
    const ev = anEvent({ orgId: 5, distribution: Distribution.OrgOnly });
    assert.equal(canSeeEvent(anActor({ orgId: 1 }), ev, settings(), NO_SG), false);
  });
});

describe('canSeeChild', () => {
  const ev = anEvent({ orgId: 1 });

  it('hides an org-only attribute of a community event from other orgs', () => {
    assert.equal(canSeeChild(anActor(), ev, { distribution: 0, sharingGroupId: 0 }, NO_SG), false);
    assert.equal(canSeeChild(anActor({ orgId: 1 }), ev, { distribution: 0, sharingGroupId: 0 }, NO_SG), true);
  });

  it('treats inherit (5) as visible once the event is', () => {
    assert.equal(canSeeChild(anActor(), ev, { distribution: 5, sharingGroupId: 0 }, NO_SG), true);
  });

  it('checks sharing-group membership of the child itself', () => {
    assert.equal(canSeeChild(anActor(), ev, { distribution: 4, sharingGroupId: 3 }, [3]), true);
    assert.equal(canSeeChild(anActor(), ev, { distribution: 4, sharingGroupId: 3 }, [4]), false);
  });
});

describe('canSeeAttribute', () => {
  it('requires the event, the attribute and the containing object to be visible', () => {
    const ev = anEvent();
    const visible = { distribution: 5, sharingGroupId: 0 };
    const hidden = { distribution: 0, sharingGroupId: 0 };
    assert.equal(canSeeAttribute(anActor(), ev, visible, visible, settings(), NO_SG), true);
    assert.equal(canSeeAttribute(anActor(), ev, visible, hidden, settings(), NO_SG), false);
    assert.equal(canSeeAttribute(anActor(), anEvent({ distribution: 0 }), visible, null, settings(), NO_SG), false);
  });
});

describe('canSeeDeletedState', () => {
  const ev = anEvent({ orgId: 1 });

  it('returns active rows only by default', () => {
    assert.equal(canSeeDeletedState(anActor({ orgId: 1 }), ev, false, ACTIVE_ONLY), true);
    assert.equal(canSeeDeletedState(anActor({ orgId: 1 }), ev, true, ACTIVE_ONLY), false);
  });

  it('gives soft-deleted rows to the owner org and to sync users, never to other orgs', () => {
    assert.equal(canSeeDeletedState(anActor({ orgId: 1 }), ev, true, ACTIVE_AND_DELETED), true);
    assert.equal(canSeeDeletedState(anActor({ orgId: 2, sync: true }), ev, true, ACTIVE_AND_DELETED), true);
    assert.equal(canSeeDeletedState(anActor({ orgId: 2 }), ev, true, ACTIVE_AND_DELETED), false);
    assert.equal(canSeeDeletedState(anActor({ orgId: 2 }), ev, false, ACTIVE_AND_DELETED), true);
  });

  it('returns only soft-deleted rows for [1]', () => {
    assert.equal(canSeeDeletedState(anActor({ orgId: 1 }), ev, false, [1]), false);
    assert.equal(canSeeDeletedState(anActor({ orgId: 1 }), ev, true, [1]), true);
  });
});

describe('eventViewer', () => {
  it('captures org, sharing groups and the settings the SQL form needs', () => {
    const v = eventViewer(anActor({ orgId: 4, sync: true }), settings(true), new Set([9, 2]));
    assert.deepEqual(v, { orgId: 4, isSiteAdmin: false, sharingGroupIds: [2, 9], unpublishedPrivate: true, seesOthersDeleted: true, delegatedEventIds: [] });
  });

  it('keeps delegated events only while MISP.delegation is on, and never for site admins (who see everything)', () => {
    const on = { bool: (n: string) => n === 'MISP.delegation' };
    assert.deepEqual(eventViewer(anActor(), on, NO_SG, [7, 3]).delegatedEventIds, [3, 7]);
    assert.deepEqual(eventViewer(anActor(), settings(), NO_SG, [7, 3]).delegatedEventIds, []);
    assert.deepEqual(eventViewer(anActor({ siteAdmin: true }), on, NO_SG, [7]).delegatedEventIds, []);
  });
});

describe('canSeeEvent with delegation', () => {
  it('shows an org-only event to the org it is delegated to, only under MISP.delegation', () => {
    const ev = anEvent({ id: 7, distribution: Distribution.OrgOnly });
    const on = { bool: (n: string) => n === 'MISP.delegation' };
    assert.equal(canSeeEvent(anActor(), ev, on, NO_SG, [7]), true);
    assert.equal(canSeeEvent(anActor(), ev, settings(), NO_SG, [7]), false);
    assert.equal(canSeeEvent(anActor(), ev, on, NO_SG, [8]), false);
  });
});
