import { addEvent } from '../../core/events/event-add.js';
import { editEvent } from '../../core/events/event-edit.js';
import { contactEventReporter } from '../../core/events/contact-reporter.js';
import { deleteEvents, publishEvent, unpublishEvent } from '../../core/events/event-lifecycle.js';
import { loadEventDetail } from '../../core/events/event-view.js';
import type { EventWriteEnv } from '../../core/events/event-write-env.js';
import { readBool } from '../../core/misp-format/scalars.js';
import type { RequestContext } from '../../core/context.js';
import type { EventChildren } from '../../core/ports/event-read-store.js';
import { type ActionDef, controller, success } from '../action.js';
import type { AppDeps } from '../app-deps.js';
import { eventAnswer } from './event-answer.js';
import { attributeWriteActions, objectWriteActions, referenceWriteActions } from './element-write-routes.js';

/**
 * The write side of the events controller (spec §3.1, §2.11): add, edit, delete, publish, unpublish. Handlers parse
 * the URL, call one service and render the event the way events/view does; the services own the rules.
 */

const EVENT_FIELDS = ['threat_level_id', 'analysis', 'distribution', 'sharing_group_id', 'uuid', 'published', 'timestamp', 'date', 'Attribute', 'Object', 'Shadow_Attribute', 'EventTag'];

/**
 * The saved event as the actor now sees it, `metadata:1` leaving out its content (EventsController::add/edit);
 * `written`: the children the service just stored, so they need not be read back.
 */
async function renderEvent(ctx: RequestContext, deps: AppDeps, id: number, metadata: boolean, written?: EventChildren, tail?: Record<string, unknown>) {
  return eventAnswer(await loadEventDetail(ctx, deps.storage, { id }, { metadata, ...(written ? { written } : {}) }), { metadata }, tail);
}

export function eventWriteActions(deps: AppDeps): ActionDef[] {
  const env: EventWriteEnv = {
    storage: deps.storage, typeMatrix: deps.typeMatrix, objectTemplates: deps.objectTemplates, warninglistMatcher: deps.warninglistMatcher,
  };
  return [
    ...controller('events', [
      {
        action: 'add', methods: ['POST'], acl: 'perm_add',
        describe: {
          description: 'POST a MISP Event JSON to this API to create an Event. Contained objects can also be included (such as attributes, objects, tags, etc).',
          mandatory: ['info'], optional: EVENT_FIELDS,
        },
        handler: async ({ ctx, body, named }) => {
          const { eventId, errors, written } = await addEvent(ctx, env, body);
          return renderEvent(ctx, deps, eventId, readBool(named.metadata) === true, written, Object.keys(errors).length > 0 ? { errors } : undefined);
        },
      },
      {
        action: 'edit', methods: ['POST'], acl: 'perm_add',
        describe: {
          description: 'POST a MISP Event JSON to this API to update an Event. Contained objects can also be included (such as attributes, objects, tags, etc). If the timestamp is set, it has to be newer than the existing Attribute.',
          mandatory: [], optional: ['info', ...EVENT_FIELDS],
        },
        handler: async ({ ctx, body, named, passed }) => {
          const eventId = await editEvent(ctx, env, passed[0], body);
          return renderEvent(ctx, deps, eventId, readBool(named.metadata) === true);
        },
      },
      {
        action: 'delete', methods: ['POST', 'DELETE'], acl: 'perm_add',
        handler: async ({ ctx, body, passed }) => {
          const { message, id } = await deleteEvents(ctx, env, passed[0], body);
          return success(message, id === undefined ? '/events/delete' : `/events/delete/${id}`, id);
        },
      },
      {
        action: 'publish', methods: ['POST'], acl: 'perm_publish',
        handler: async ({ ctx, passed }) => {
          const { id, message } = await publishEvent(ctx, env, passed[0]);
          return success(message, `/events/publish/${id}`, id);
        },
      },
      {
        // Any user who can see the event may write to its creator org (ACLComponent: events/contact '*').
        action: 'contact', methods: ['POST', 'PUT'], acl: '*',
        handler: async ({ ctx, body, passed }) => {
          const id = await contactEventReporter(ctx, deps.storage, deps.mailer, passed[0], body);
          return success('Email sent to the reporter.', `/events/contact/${id}`, id);
        },
      },
      {
        action: 'unpublish', methods: ['POST'], acl: 'perm_modify',
        handler: async ({ ctx, passed }) => {
          const id = await unpublishEvent(ctx, env, passed[0]);
          return success('Event unpublished.', `/events/unpublish/${id}`, id);
        },
      },
    ]),
    ...attributeWriteActions(deps, env),
    ...objectWriteActions(deps, env),
    ...referenceWriteActions(deps, env),
  ];
}
