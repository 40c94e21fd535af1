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

  it('answers a unique violation (a row another request stored first) as the refusal of a taken uuid', () => {
    const pg = Object.assign(new Error('duplicate key value violates unique constraint "attributes_uuid_key"'), {
      code: '23505', detail: 'Key (uuid)=(8a6a3b3c-0f3e-4a57-9f3c-1c2b3d4e5f60) already exists.',
    });
    const mapped = asInputError(pg);
    assert.ok(mapped instanceof DomainError);
    assert.equal(mapped.code, ErrorCode.SaveFailed);
    assert.deepEqual(mapped.errors, { uuid: ['The uuid provided is not unique'] });
  });

  it('leaves every other error as it is: a broken connection or a failed check is not the request\'s input', () => {
    for (const code of ['08006', '23503', '40001', undefined]) {
      const err = Object.assign(new Error('x'), { code });
      assert.equal(asInputError(err), err);
    }
    assert.equal(asInputError(null), null);
  });
});
