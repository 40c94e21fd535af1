import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError, ErrorCode } from '../core/errors.js';
import { asInputError } from './pg-input-errors.js';

describe('asInputError', () => {
  it('turns the data exceptions a request\'s values cause into a 400 naming PostgreSQL\'s reason', () => {
    const pg = Object.assign(new Error('value "99999999999" is out of range for type integer'), { code: '22003' });
    const mapped = asInputError(pg);
    assert.ok(mapped instanceof DomainError);
    assert.equal(mapped.code, ErrorCode.BadRequest);
    assert.equal(mapped.message, 'Invalid input: value "99999999999" is out of range for type integer');
  });

  it('leaves every other error as it is: a broken connection or a constraint is not the request\'s input', () => {
    for (const code of ['08006', '23505', '40001', undefined]) {
      const err = Object.assign(new Error('x'), { code });
      assert.equal(asInputError(err), err);
    }
    assert.equal(asInputError(null), null);
  });
});
