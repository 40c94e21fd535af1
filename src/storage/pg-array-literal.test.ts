import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { pgArrayLiteral } from './pg-array-literal.js';
import { PG_ADMIN_URL, testDialects } from '../../test/support/test-server.js';

/** Cairn's array literals read back, through PostgreSQL itself, as the values they were made of. */
describe('PostgreSQL array literals', () => {
  const texts = ['plain', 'with "quotes"', 'back\\slash', 'comma, brace { } and space', '', 'NULL', 'ünïcödé ☃', '\\"', 'a\nb'];

  it('gives PostgreSQL back every text, empty text and null distinct from the text "NULL"', { skip: !testDialects().includes('postgres') }, async () => {
    const c = new pg.Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    try {
      const values = [...texts, null];
      const r = await c.query('select $1::text[] as a', [pgArrayLiteral(values, false)]);
      assert.deepEqual(r.rows[0].a, values);
      const n = await c.query('select $1::int8[]::text as a', [pgArrayLiteral([1, -2, 2 ** 53 - 1, null, 0], true)]);
      assert.equal(n.rows[0].a, '{1,-2,9007199254740991,NULL,0}');
      assert.deepEqual((await c.query('select $1::int4[] as a', [pgArrayLiteral([], true)])).rows[0].a, []);
    } finally {
      await c.end();
    }
  });

  it('quotes text and leaves numbers bare', () => {
    assert.equal(pgArrayLiteral(['a"b', 'c\\d', null], false), '{"a\\"b","c\\\\d",NULL}');
    assert.equal(pgArrayLiteral([3, null, 4], true), '{3,NULL,4}');
  });
});
