import { ACTIVE_AND_DELETED } from '../../core/acl/event-visibility.js';
import { notAllowed, notFound } from '../../core/errors.js';
import { listEventIndex } from '../../core/events/event-index.js';
import { withAttributeFile } from '../../core/events/event-view-extras.js';
import {
  eventExists, findAttributeDetail, findObjectDetail, loadEventDetail, loadObjectDetail, OBJECT_VIEW_STATES, viewerFor,
} from '../../core/events/event-view.js';
import {
  toMispAttribute, toMispEventIndexRow, toMispObject,
} from '../../core/misp-format/event-json.js';
import { readDeletedParam, readEventIndexParams } from '../../core/misp-format/event-read-params.js';
import { readBool, readInt } from '../../core/misp-format/scalars.js';
import { parseRef, type Ref } from '../../core/util/uuid.js';
import { withEventDecayScores } from '../../core/decaying/decay-search.js';
import { type ActionDef, type ActionRequest, controller, response } from '../action.js';
import type { AppDeps } from '../app-deps.js';
import { eventAnswer } from './event-answer.js';
import { withFeedCorrelations } from '../../core/feeds/feed-correlations.js';

/**
 * The read side of the events, attributes and objects controllers (spec §3.1–§3.3): events/view and
 * events/index, attributes/view and attributes/index, objects/view. HEAD on a view answers 200 or 404
 * without a body (PyMISP's `*_exists`, MISP sync's `eventExists`).
 */

const bodyObject = (body: unknown): Record<string, unknown> =>
  body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};

/** The id or uuid in the path, else the given 404 (MISP checks the format before looking anything up). */
function refOrNotFound(req: ActionRequest, message: string): Ref {
  const ref = parseRef(req.passed[0]);
  if (!ref) throw notFound(message);
  return ref;
}

const exists = (found: unknown) => response(found ? 200 : 404, null);

/** MISP's attributes/index page size and ceiling (AttributesController::$paginate). */
const ATTRIBUTE_PAGE = 60;
const ATTRIBUTE_PAGE_MAX = 9999;

/** events/view, events/index (spec §3.1), attributes/view, attributes/index (§3.2), objects/view (§3.3); ACL '*', visibility §4.2–§4.3. */
export function eventReadActions(deps: AppDeps): ActionDef[] {
  const stores = deps.storage;
  return [
    ...controller('events', [
      {
        action: 'view', methods: ['GET', 'POST'], acl: '*',
        handler: async (req) => {
          const ref = refOrNotFound(req, 'Invalid event');
          if (req.method === 'HEAD') return exists(await eventExists(req.ctx, stores, ref));
          // A body `deleted` wins over the named parameter (EventsController::view).
          const body = bodyObject(req.body);
          const deleted = readDeletedParam(body.deleted ?? req.named.deleted);
          const excludeLocalTags = readBool(req.named.excludeLocalTags) === true;
          const noSightings = readBool(req.named.noSightings) === true;
          const noShadowAttributes = readBool(req.named.noShadowAttributes) === true;
          const noEventReports = readBool(req.named.noEventReports) === true;
          const includeAttachments = readBool(req.named.includeAttachments) !== false;
          const includeEventCorrelations = readBool(req.named.includeEventCorrelations) !== false;
          const includeGranularCorrelations = readBool(req.named.includeGranularCorrelations) === true;
          const excludeGalaxy = readBool(body.excludeGalaxy ?? req.named.excludeGalaxy) === true;
          const detail = await loadEventDetail(req.ctx, stores, ref, {
            deleted, excludeLocalTags, noSightings, noShadowAttributes, includeAttachments, includeEventCorrelations,
            includeGranularCorrelations, noEventReports, excludeGalaxy,
          });
          // includeDecayScore: decay scores on the attributes (spec §3.1, decaying/decay-search.ts).
          const decay = readBool(body.includeDecayScore ?? req.named.includeDecayScore) === true;
          // includeFeedCorrelations (on unless 0, as EventsController::view sets it for REST too; sync peers send 0):
          // the cached feeds carrying the values (spec §7.3, feeds/feed-correlations.ts).
          const feeds = readBool(body.includeFeedCorrelations ?? req.named.includeFeedCorrelations) !== false;
          const scored = decay ? await withEventDecayScores(req.ctx, stores, detail) : detail;
          return eventAnswer(feeds ? await withFeedCorrelations(req.ctx, stores, scored) : scored);
        },
      },
      {
        action: 'index', methods: ['GET', 'POST'], acl: '*',
        handler: async (req) => {
          const params = readEventIndexParams(req.named, req.body, req.ctx.now);
          const { entries, total } = await listEventIndex(req.ctx, stores, params);
          const rows = entries.map((e) => toMispEventIndexRow(e, { minimal: params.minimal }));
          return response(200, rows, { 'X-Result-Count': String(total) });
        },
      },
    ]),
    ...controller('attributes', [
      {
        action: 'view', methods: ['GET'], acl: '*',
        handler: async (req) => {
          const ref = refOrNotFound(req, 'Invalid attribute ID.');
          if (req.method === 'HEAD') return exists(await findAttributeDetail(req.ctx, stores, ref, { deleted: ACTIVE_AND_DELETED }));
          const attribute = await findAttributeDetail(req.ctx, stores, ref);
          // MISP answers an unknown or invisible attribute with 405, not 404 (spec §3.2, §12.16).
          if (!attribute) throw notAllowed('Invalid attribute');
          return { Attribute: toMispAttribute(await withAttributeFile(stores, attribute)) };
        },
      },
      {
        action: 'index', methods: ['GET', 'POST'], acl: '*',
        handler: async (req) => {
          const limit = Math.min(readInt(req.named.limit) ?? ATTRIBUTE_PAGE, ATTRIBUTE_PAGE_MAX);
          const page = Math.max(readInt(req.named.page) ?? 1, 1);
          const value = typeof req.named.searchvalue === 'string' ? req.named.searchvalue : undefined;
          const viewer = await viewerFor(req.ctx, stores);
          const attributes = await stores.eventReads.listAttributes(viewer, value === undefined ? {} : { value }, {
            limit: limit > 0 ? limit : ATTRIBUTE_PAGE, page,
          });
          return attributes.map((a) => toMispAttribute(a));
        },
      },
    ]),
    ...controller('objects', [
      {
        action: 'view', methods: ['GET'], acl: '*',
        handler: async (req) => {
          const ref = refOrNotFound(req, 'Invalid object ID.');
          if (req.method === 'HEAD') return exists(await findObjectDetail(req.ctx, stores, ref, { objectDeleted: OBJECT_VIEW_STATES }));
          const { object, event } = await loadObjectDetail(req.ctx, stores, ref, { objectDeleted: OBJECT_VIEW_STATES });
          const json = toMispObject(object, { event });
          // MispObject::fetchObjects leaves `Attribute` out when the object shows none.
          if (object.attributes.length === 0) delete json.Attribute;
          return { Object: json };
        },
      },
    ]),
  ];
}
