import { randomBytes } from 'node:crypto';
import type { RequestContext } from '../context.js';
import { datetime } from '../misp-format/scalars.js';
import type { OrgcInput } from '../misp-format/event-input.js';
import type { Stores } from '../ports/stores.js';
import { newUuid } from '../util/uuid.js';

/**
 * The creator org of an added event (spec §2.11): the actor's own org, unless a sync user names another one
 * (`Orgc` / `orgc_id`), which is looked up by uuid, then by name, and otherwise created as a non-local org
 * (Organisation::captureOrg; a name taken by another uuid gets a random suffix, spec §6.4).
 */
export async function creatorOrgId(ctx: RequestContext, stores: Stores, orgc: OrgcInput | undefined): Promise<number> {
  const { actor } = ctx;
  if (!actor.role.perms.perm_sync || !orgc) return actor.org.id;
  const identity = stores.identity;
  if (orgc.uuid) {
    const byUuid = await identity.findOrganisation({ uuid: orgc.uuid });
    if (byUuid) return byUuid.id;
  }
  if (orgc.name) {
    const byName = await identity.findOrganisation({ name: orgc.name });
    if (byName && !orgc.uuid) return byName.id;
    const uuid = orgc.uuid ?? newUuid();
    const suffixed = () => `${orgc.name}_${randomBytes(3).toString('hex')}`;
    let name = byName ? suffixed() : orgc.name;
    for (let attempt = 0; attempt < 3; attempt++) {
      const created = await identity.insertOrganisationIfNew({ uuid, name, local: false, createdBy: actor.user.id }, datetime(ctx.now));
      if (created) return created.id;
      // another request stored it first (a sync pushing events of one new org in parallel), or took the name
      const stored = await identity.findOrganisation(orgc.uuid ? { uuid } : { name });
      if (stored) return stored.id;
      name = suffixed();
    }
    throw new Error(`no free name for organisation ${orgc.name}`);
  }
  if (orgc.id !== undefined && await identity.findOrganisation({ id: orgc.id })) return orgc.id;
  return actor.org.id;
}
