import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readSharingGroupInput } from './sharing-group-input.js';

describe('readSharingGroupInput', () => {
  it('reads PyMISP\'s flat body and MISP\'s wrapped one alike', () => {
    const flat = readSharingGroupInput({ name: 'SG', releasability: 'r', active: '0', roaming: 1 });
    assert.deepEqual(flat, { name: 'SG', releasability: 'r', active: false, roaming: true });
    const wrapped = readSharingGroupInput({ SharingGroup: { name: 'SG', uuid: 'AAAAAAAA-AAAA-4AAA-8AAA-AAAAAAAAAAAA' }, SharingGroupOrg: [] });
    assert.deepEqual(wrapped, { name: 'SG', uuid: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', orgs: [] });
  });

  it('reads members nested, flat or as PHP-style objects, and a sync body\'s server list', () => {
    const input = readSharingGroupInput({
      name: 'SG', modified: '2024-01-02 03:04:05', created: 'yesterday',
      SharingGroupOrg: { 0: { extend: '1', Organisation: { id: '9', uuid: 'U1', name: 'One' } }, 1: { name: 'Two', extend: false }, 2: { org_id: '5' } },
      SharingGroupServer: [{ all_orgs: true, server_id: '0', Server: { id: '0', url: 'https://misp.example', name: 'x' } }, { server_id: 0 }],
    });
    assert.equal(input.modified, '2024-01-02 03:04:05');
    assert.equal(input.created, undefined, 'unparseable datetimes are ignored');
    assert.deepEqual(input.orgs, [
      { org: { uuid: 'u1', name: 'One', id: 9 }, extend: true },
      { org: { name: 'Two' }, extend: false },
      { org: { id: 5 }, extend: false },
    ]);
    assert.deepEqual(input.servers, [
      { server: { url: 'https://misp.example', name: 'x', id: 0 }, allOrgs: true },
      { server: { id: 0 }, allOrgs: false },
    ]);
  });
});
