import type { EventViewer } from '../acl/event-visibility.js';
import type { RequestContext } from '../context.js';
import { Distribution } from '../model/event.js';
import { LOCAL_SERVER_ID, type SharingGroupDetail } from '../model/sharing-group.js';
import type { EventChildren } from '../ports/event-read-store.js';
import type { Stores } from '../ports/stores.js';
import { localInstanceUrl } from './sharing-group-capture.js';

/**
 * The sharing groups an event view embeds (Event::fetchEvent with __cacheSharingGroupData and
 * __attachSharingGroups, spec §2.2, §2.10): only groups the viewer is a member of (site admins: all), each with
 * this instance named by its base URL so a receiving server can capture the group (spec §6.6).
 */

/** Ids of the groups the event and its children use with distribution 4. */
export function sharingGroupIdsUsed(event: { distribution: number; sharingGroupId: number }, children: EventChildren): number[] {
  const ids = new Set<number>();
  const note = (x: { distribution: number; sharingGroupId: number }) => {
    if (x.distribution === Distribution.SharingGroup && x.sharingGroupId > 0) ids.add(x.sharingGroupId);
  };
  note(event);
  children.attributes.forEach(note);
  children.objects.forEach(note);
  return [...ids];
}

/** The groups among `ids` that the viewer's membership (`authorizedSgIds`) lets it load, keyed by id. */
export async function sharingGroupsForViewer(
  ctx: RequestContext, stores: Pick<Stores, 'sharingGroups'>, viewer: EventViewer, ids: readonly number[],
): Promise<Map<number, SharingGroupDetail>> {
  const member = new Set(viewer.sharingGroupIds);
  const wanted = ids.filter((id) => viewer.isSiteAdmin || member.has(id));
  if (wanted.length === 0) return new Map();
  const url = localInstanceUrl(ctx);
  const local = { id: LOCAL_SERVER_ID, name: url, url };
  const groups = await stores.sharingGroups.loadMany({ ids: wanted });
  return new Map(groups.map((sg) => [sg.id, {
    ...sg, servers: sg.servers.map((l) => (l.serverId === LOCAL_SERVER_ID ? { ...l, server: local } : l)),
  }]));
}

/**
 * Event::__attachSharingGroups: an attribute or object with distribution 4 whose group the viewer cannot load is
 * left out, even for the event's owner org (which otherwise sees every child). Objects left without attributes
 * then disappear in the event view's usual clean-up.
 */
export function withoutUnloadableGroups(children: EventChildren, groups: ReadonlyMap<number, SharingGroupDetail>): EventChildren {
  const keep = (x: { distribution: number; sharingGroupId: number }) =>
    x.distribution !== Distribution.SharingGroup || groups.has(x.sharingGroupId);
  return { ...children, attributes: children.attributes.filter(keep), objects: children.objects.filter(keep) };
}
