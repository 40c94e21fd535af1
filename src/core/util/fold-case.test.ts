import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldCase, isAscii } from './fold-case.js';

describe('foldCase', () => {
  it('lowers every alphabet one character at a time', () => {
    assert.equal(foldCase('EVIL.com'), 'evil.com');
    assert.equal(foldCase('ÄRGER'), 'ärger');
    assert.equal(foldCase('ЗЛО.РФ'), 'зло.рф');
    // JavaScript's toLowerCase would give 'i̇stanbul' and 'σας'
    assert.equal(foldCase('İSTANBUL'), 'istanbul');
    assert.equal(foldCase('ΣΑΣ'), 'σασ');
    assert.equal(foldCase('σας'), 'σας');
  });

  it('tells ASCII text apart', () => {
    assert.equal(isAscii('a_b%c'), true);
    assert.equal(isAscii('straße'), false);
  });
});
