import { asList, FieldReader, isRecord, type JsonRecord, type Parsed, readText } from './input-readers.js';

/**
 * Lenient parsing of the attributes, objects, references and tags inside MISP/PyMISP bodies (spec §2.11, §2.4,
 * §2.5). Absent fields stay `undefined` so an edit can keep the stored value (MISP's "recover fields").
 */
export interface TagInput {
  readonly name: string;
  readonly colour: string | undefined;
  readonly local: boolean;
  readonly relationshipType: string;
  /** PyMISP's `MISPTag.delete()`: on an edit the tag is detached (AttributeTag::handleAttributeTag). */
  readonly deleted: boolean;
}

export interface AttributeInput {
  readonly uuid: string | undefined;
  readonly type: string | undefined;
  readonly category: string | undefined;
  readonly value: string | undefined;
  readonly toIds: boolean | undefined;
  readonly comment: string | undefined;
  readonly distribution: number | undefined;
  readonly sharingGroupId: number | undefined;
  readonly disableCorrelation: boolean | undefined;
  readonly objectRelation: string | undefined;
  /** µs; null clears the stored value. */
  readonly firstSeen: number | null | undefined;
  readonly lastSeen: number | null | undefined;
  readonly deleted: boolean | undefined;
  readonly timestamp: number | undefined;
  readonly tags: readonly TagInput[];
  /** Base64 payload of an attachment / malware-sample (`data`, or PyMISP's older `base64`). */
  readonly data: string | undefined;
  /** `encrypt` was sent (any value): MISP then derives `filename|md5` from the payload (onDemandEncrypt). */
  readonly encrypt: boolean;
  /** attributes/add refuses this attribute when its value is on an enabled warninglist (captureAttribute). */
  readonly enforceWarninglist?: boolean;
}

export interface ReferenceInput {
  readonly uuid: string | undefined;
  readonly objectUuid: string | undefined;
  readonly objectId: number | undefined;
  readonly sourceUuid: string | undefined;
  readonly referencedUuid: string | undefined;
  readonly referencedId: number | undefined;
  readonly referencedType: number | undefined;
  readonly relationshipType: string | undefined;
  readonly comment: string | undefined;
  readonly deleted: boolean | undefined;
  readonly timestamp: number | undefined;
}

export interface ObjectInput {
  readonly uuid: string | undefined;
  readonly name: string | undefined;
  readonly metaCategory: string | undefined;
  readonly description: string | undefined;
  readonly templateUuid: string | undefined;
  readonly templateVersion: string | undefined;
  readonly distribution: number | undefined;
  readonly sharingGroupId: number | undefined;
  readonly comment: string | undefined;
  readonly deleted: boolean | undefined;
  readonly timestamp: number | undefined;
  readonly firstSeen: number | null | undefined;
  readonly lastSeen: number | null | undefined;
  readonly breakOnDuplicate: boolean;
  readonly attributes: readonly Parsed<AttributeInput>[];
  readonly references: readonly ReferenceInput[];
}

export const DISTRIBUTION_OPTIONS =
  'Options: Your organisation only, This community only, Connected communities, All communities, Sharing group, Inherit event';

// What `asList` takes for the one element of a list sent as a single record. Module-level functions rather than
// arrows written in the calls: every attribute of an add is parsed, and the loader (tsx) names each closure it
// creates, which cost ~0.4 µs per attribute in a 1M-attribute ingest.
const isTagLink = (x: JsonRecord): boolean => 'Tag' in x;
const isTagRecord = (x: JsonRecord): boolean => 'name' in x;
export const isAttributeRecord = (x: JsonRecord): boolean => 'type' in x || 'value' in x;
const isReferenceRecord = (x: JsonRecord): boolean => 'referenced_uuid' in x || 'relationship_type' in x;

/** Tags as `[{name, colour?, local?, relationship_type?}]` or MISP's internal `[{Tag: {...}, local}]` link rows. */
export function parseTags(tags: unknown, links: unknown): TagInput[] {
  const out: TagInput[] = [];
  if (tags === undefined && links === undefined) return out;
  const seen = new Set<string>();
  for (const l of asList(links, isTagLink)) if (isRecord(l)) addTag(out, seen, l.Tag, l);
  for (const t of asList(tags, isTagRecord)) addTag(out, seen, t, {});
  return out;
}

/** One tag of {@link parseTags}, unless it has no name or the list already names it (case-insensitively). */
function addTag(out: TagInput[], seen: Set<string>, tag: unknown, link: JsonRecord): void {
  if (!isRecord(tag)) return;
  const name = readText(tag.name)?.trim();
  if (!name || seen.has(name.toLowerCase())) return;
  seen.add(name.toLowerCase());
  const r = new FieldReader({ ...tag, ...link });
  out.push({
    name, colour: readText(tag.colour), local: r.flag('local') ?? false, relationshipType: r.text('relationship_type') ?? '',
    deleted: r.flag('deleted') ?? false,
  });
}

export function parseAttribute(raw: unknown, index: number): Parsed<AttributeInput> {
  if (!isRecord(raw)) return { index, ok: false, errors: { value: ['Value cannot be empty.'] } };
  const r = new FieldReader(raw);
  const value: AttributeInput = {
    uuid: r.uuid('uuid'),
    type: r.text('type')?.trim(),
    category: r.text('category')?.trim() || undefined,
    value: r.text('value'),
    toIds: r.flag('to_ids'),
    comment: r.text('comment'),
    distribution: r.intIn('distribution', 0, 5, DISTRIBUTION_OPTIONS),
    sharingGroupId: r.int('sharing_group_id'),
    disableCorrelation: r.flag('disable_correlation'),
    objectRelation: r.text('object_relation') || undefined,
    firstSeen: r.micro('first_seen'),
    lastSeen: r.micro('last_seen'),
    deleted: r.flag('deleted'),
    timestamp: r.int('timestamp'),
    tags: parseTags(raw.Tag, raw.AttributeTag),
    data: r.text('data') ?? r.text('base64'),
    encrypt: r.has('encrypt'),
    enforceWarninglist: r.flag('enforceWarninglist') === true,
  };
  return r.ok ? { index, ok: true, value } : { index, ok: false, errors: r.errors };
}

export function parseReference(raw: JsonRecord): ReferenceInput | undefined {
  const r = new FieldReader(raw);
  const ref: ReferenceInput = {
    uuid: r.uuid('uuid'),
    objectUuid: r.uuid('object_uuid'),
    objectId: r.int('object_id'),
    sourceUuid: r.uuid('source_uuid'),
    referencedUuid: typeof raw.referenced_uuid === 'string' ? r.uuid('referenced_uuid') : undefined,
    referencedId: r.int('referenced_id'),
    referencedType: r.int('referenced_type'),
    relationshipType: r.text('relationship_type'),
    comment: r.text('comment'),
    deleted: r.flag('deleted'),
    timestamp: r.int('timestamp'),
  };
  return r.ok ? ref : undefined;
}

/**
 * An object as PyMISP sends it (`{name, meta-category, …, Attribute[], ObjectReference[]}`), optionally wrapped in
 * `{"Object": …}` with the attributes beside it (ObjectsController::add). An invalid attribute rejects the object.
 */
export function parseObject(body: unknown, index: number): Parsed<ObjectInput> {
  if (!isRecord(body)) return { index, ok: false, errors: 'Could not save the object as no attributes were set.' };
  const raw = isRecord(body.Object) ? { ...body.Object, Attribute: body.Object.Attribute ?? body.Attribute } : body;
  const r = new FieldReader(raw);
  const value: ObjectInput = {
    uuid: r.uuid('uuid'),
    name: r.text('name')?.trim(),
    metaCategory: r.text('meta-category') ?? r.text('meta_category'),
    description: r.text('description'),
    templateUuid: r.uuid('template_uuid', 'Please provide a valid UUID'),
    templateVersion: r.text('template_version'),
    distribution: r.intIn('distribution', 0, 5, DISTRIBUTION_OPTIONS),
    sharingGroupId: r.int('sharing_group_id'),
    comment: r.text('comment'),
    deleted: r.flag('deleted'),
    timestamp: r.int('timestamp'),
    firstSeen: r.micro('first_seen'),
    lastSeen: r.micro('last_seen'),
    breakOnDuplicate: r.flag('breakOnDuplicate') ?? false,
    attributes: asList(raw.Attribute, isAttributeRecord).map(parseAttribute),
    references: asList(raw.ObjectReference, isReferenceRecord)
      .filter(isRecord).map(parseReference).filter((x): x is ReferenceInput => x !== undefined),
  };
  return r.ok ? { index, ok: true, value } : { index, ok: false, errors: r.errors };
}
