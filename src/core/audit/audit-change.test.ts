import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { editChange, isSecretField, legacyChangeText, MASK, recordChange, redactSecrets } from './audit-change.js';

describe('isSecretField', () => {
  it('flags passwords, keys, tokens and secret settings', () => {
    for (const name of ['password', 'confirm_password', 'authkey', 'authkey_start', 'authkey_raw', 'external_auth_key', 'totp',
      'Security.salt', 'GnuPG.password', 'Plugin.S3_aws_secret_key', 'Cairn.secret', 'session_id', 'csrfToken']) {
      assert.equal(isSecretField(name), true, name);
    }
  });

  it('leaves ordinary fields alone, including ones that merely contain the letters', () => {
    for (const name of ['email', 'gpgkey', 'notpublished', 'autoalert', 'MISP.welcome_text_top', 'org_id', 'comment']) {
      assert.equal(isSecretField(name), false, name);
    }
  });
});

describe('redactSecrets', () => {
  it('masks secret string values at any depth and keeps the rest', () => {
    const out = redactSecrets({ email: 'a@b.c', password: ['old', 'new'], nested: { authkey: 'x'.repeat(40), n: 1 } });
    assert.deepEqual(out, { email: 'a@b.c', password: MASK, nested: { authkey: MASK, n: 1 } });
  });

  it('keeps flags and numbers of secret-sounding settings (they are configuration)', () => {
    assert.deepEqual(redactSecrets({ 'Security.advanced_authkeys': [false, true], 'Session.timeout': [60, 30] }),
      { 'Security.advanced_authkeys': [false, true], 'Session.timeout': [60, 30] });
  });
});

describe('editChange / recordChange', () => {
  it('lists only changed fields as [old, new] and skips bookkeeping columns', () => {
    assert.deepEqual(editChange({ name: 'a', sector: 'x', date_modified: '1' }, { name: 'b', sector: 'x', date_modified: '2' }), { name: ['a', 'b'] });
    assert.deepEqual(recordChange({ id: '3', name: 'a', date_modified: '2' }), { name: 'a' });
  });
});

describe('legacyChangeText', () => {
  it('renders MISP\'s "field (old) => (new)" text', () => {
    assert.equal(legacyChangeText('edit', { email: ['a@x', 'b@x'], disabled: [false, true] }), 'email (a@x) => (b@x), disabled (false) => (true)');
    assert.equal(legacyChangeText('add', { name: 'ACME' }), 'name () => (ACME)');
    assert.equal(legacyChangeText('change_pw', { message: 'Password changed.' }), 'Password changed.');
    assert.equal(legacyChangeText('login', null), '');
  });
});
