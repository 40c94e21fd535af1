import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asciiLower, byteLength, isAllControl, isDigits, isPhpNumeric, isPhpTruthy, phpTrim, trimChars } from './php-string.js';

describe('PHP string predicates', () => {
  it('trims only PHP default characters', () => {
    assert.equal(phpTrim(' \t\n\r\0\x0Bx\x0B '), 'x');
    assert.equal(phpTrim('\u00a0x\u2003'), '\u00a0x\u2003');
    assert.equal(trimChars('..a.b..', '.'), 'a.b');
    assert.equal(trimChars('...', '.'), '');
  });

  it('matches ctype_digit, ctype_cntrl and is_numeric edge cases', () => {
    assert.deepEqual(['', '0', '12', '-1', '1 '].map(isDigits), [false, true, true, false, false]);
    assert.deepEqual(['', '\x01', '\x01a', '\x7f'].map(isAllControl), [false, true, false, true]);
    assert.deepEqual(['1', ' 1', '1 ', '-1.5e3', '.5', '5.', '', '.', '0x1A', '1e', 'NaN'].map(isPhpNumeric),
      [true, true, true, true, true, true, false, false, false, false, false]);
  });

  it('treats only "" and "0" as false', () => {
    assert.deepEqual(['', '0', '00', 'false', ' '].map(isPhpTruthy), [false, false, true, true, true]);
  });

  it('counts bytes and lower-cases ASCII only', () => {
    assert.equal(byteLength('é'), 2);
    assert.equal(asciiLower('ÄBC'), 'Äbc');
  });
});
