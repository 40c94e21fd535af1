import { type FieldErrors, isRecord, readText } from '../misp-format/input-readers.js';
import { readBool, readInt } from '../misp-format/scalars.js';
import { isUuid } from '../util/uuid.js';

/**
 * The fields of an eventReports/add|edit body (`EventReport::CAPTURE_FIELDS`, spec §2.8, §3.7), read leniently
 * (digit strings for numbers). `{"EventReport": {...}}` and the bare fields are both accepted.
 */
export interface EventReportInput {
  readonly uuid?: string;
  readonly name?: string;
  readonly content?: string;
  readonly distribution?: number;
  readonly sharingGroupId?: number;
  readonly timestamp?: number;
  /** Only read when a report arrives inside an event (events/add, sync); the report routes have their own delete. */
  readonly deleted?: boolean;
}

export const DISTRIBUTION_OPTIONS =
  'Options: Your organisation only, This community only, Connected communities, All communities, Sharing group, Inherit event';
export const INVALID_UUID = 'Please provide a valid RFC 4122 UUID';
export const UUID_TAKEN = 'The UUID provided is not unique';
export const NAME_BLANK = 'This field cannot be left blank';
export const INVALID_SG = 'Invalid Sharing Group or not authorised.';

export type ReadResult = { ok: true; value: EventReportInput } | { ok: false; errors: FieldErrors };

export function readEventReportInput(body: unknown): ReadResult {
  const r = isRecord(body) && isRecord(body.EventReport) ? body.EventReport : isRecord(body) ? body : {};
  const errors: FieldErrors = {};
  const out: { -readonly [K in keyof EventReportInput]: EventReportInput[K] } = {};
  if (r.uuid !== undefined && r.uuid !== null && r.uuid !== '') {
    if (isUuid(r.uuid)) out.uuid = r.uuid.toLowerCase();
    else errors.uuid = [INVALID_UUID];
  }
  const name = readText(r.name);
  if (name !== undefined) out.name = name;
  const content = r.content === null ? '' : readText(r.content);
  if (content !== undefined) out.content = content;
  if (r.distribution !== undefined && r.distribution !== null && r.distribution !== '') {
    const d = readInt(r.distribution);
    if (d === undefined || d < 0 || d > 5) errors.distribution = [DISTRIBUTION_OPTIONS];
    else out.distribution = d;
  }
  const sg = readInt(r.sharing_group_id);
  if (sg !== undefined) out.sharingGroupId = sg;
  const ts = readInt(r.timestamp);
  if (ts !== undefined && ts > 0) out.timestamp = ts;
  const deleted = readBool(r.deleted);
  if (deleted !== undefined) out.deleted = deleted;
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value: out };
}
