import { csvField } from '../../core/export/csv-export.js';
import { valueOf } from '../../core/export/export-items.js';
import { isRecord } from '../../core/misp-format/input-readers.js';
import {
  flattenSightingRow, sightingCsvColumns, toMispSighting, toMispSightingSearchRow,
} from '../../core/misp-format/sighting-json.js';
import { addSightings } from '../../core/sightings/sighting-add.js';
import { deleteSighting, listSightings, sightingIndex, viewSighting } from '../../core/sightings/sighting-read.js';
import { readSightingSearch, searchSightings, type SightingSearch, type SightingSearchRow } from '../../core/sightings/sighting-search.js';
import type { RequestContext } from '../../core/context.js';
import type { Stores } from '../../core/ports/stores.js';
import { type ActionDef, controller, stream, success } from '../action.js';
import type { AppDeps } from '../app-deps.js';

/** The sightings controller (SightingsController, spec §3.6). */
export function sightingsActions(deps: AppDeps): ActionDef[] {
  const bodyOf = (body: unknown) => (isRecord(body) ? body : {});
  const modifyOwnOrg = { AND: ['perm_sighting', 'perm_modify_org'] } as const;
  const remove = async ({ ctx, passed }: Parameters<ActionDef['handler']>[0]) => {
    await deps.storage.transaction((tx) => deleteSighting(ctx, tx, passed[0]));
    return success('Sighting successfully deleted.', `/sightings/delete/${passed[0] ?? ''}`, passed[0]);
  };
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
    {
      // Path form listSightings/{id}/{context}/{org_id}; PyMISP posts {"id", "context", "org_id"}, which wins.
      action: 'listSightings', methods: ['GET', 'POST'], acl: '*',
      handler: async ({ ctx, passed, body }) => {
        const b = bodyOf(body);
        const rows = await listSightings(ctx, deps.storage, {
          id: b.id ?? passed[0], context: b.context ?? passed[1] ?? 'attribute', orgId: b.org_id ?? passed[2],
        });
        return rows.map((s) => ({ Sighting: toMispSighting(s) }));
      },
    },
    {
      action: 'index', methods: ['GET', 'POST'], acl: '*',
      handler: async ({ ctx, passed }) => (await sightingIndex(ctx, deps.storage, passed[0])).map((s) => ({ Sighting: toMispSighting(s) })),
    },
    {
      action: 'view', methods: ['GET'], acl: '*',
      handler: async ({ ctx, passed }) => ({ Sighting: toMispSighting(await viewSighting(ctx, deps.storage, passed[0])) }),
    },
    { action: 'delete', methods: ['POST', 'DELETE'], acl: modifyOwnOrg, handler: remove },
    { action: 'quickDelete', methods: ['POST'], acl: modifyOwnOrg, handler: remove },
    {
      action: 'restSearch', methods: ['GET', 'POST'], acl: '*',
      handler: async ({ ctx, passed, body }) => {
        const search = await readSightingSearch(ctx, deps.storage, body, passed);
        const body$ = search.format === 'csv' ? csvLines(ctx, deps.storage, search) : jsonDocument(ctx, deps.storage, search);
        return stream(body$, search.format === 'csv' ? 'text/csv' : 'application/json', { 'X-Response-Format': search.format });
      },
    },
  ]);
}

function wireRow(r: SightingSearchRow, search: SightingSearch): Record<string, unknown> {
  return toMispSightingSearchRow({
    sighting: r.sighting, attribute: { ...r.attribute, value: valueOf(r.attribute) }, event: r.event, eventOrgcName: r.eventOrgc?.name ?? '',
  }, search);
}

/** `{"response": [{"Sighting": …}, …]}`, written row by row. */
async function* jsonDocument(ctx: RequestContext, stores: Stores, search: SightingSearch): AsyncGenerator<string> {
  yield '{"response": [';
  let first = true;
  for await (const page of searchSightings(ctx, stores, search.filter)) {
    for (const r of page) {
      yield (first ? '' : ',') + JSON.stringify(wireRow(r, search));
      first = false;
    }
  }
  yield ']}';
}

async function* csvLines(ctx: RequestContext, stores: Stores, search: SightingSearch): AsyncGenerator<string> {
  const columns = sightingCsvColumns(search);
  yield `${columns.join(',')}\n`;
  for await (const page of searchSightings(ctx, stores, search.filter)) {
    yield page.map((r) => {
      const flat = flattenSightingRow(wireRow(r, { ...search, includeUuid: true }));
      return `${columns.map((c) => csvField(flat[c])).join(',')}\n`;
    }).join('');
  }
}
