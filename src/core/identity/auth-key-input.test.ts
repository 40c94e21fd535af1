import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settingsFrom } from '../settings/settings.js';
import { readAuthKeyInput } from './auth-key-input.js';

const NOW = 1_700_000_000;
const plain = settingsFrom(new Map());

describe('readAuthKeyInput', () => {
  it('reads expirations as timestamps or UTC dates, and never-expiring by default', () => {
    assert.equal(readAuthKeyInput({}, plain, NOW, true).input.expiration, 0);
    assert.equal(readAuthKeyInput({ expiration: '1800000000' }, plain, NOW, true).input.expiration, 1_800_000_000);
    assert.equal(readAuthKeyInput({ expiration: '2030-01-02' }, plain, NOW, true).input.expiration, Date.UTC(2030, 0, 2) / 1000);
    assert.deepEqual(readAuthKeyInput({ expiration: 'soon' }, plain, NOW, true).errors, { expiration: ['Expiration must be in YYYY-MM-DD format.'] });
  });

  it('leaves the expiration alone on edit unless it is sent', () => {
    assert.equal('expiration' in readAuthKeyInput({ comment: 'x' }, plain, NOW, false).input, false);
  });

  it('applies Security.advanced_authkeys_validity as default and ceiling', () => {
    const capped = settingsFrom(new Map<string, unknown>([['Security.advanced_authkeys_validity', 10]]));
    assert.equal(readAuthKeyInput({}, capped, NOW, true).input.expiration, NOW + 10 * 86_400);
    assert.deepEqual(readAuthKeyInput({ expiration: NOW + 11 * 86_400 }, capped, NOW, true).errors,
      { expiration: ['Maximal key validity is 10 days.'] });
  });

  it('reads allowed_ips from a list, a JSON list or comma/newline text, and rejects garbage', () => {
    assert.deepEqual(readAuthKeyInput({ allowed_ips: ['10.0.0.0/8', '::1'] }, plain, NOW, true).input.allowedIps, ['10.0.0.0/8', '::1']);
    assert.deepEqual(readAuthKeyInput({ allowed_ips: '["192.0.2.1"]' }, plain, NOW, true).input.allowedIps, ['192.0.2.1']);
    assert.deepEqual(readAuthKeyInput({ allowed_ips: '192.0.2.1, 198.51.100.0/24\n' }, plain, NOW, true).input.allowedIps,
      ['192.0.2.1', '198.51.100.0/24']);
    assert.equal(readAuthKeyInput({ allowed_ips: '' }, plain, NOW, true).input.allowedIps, null);
    assert.deepEqual(readAuthKeyInput({ allowed_ips: ['10'] }, plain, NOW, true).errors, { allowed_ips: ['10 is not valid IP range'] });
  });

  it('unwraps {"AuthKey": …} and reads read_only leniently', () => {
    assert.equal(readAuthKeyInput({ AuthKey: { read_only: '1' } }, plain, NOW, true).input.readOnly, true);
  });
});
