import { badRequest, DomainError, ErrorCode } from '../errors.js';
import {
  type AttributeInput, isAttributeRecord, type ObjectInput, parseAttribute, parseObject, parseReference, parseTags, type ReferenceInput, type TagInput,
} from './element-input.js';
import { asList, type FieldErrors, FieldReader, isRecord, type JsonRecord, type Parsed, readText } from './input-readers.js';

/** An event's `Object` or `EventReport` sent as one record rather than a list (`asList`). */
const isObjectRecord = (x: JsonRecord): boolean => 'name' in x || 'Attribute' in x;
const isReportRecord = (x: JsonRecord): boolean => 'name' in x || 'content' in x || 'EventReport' in x;

export type { AttributeInput, ObjectInput, ReferenceInput, TagInput } from './element-input.js';

/** The creator organisation a sync user may send (`Orgc` object or `orgc_id`), spec §2.11. */
export interface OrgcInput {
  readonly id: number | undefined;
  readonly uuid: string | undefined;
  readonly name: string | undefined;
}

/** An event body read leniently (spec §2.11). Absent fields stay undefined: add fills defaults, edit keeps stored values. */
export interface EventInput {
  readonly uuid: string | undefined;
  readonly info: string | undefined;
  readonly date: string | undefined;
  readonly threatLevelId: number | undefined;
  readonly analysis: number | undefined;
  readonly distribution: number | undefined;
  readonly sharingGroupId: number | undefined;
  readonly published: boolean | undefined;
  readonly timestamp: number | undefined;
  readonly disableCorrelation: boolean | undefined;
  readonly extendsUuid: string | undefined;
  readonly locked: boolean | undefined;
  readonly orgc: OrgcInput | undefined;
  readonly breakOnDuplicate: boolean;
  readonly attributes: readonly Parsed<AttributeInput>[];
  readonly objects: readonly Parsed<ObjectInput>[];
  readonly tags: readonly TagInput[];
  /** `EventReport` elements as sent; events/add captures each one (EventReport::captureReport). */
  readonly reports: readonly unknown[];
}

export type ParsedEvent = { readonly ok: true; readonly event: EventInput } | { readonly ok: false; readonly errors: FieldErrors };

const ANALYSIS_NAMES: Readonly<Record<string, number>> = { initial: 0, ongoing: 1, completed: 2 };

/** Strips `{"response": …}` (an export fed back) and `{"Event": …}`; PyMISP sends the event unwrapped (spec §0.2). */
export function unwrapEvent(body: unknown): JsonRecord {
  let b = body;
  if (isRecord(b) && 'response' in b) b = Array.isArray(b.response) ? b.response[0] : b.response;
  if (isRecord(b) && isRecord(b.Event)) b = b.Event;
  if (!isRecord(b) || Object.keys(b).length === 0) throw new DomainError(ErrorCode.NotAllowed, 'No valid event data received.');
  return b;
}

function readDate(r: FieldReader): string | undefined {
  if (!r.has('date')) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})(?:$|[T ])/.exec(r.text('date') ?? '');
  if (m && !Number.isNaN(Date.parse(`${m[1]}T00:00:00Z`))) return m[1];
  return r.fail('date', 'Expected date format: YYYY-MM-DD');
}

function readAnalysis(r: FieldReader): number | undefined {
  const name = ANALYSIS_NAMES[(r.text('analysis') ?? '').toLowerCase()];
  return name ?? r.intIn('analysis', 0, 2, 'Options : 0, 1, 2 (for Initial, Ongoing, Completed)');
}

function readOrgc(raw: JsonRecord, r: FieldReader): OrgcInput | undefined {
  const o = isRecord(raw.Orgc) ? raw.Orgc : isRecord(raw.orgc) ? raw.orgc : undefined;
  if (o) {
    const or = new FieldReader(o);
    return { id: or.int('id'), uuid: or.uuid('uuid'), name: or.text('name')?.trim() || undefined };
  }
  if (typeof raw.orgc === 'string') return { id: undefined, uuid: undefined, name: raw.orgc.trim() };
  const id = r.int('orgc_id');
  return id === undefined ? undefined : { id, uuid: undefined, name: undefined };
}

/**
 * Reads an events/add or events/edit body. Errors in the event's own fields come back as MISP's field map; problems
 * inside attributes and objects stay on those elements so the service can drop them and save the rest.
 */
export function parseEventBody(body: unknown): ParsedEvent {
  const raw = unwrapEvent(body);
  const r = new FieldReader(raw);
  const info = r.text('info');
  if (info !== undefined && info.trim() === '') r.fail('info', 'Info cannot be empty.');
  const event: EventInput = {
    uuid: r.uuid('uuid'),
    info,
    date: readDate(r),
    threatLevelId: r.intIn('threat_level_id', 1, 4, 'Options : 1, 2, 3, 4 (for High, Medium, Low, Undefined)'),
    analysis: readAnalysis(r),
    distribution: r.intIn('distribution', 0, 4, 'Options : Your organisation only, This community only, Connected communities, All communities'),
    sharingGroupId: r.int('sharing_group_id'),
    published: r.flag('published'),
    timestamp: r.int('timestamp'),
    disableCorrelation: r.flag('disable_correlation'),
    // '' detaches an extension; anything else must be a uuid
    extendsUuid: raw.extends_uuid === '' ? '' : r.uuid('extends_uuid', 'Please provide a valid UUID'),
    locked: r.flag('locked'),
    orgc: readOrgc(raw, r),
    breakOnDuplicate: r.flag('breakOnDuplicate') ?? false,
    attributes: asList(raw.Attribute, isAttributeRecord).map(parseAttribute),
    objects: asList(raw.Object, isObjectRecord).map(parseObject),
    tags: parseTags(raw.Tag, raw.EventTag),
    reports: asList(raw.EventReport, isReportRecord),
  };
  return r.ok ? { ok: true, event } : { ok: false, errors: r.errors };
}

/**
 * attributes/add bodies (AttributesController::add): one attribute, a list, `{"Attribute": …}`, or one attribute
 * whose `value` is a list (or `batch_import` text), which expands into one attribute per value.
 */
export function parseAttributeAddBody(body: unknown): Parsed<AttributeInput>[] {
  let b = isRecord(body) && 'Attribute' in body ? body.Attribute : body;
  if (isRecord(b) && (Array.isArray(b.value) || (b.batch_import && typeof b.value === 'string'))) {
    const values = Array.isArray(b.value) ? b.value : String(b.value).replace(/\n+$/, '').split('\n');
    const template = b;
    b = values.map((value) => ({ ...template, value }));
  }
  const list = Array.isArray(b) ? b : asList(b, () => true);
  if (list.length === 0) throw badRequest('No attribute data received.');
  return list.map(parseAttribute);
}

/** attributes/edit: a partial attribute, bare or wrapped in `{"Attribute": …}`. */
export function parseAttributeEditBody(body: unknown): Parsed<AttributeInput> {
  return parseAttribute(isRecord(body) && isRecord(body.Attribute) ? body.Attribute : body ?? {}, 0);
}

/** objects/add and objects/edit (ObjectsController): a PyMISP object, optionally `{"Object": …}`. */
export function parseObjectBody(body: unknown): Parsed<ObjectInput> {
  return parseObject(body, 0);
}

/** objectReferences/add: `{object_uuid | object_id, referenced_uuid, relationship_type, comment?}`, maybe wrapped. */
export function parseReferenceBody(body: unknown): ReferenceInput {
  const raw = isRecord(body) && isRecord(body.ObjectReference) ? body.ObjectReference : body;
  if (!isRecord(raw)) throw badRequest('No object reference data received.');
  const ref = parseReference(raw);
  if (!ref) throw badRequest('Invalid object reference: malformed uuid.');
  return { ...ref, relationshipType: ref.relationshipType ?? readText(raw.relationship_type_select) };
}
