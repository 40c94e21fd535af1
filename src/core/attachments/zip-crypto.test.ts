import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { readZip } from '../../../test/support/zip-reader.js';
import { zipEncrypted } from './zip-crypto.js';

describe('zipEncrypted', () => {
  const modified = new Date('2024-05-06T07:08:10Z');

  it('writes entries that a ZipCrypto reader decrypts with the password, byte for byte', () => {
    const sample = randomBytes(70_000);
    const zip = zipEncrypted([{ name: 'a'.repeat(32), content: sample }, { name: 'x.filename.txt', content: Buffer.from('evil.exe') }], 'infected', { modified });
    const entries = readZip(zip, 'infected');
    assert.deepEqual(entries.map((e) => [e.name, e.encrypted]), [['a'.repeat(32), true], ['x.filename.txt', true]]);
    assert.ok(entries[0]!.content.equals(sample));
    assert.equal(entries[1]!.content.toString(), 'evil.exe');
  });

  it('cannot be read with another password', () => {
    const zip = zipEncrypted([{ name: 'f', content: Buffer.from('secret') }], 'infected', { modified, random: (n) => Buffer.alloc(n, 7) });
    assert.throws(() => readZip(zip, 'wrong'), /wrong password|CRC/);
  });

  it('is deterministic for a fixed random source and records the DOS time', () => {
    const random = (n: number) => Buffer.alloc(n, 1);
    const a = zipEncrypted([{ name: 'f', content: Buffer.from('same') }], 'infected', { modified, random });
    const b = zipEncrypted([{ name: 'f', content: Buffer.from('same') }], 'infected', { modified, random });
    assert.ok(a.equals(b));
    const time = a.readUInt16LE(10);
    assert.deepEqual([time >> 11, (time >> 5) & 63, (time & 31) * 2], [7, 8, 10]);
  });
});
