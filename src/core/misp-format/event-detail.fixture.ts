import type { Attribute, AttributeDetail, EventDetail, MispEvent, MispObject, ObjectDetail, Tag, TagLink } from '../model/event.js';

/** Small event graphs for the wire-format tests: one of each element, every field set. */

export const anEvent = (o: Partial<MispEvent> = {}): MispEvent => ({
  id: 12, uuid: '5a3c2fcd-8328-42bb-a95e-4f4402de0b81', orgId: 1, orgcId: 1, userId: 1, date: '2024-10-01', info: 'x',
  threatLevelId: 1, analysis: 0, published: false, publishTimestamp: 0, timestamp: 1727780000, sightingTimestamp: 0,
  attributeCount: 2, distribution: 1, sharingGroupId: 0, proposalEmailLock: false, locked: false, disableCorrelation: false,
  extendsUuid: '', protected: null, ...o,
});
export const aTag = (o: Partial<Tag> = {}): Tag => ({
  id: 3, name: 'tlp:white', colour: '#ffffff', exportable: true, orgId: 0, userId: 0, hideTag: false, numericalValue: null,
  isGalaxy: false, isCustomGalaxy: false, localOnly: false, ...o,
});
export const aLink = (o: Partial<TagLink> = {}): TagLink => ({ linkId: 9, tag: aTag(), local: false, relationshipType: '', ...o });
export const anAttribute = (o: Partial<Attribute> = {}): AttributeDetail => ({
  id: 100, uuid: '5a3c2fda-78f4-44b7-8366-46da02de0b81', eventId: 12, objectId: 0, objectRelation: null,
  category: 'Payload delivery', type: 'filename', value1: 'a.exe', value2: '', toIds: true, timestamp: 1727780000,
  distribution: 5, sharingGroupId: 0, comment: '', deleted: false, disableCorrelation: false, firstSeen: null, lastSeen: null,
  tags: [aLink()], ...o,
});
export const anObject = (o: Partial<MispObject> = {}): MispObject => ({
  id: 7, uuid: '5a3cd5b6-9568-4342-b2ab-4c62950d210f', eventId: 12, name: 'file', metaCategory: 'file', description: 'File',
  templateUuid: '688c46fb-5edb-40a3-8273-1af7923e2215', templateVersion: '8', timestamp: 1727780000, distribution: 5,
  sharingGroupId: 0, comment: '', deleted: false, firstSeen: null, lastSeen: null, ...o,
});

export function aDetail(): EventDetail {
  const inObject = anAttribute({ id: 101, objectId: 7, objectRelation: 'filename' });
  const object: ObjectDetail = {
    ...anObject(), attributes: [inObject],
    references: [{
      id: 1, uuid: '5a3cdba2-2fdc-4f9a-a4eb-4dae950d210f', timestamp: 1727780000, objectId: 7, eventId: 12,
      sourceUuid: anObject().uuid, referencedUuid: anAttribute().uuid, referencedId: 100, referencedType: 0,
      relationshipType: 'communicates-with', comment: '', deleted: false, target: { kind: 'attribute', attribute: anAttribute() },
    }],
  };
  const org = { id: 1, name: 'CIRCL', uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f', local: true };
  return { event: anEvent(), org, orgc: org, tags: [aLink()], attributes: [anAttribute()], objects: [object], creatorEmail: 'a@b.c' };
}

/** Attributes covering every branch of the wire form: text, flags, nulls, tags, and the keys after `last_seen`. */
export function variedAttributes(): AttributeDetail[] {
  const galaxyTag = aTag({ id: 8, name: 'misp-galaxy:threat-actor="APT 28"', colour: '#0088cc', isGalaxy: true, numericalValue: 50 });
  return [
    anAttribute(),
    anAttribute({ tags: [] } as Partial<AttributeDetail>),
    anAttribute({
      type: 'filename|md5', value1: 'r\u00e9sum\u00e9 "final".exe', value2: 'd41d8cd98f00b204e9800998ecf8427e', objectId: 7,
      objectRelation: 'filename', comment: 'line\nbreak \\ and \u2028 and </script> tab\t del\u007f', toIds: false, deleted: true,
      disableCorrelation: true, firstSeen: 1_614_859_200_000_001, lastSeen: 1_714_859_200_123_456, distribution: 4, sharingGroupId: 2,
    }),
    {
      ...anAttribute({ value1: 'emoji \ud83d\ude00 and lone \ud800 surrogate' }),
      tags: [aLink({ relationshipType: 'related-to', local: true }), aLink({ linkId: 10, tag: galaxyTag })],
      data: 'aGVsbG8=', feedHit: true,
      feedHits: [{ id: 1, name: 'CIRCL', url: 'https://x', provider: 'CIRCL', sourceFormat: 'misp', lookupVisible: true, eventUuids: ['u'] }],
      relatedAttributes: [{ attributeId: 5, eventId: 6, value: 'a.exe', orgcId: 1, info: 'other', date: '2024-01-01' }],
      galaxies: [{ id: '1', name: 'Threat Actor' }],
    },
  ];
}
