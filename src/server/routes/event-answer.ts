import { isLargeEvent, mispEventChunks } from '../../core/misp-format/event-json-chunks.js';
import { type EventJsonOptions, toMispEvent } from '../../core/misp-format/event-json.js';
import type { EventDetail } from '../../core/model/event.js';
import { type ActionResult, stream } from '../action.js';

const JSON_TYPE = 'application/json; charset=UTF-8';

/**
 * `{"Event": …}` (plus `tail`, e.g. events/add's `errors`) as events/view, add and edit answer it: one JSON value for
 * an ordinary event, written in chunks for a large one so its answer never sits in memory whole.
 */
export function eventAnswer(d: EventDetail, opts: EventJsonOptions = {}, tail?: Record<string, unknown>): ActionResult {
  if (isLargeEvent(d)) return stream(mispEventChunks(d, opts, tail), JSON_TYPE);
  const view = toMispEvent(d, opts);
  return tail ? { ...view, ...tail } : view;
}
