import type { Tag, TagLink } from '../model/event.js';
import { str } from './scalars.js';

/** A tag row as MISP serialises it (spec §2.5): ids as strings, tinyint(1) flags as booleans. */
export interface MispTagJson {
  id: string;
  name: string;
  colour: string;
  exportable: boolean;
  org_id: string;
  user_id: string;
  hide_tag: boolean;
  numerical_value: string | null;
  is_galaxy: boolean;
  is_custom_galaxy: boolean;
  local_only: boolean;
}

/** Every column of the tag (tags/add, tags/edit, tags/index, tags/view, tags/search). */
export function toMispTag(t: Tag): MispTagJson {
  return {
    id: String(t.id), name: t.name, colour: t.colour, exportable: t.exportable, org_id: String(t.orgId),
    user_id: String(t.userId), hide_tag: t.hideTag, numerical_value: str(t.numericalValue), is_galaxy: t.isGalaxy,
    is_custom_galaxy: t.isCustomGalaxy, local_only: t.localOnly,
  };
}

/**
 * A tag as it appears inside an event or attribute `Tag` list (spec §2.5): `org_id` is stripped, `local` and
 * `relationship_type` come from the event_tags / attribute_tags row.
 */
export function toMispTagLink(l: TagLink): Omit<MispTagJson, 'org_id'> & { local: boolean; relationship_type: string } {
  const { org_id: _orgId, ...tag } = toMispTag(l.tag);
  return { ...tag, local: l.local, relationship_type: l.relationshipType };
}
