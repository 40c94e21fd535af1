import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settingsFrom } from '../settings/settings.js';
import { emailMatchesDomains, isValidEmail, passwordProblems } from './password-policy.js';

describe('passwordProblems', () => {
  const defaults = settingsFrom(new Map());

  it('accepts what MISP accepts by default (12 characters, upper, lower, digit) and long passphrases', () => {
    assert.deepEqual(passwordProblems(defaults, 'Password1234'), []);
    assert.deepEqual(passwordProblems(defaults, 'correct horse battery staple'), []);
  });

  it('names the length and complexity rules that fail', () => {
    assert.deepEqual(passwordProblems(defaults, 'Sh0rt'), ['Password length requirement not met.']);
    assert.deepEqual(passwordProblems(defaults, 'alllowercase1'), ['Password complexity requirement not met.']);
  });

  it('reads the PHP-delimited complexity regex and length from the settings', () => {
    const strict = settingsFrom(new Map<string, unknown>([
      ['Security.password_policy_length', 4], ['Security.password_policy_complexity', '#^\\d+$#'],
    ]));
    assert.deepEqual(passwordProblems(strict, '12345'), []);
    assert.deepEqual(passwordProblems(strict, 'Abcdef'), ['Password complexity requirement not met.']);
  });

  it('falls back to MISP\'s default rule when the configured regex does not compile', () => {
    const broken = settingsFrom(new Map<string, unknown>([['Security.password_policy_complexity', '/(unclosed/']]));
    assert.deepEqual(passwordProblems(broken, 'alllowercase1'), ['Password complexity requirement not met.']);
  });
});

describe('e-mail rules', () => {
  it('validates addresses like User::validateEmail', () => {
    assert.equal(isValidEmail('jürgen.o\'neil+tag@sub.example.org'), true);
    assert.equal(isValidEmail('no-at-sign.example.org'), false);
    assert.equal(isValidEmail('a@exämple.org'), false);
  });

  it('restricts to organisation domains only after an @ or a dot', () => {
    assert.equal(emailMatchesDomains('a@corp.example', ['corp.example']), true);
    assert.equal(emailMatchesDomains('a@eu.corp.example', ['corp.example']), true);
    assert.equal(emailMatchesDomains('a@evilcorp.example', ['corp.example']), false);
    assert.equal(emailMatchesDomains('anything@else', []), true);
  });
});
