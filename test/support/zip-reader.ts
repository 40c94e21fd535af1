import { inflateRawSync } from 'node:zlib';

/**
 * A test-only ZIP reader with traditional PKWARE decryption, written from APPNOTE.TXT independently of
 * src/core/attachments/zip-crypto.ts so that the writer is checked against the format, not against itself.
 * Reads the central directory, then each local entry; verifies the encryption check byte and the CRC.
 */
export interface ZipFileEntry {
  readonly name: string;
  readonly encrypted: boolean;
  readonly content: Buffer;
}

function crcTable(): number[] {
  const t: number[] = [];
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = (c & 1) ? (0xedb88320 ^ (c >>> 1)) : (c >>> 1);
    t.push(c >>> 0);
  }
  return t;
}
const TABLE = crcTable();

function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of buf) c = TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function decrypt(data: Buffer, password: string): Buffer {
  const keys = [0x12345678, 0x23456789, 0x34567890];
  const update = (b: number) => {
    keys[0] = (TABLE[(keys[0]! ^ b) & 0xff]! ^ (keys[0]! >>> 8)) >>> 0;
    keys[1] = (keys[1]! + (keys[0]! & 0xff)) >>> 0;
    keys[1] = (Number((BigInt(keys[1]!) * 134775813n + 1n) & 0xffffffffn)) >>> 0;
    keys[2] = (TABLE[(keys[2]! ^ (keys[1]! >>> 24)) & 0xff]! ^ (keys[2]! >>> 8)) >>> 0;
  };
  for (const ch of Buffer.from(password)) update(ch);
  const out = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i++) {
    const t = (keys[2]! | 2) & 0xffff;
    const p = data[i]! ^ (Number((BigInt(t) * BigInt(t ^ 1)) >> 8n) & 0xff);
    out[i] = p;
    update(p);
  }
  return out;
}

/** Every entry of `zip`, decrypted with `password` where encrypted; throws on a wrong password or bad CRC. */
export function readZip(zip: Buffer, password?: string): ZipFileEntry[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('no end of central directory');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: ZipFileEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central header');
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const size = zip.readUInt32LE(at + 20);
    const nameLen = zip.readUInt16LE(at + 28);
    const extraLen = zip.readUInt16LE(at + 30);
    const commentLen = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLen).toString('utf8');
    at += 46 + nameLen + extraLen + commentLen;
    if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error('bad local header');
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    let data = zip.subarray(start, start + size);
    const encrypted = (flags & 1) === 1;
    if (encrypted) {
      if (password === undefined) throw new Error(`${name} is encrypted`);
      const plain = decrypt(Buffer.from(data), password);
      if (plain[11] !== crc >>> 24) throw new Error('wrong password');
      data = plain.subarray(12);
    }
    const content = method === 8 ? inflateRawSync(data) : Buffer.from(data);
    if (crc32(content) !== crc) throw new Error(`CRC mismatch in ${name}`);
    entries.push({ name, encrypted, content });
  }
  return entries;
}
