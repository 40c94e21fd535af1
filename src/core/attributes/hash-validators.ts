import { isHexDigits } from './php-string.js';
import { isImpfuzzy, isSsdeep, isTlsh } from './value-patterns.js';

/**
 * Checksum and fingerprint types (`AttributeValidationTool::HASH_HEX_LENGTH` and the hash cases of
 * `validate`). Values arrive already lower-cased where MISP lower-cases them (attribute-normalise.ts).
 */
export const HASH_HEX_LENGTH: Readonly<Record<string, number>> = {
  authentihash: 64, md5: 32, imphash: 32, telfhash: 70, sha1: 40, 'git-commit-id': 40,
  'x509-fingerprint-md5': 32, 'x509-fingerprint-sha1': 40, 'x509-fingerprint-sha256': 64,
  'ja3-fingerprint-md5': 32, 'jarm-fingerprint': 62, 'hassh-md5': 32, 'hasshserver-md5': 32, pehash: 40,
  sha224: 56, sha256: 64, sha384: 96, sha512: 128, 'sha512/224': 56, 'sha512/256': 64,
  'sha3-224': 56, 'sha3-256': 64, 'sha3-384': 96, 'sha3-512': 128, 'dom-hash': 32,
};

/** Types checked by exact hex length (telfhash and pehash have their own messages). */
const FIXED_LENGTH_TYPES = new Set([
  'md5', 'imphash', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha512/224', 'sha512/256', 'sha3-224',
  'sha3-256', 'sha3-384', 'sha3-512', 'authentihash', 'ja3-fingerprint-md5', 'jarm-fingerprint', 'hassh-md5',
  'hasshserver-md5', 'x509-fingerprint-md5', 'x509-fingerprint-sha256', 'x509-fingerprint-sha1', 'git-commit-id',
  'dom-hash',
]);

/** `filename|<hash>` types checked as `^.+\|[0-9a-f]{N}$`. */
const FILENAME_FIXED_LENGTH = new Set([
  'filename|md5', 'filename|sha1', 'filename|imphash', 'filename|sha224', 'filename|sha256', 'filename|sha384',
  'filename|sha512', 'filename|sha512/224', 'filename|sha512/256', 'filename|sha3-224', 'filename|sha3-256',
  'filename|sha3-384', 'filename|sha3-512', 'filename|authentihash',
]);

const PEHASH_MESSAGE_TAIL =
  'Keep in mind that MISP currently only supports SHA1 for PEhashes, if you would like to get the support extended to other hash types, make sure to create a github ticket about it at https://github.com/MISP/MISP!';

function hasHexLength(value: string, length: number): boolean {
  return value.length === length && isHexDigits(value);
}

/** `filename|…` halves; the filename must be one line (PCRE `.+`). */
function splitFilename(value: string): [string, string] {
  const bar = value.indexOf('|');
  return [value.slice(0, bar), value.slice(bar + 1)];
}

/**
 * Validates a checksum-like type. Returns undefined when `type` is not one, so the caller falls through to
 * the other validators; otherwise true, MISP's message, or false for MISP's generic message.
 */
export function validateHashValue(type: string, value: string): boolean | string | undefined {
  if (FIXED_LENGTH_TYPES.has(type)) {
    const length = HASH_HEX_LENGTH[type] as number;
    return hasHexLength(value, length) ||
      `Checksum has an invalid length or format (expected: ${length} hexadecimal characters). Please double check the value or select type "other".`;
  }
  if (FILENAME_FIXED_LENGTH.has(type)) {
    const length = HASH_HEX_LENGTH[type.slice(9)] as number;
    return new RegExp(`^[^\\n]+\\|[0-9a-f]{${length}}$`).test(value) ||
      `Checksum has an invalid length or format (expected: filename|${length} hexadecimal characters). Please double check the value or select type "other".`;
  }
  switch (type) {
    case 'tlsh':
      return isTlsh(value) ||
        'Checksum has an invalid length or format (expected: at least 35 hexadecimal characters, optionally starting with t1 instead of hexadecimal characters). Please double check the value or select type "other".';
    case 'telfhash':
      return value.length === 70 || value.length === 72 ||
        'Checksum has an invalid length or format (expected: 70 or 72 hexadecimal characters). Please double check the value or select type "other".';
    case 'pehash':
      return hasHexLength(value, 40) ||
        `The input doesn't match the expected sha1 format (expected: 40 hexadecimal characters). ${PEHASH_MESSAGE_TAIL}`;
    case 'filename|pehash':
      return /^[^\n]+\|[0-9a-f]{40}$/.test(value) ||
        `The input doesn't match the expected filename|sha1 format (expected: filename|40 hexadecimal characters). ${PEHASH_MESSAGE_TAIL}`;
    case 'ssdeep':
      return isSsdeep(value) || 'Invalid SSDeep hash. The format has to be blocksize:hash:hash';
    case 'impfuzzy':
      return isImpfuzzy(value) || 'Invalid impfuzzy format. The format has to be imports:hash:hash';
    case 'cdhash':
      return /^[0-9a-f]{40,}$/.test(value) ||
        "The input doesn't match the expected format (expected: 40 or more hexadecimal characters)";
    case 'vhash':
      return /^[^\n]+$/.test(value);
    case 'filename|vhash':
      return /^[^\n]+\|[^\n]+$/.test(value) ||
        'Checksum has an invalid length or format (expected: filename|string characters). Please double check the value or select type "other".';
    case 'filename|ssdeep':
    case 'filename|tlsh':
    case 'filename|impfuzzy':
      return validateFilenameFuzzy(type, value);
    default:
      return undefined;
  }
}

function validateFilenameFuzzy(type: string, value: string): true | string {
  const [filename, hash] = splitFilename(value);
  if (filename.includes('\n')) return 'Filename must not contain new line character.';
  if (type === 'filename|ssdeep') return isSsdeep(hash) || 'Invalid ssdeep hash (expected: blocksize:hash:hash).';
  if (type === 'filename|tlsh') {
    return isTlsh(hash) ||
      'TLSH hash has an invalid length or format (expected: filename|at least 35 hexadecimal characters, optionally starting with t1 instead of hexadecimal characters). Please double check the value or select type "other".';
  }
  // filename|impfuzzy is newer than MISP 2.5.1's validator: checked like impfuzzy.
  return isImpfuzzy(hash) || 'Invalid impfuzzy format. The format has to be imports:hash:hash';
}
