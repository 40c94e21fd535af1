import { toMispSighting } from '../../core/misp-format/sighting-json.js';
import { addSightings } from '../../core/sightings/sighting-add.js';
import { type ActionDef, controller } from '../action.js';
import type { AppDeps } from '../app-deps.js';

/** The sightings controller (spec §3.6): sightings/add. */
export function sightingsActions(deps: AppDeps): ActionDef[] {
  return controller('sightings', [
    {
      action: 'add', methods: ['POST'], acl: 'perm_sighting',
      describe: {
        description: 'POST a Sighting JSON to sight an attribute (by id or uuid in the URL or body) or every attribute with the given value(s).',
        mandatory: [], optional: ['id', 'uuid', 'value', 'values', 'type', 'source', 'timestamp', 'date', 'time'],
      },
      handler: async ({ ctx, passed, body }) => {
        const r = await addSightings(ctx, deps.storage, passed[0], body);
        // MISP answers a failed sighting with HTTP 200 and a message, not an error status
        return r.ok ? { Sighting: toMispSighting(r.sighting) } : { message: `Could not add the Sighting. Reason: ${r.reason}` };
      },
    },
  ]);
}
