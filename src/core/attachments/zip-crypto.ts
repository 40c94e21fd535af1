import { randomBytes } from 'node:crypto';
import { crc32, deflateRawSync } from 'node:zlib';

/**
 * A minimal ZIP writer with traditional PKWARE encryption ("ZipCrypto", APPNOTE.TXT §6.1), the format MISP produces
 * for malware samples with `zip -j -P infected` (AttachmentTool::encrypt, spec §2.3). ZipCrypto is weak by design:
 * the password only keeps samples from being opened or scanned by accident, and every consumer (PyMISP's
 * `zipfile`, `unzip`, 7-Zip, Windows) reads it, whereas the AES variant is unreadable by Python's zipfile.
 * Writing it takes a CRC table and a three-key stream cipher, so no zip library is pulled into core.
 */

export interface ZipEntry {
  readonly name: string;
  readonly content: Uint8Array;
}

export interface ZipOptions {
  /** Modification time written into every entry (MS-DOS format, 2-second precision). */
  readonly modified: Date;
  /** Source of the 11 random bytes of each encryption header; injectable for deterministic tests. */
  readonly random?: (size: number) => Uint8Array;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** One CRC-32 step without the pre/post inversion: what ZipCrypto's key schedule uses. */
const crcStep = (crc: number, byte: number): number => (CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8)) >>> 0;

/** The ZipCrypto stream cipher keyed by a password (APPNOTE §6.1.5–§6.1.6). */
class ZipCryptoCipher {
  #k0 = 0x12345678;
  #k1 = 0x23456789;
  #k2 = 0x34567890;

  constructor(password: Uint8Array) {
    for (const b of password) this.#update(b);
  }

  #update(byte: number): void {
    this.#k0 = crcStep(this.#k0, byte);
    this.#k1 = (Math.imul((this.#k1 + (this.#k0 & 0xff)) >>> 0, 134775813) + 1) >>> 0;
    this.#k2 = crcStep(this.#k2, this.#k1 >>> 24);
  }

  /** Encrypts in place. */
  encrypt(data: Uint8Array): Uint8Array {
    for (let i = 0; i < data.length; i++) {
      const t = (this.#k2 | 2) & 0xffff;
      const plain = data[i]!;
      data[i] = plain ^ ((Math.imul(t, t ^ 1) >>> 8) & 0xff);
      this.#update(plain);
    }
    return data;
  }
}

function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.max(d.getUTCFullYear(), 1980);
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

/** Little-endian header fields, written in order: `[value, byteCount]`. */
function fields(parts: readonly (readonly [number, 2 | 4])[]): Buffer {
  const out = Buffer.alloc(parts.reduce((n, [, size]) => n + size, 0));
  let at = 0;
  for (const [value, size] of parts) {
    if (size === 2) out.writeUInt16LE(value, at);
    else out.writeUInt32LE(value >>> 0, at);
    at += size;
  }
  return out;
}

const FLAG_ENCRYPTED = 0x0001;
const FLAG_UTF8 = 0x0800;
const METHOD_DEFLATE = 8;
const VERSION_NEEDED = 20;

/**
 * A ZIP archive whose entries are deflated and encrypted with `password` (ZipCrypto). The encryption header's
 * check byte is the high byte of the CRC, as when sizes are known up front (no data descriptor).
 */
export function zipEncrypted(entries: readonly ZipEntry[], password: string, opts: ZipOptions): Buffer {
  const random = opts.random ?? ((n: number) => randomBytes(n));
  const { time, date } = dosDateTime(opts.modified);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const crc = crc32(entry.content) >>> 0;
    const header = Buffer.alloc(12);
    header.set(random(11).subarray(0, 11));
    header[11] = crc >>> 24;
    const cipher = new ZipCryptoCipher(Buffer.from(password, 'utf8'));
    const body = Buffer.concat([cipher.encrypt(header), cipher.encrypt(Buffer.from(deflateRawSync(entry.content)))]);
    const flags = FLAG_ENCRYPTED | (/[^\x20-\x7e]/.test(entry.name) ? FLAG_UTF8 : 0);
    const common = fields([
      [VERSION_NEEDED, 2], [flags, 2], [METHOD_DEFLATE, 2], [time, 2], [date, 2],
      [crc, 4], [body.length, 4], [entry.content.length, 4], [name.length, 2], [0, 2],
    ]);
    const local = Buffer.concat([fields([[0x04034b50, 4]]), common, name, body]);
    centrals.push(Buffer.concat([
      fields([[0x02014b50, 4], [VERSION_NEEDED, 2]]), common,
      fields([[0, 2], [0, 2], [0, 2], [0, 4], [offset, 4]]), name,
    ]));
    locals.push(local);
    offset += local.length;
  }
  const directory = Buffer.concat(centrals);
  const end = fields([
    [0x06054b50, 4], [0, 2], [0, 2], [entries.length, 2], [entries.length, 2], [directory.length, 4], [offset, 4], [0, 2],
  ]);
  return Buffer.concat([...locals, directory, end]);
}
