import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aLink, anEvent, anObject, aTag, variedAttributes } from '../misp-format/event-detail.fixture.js';
import { readOutput } from '../search/rest-search-output.js';
import type { AttributeItem, ExportContext } from './export-items.js';
import { attributeSearchJson, attributeSearchText } from './json-export.js';

const context = (params: Record<string, unknown>): ExportContext => ({
  output: readOutput(params), baseUrl: 'https://misp.test', now: 0, nidsSid: 4_000_000, instanceName: 'MISP', setting: () => undefined,
});

describe('attributeSearchText', () => {
  const org = { id: 1, name: 'CIRCL', uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f', local: true };
  const eventTags = [aLink({ linkId: 20, tag: aTag({ id: 30, name: 'osint:source-type="blog-post"' }) })];
  const items: AttributeItem[] = variedAttributes().map((attribute, k) => ({
    attribute, event: anEvent({ id: 12 + (k % 3), info: ['event "quoted"', 'Événement\\ – \u0001 ✓', ''][k % 3]! }), object: attribute.objectId ? anObject() : null,
    eventTags: k % 3 === 1 ? [] : eventTags, org, orgc: org,
  }));

  it('is the text of JSON.stringify(attributeSearchJson(…)) under every output option that shapes an attribute', () => {
    const options = ['includeEventUuid', 'includeEventTags', 'includeContext', 'includeCorrelations'];
    for (let mask = 0; mask < 2 ** options.length; mask++) {
      const ctx = context(Object.fromEntries(options.map((o, k) => [o, (mask >> k) & 1])));
      const events = new Map<number, string>();
      for (const item of items) {
        assert.equal(attributeSearchText(item, ctx, events), JSON.stringify(attributeSearchJson(item, ctx)), `mask ${mask}: ${item.attribute.value1}`);
      }
    }
  });
});
