import { parseDatetimeValue } from './datetime-value.js';
import { validateHashValue } from './hash-validators.js';
import { checkIpOrCidr, isIp } from './ip-address.js';
import { byteLength, isDigits, isHexDigits, isPhpNumeric } from './php-string.js';
import {
  isDomainName, isEmailLike, isOnionAddress, isPhpUrl, isPort, isSshFingerprint,
} from './value-patterns.js';
import { isUuid } from '../util/uuid.js';

/**
 * Per-type value validation (spec §2.11, `AttributeValidationTool::validate`), run on the normalised value.
 * Composite types reach it only with exactly one `|`. Messages are MISP's; a validator that only says "no"
 * in MISP gets MISP's generic rule message, {@link VALUE_FORMAT_MESSAGE}.
 */

/** The `userdefined` rule message MISP shows when a validator returns false. */
export const VALUE_FORMAT_MESSAGE = 'Value not in the right type/format. Please double check the value or select type "other".';

/** Types MISP accepts whatever their content. */
const ANY_CONTENT = new Set([
  'mutex', 'process-state', 'snort', 'bro', 'zeek', 'community-id', 'anonymised', 'pattern-in-file',
  'pattern-in-traffic', 'pattern-in-memory', 'filename-pattern', 'pgp-public-key', 'pgp-private-key', 'yara',
  'stix2-pattern', 'sigma', 'gene', 'kusto-query', 'mime-type', 'identity-card-number', 'cookie', 'attachment',
  'malware-sample', 'comment', 'text', 'other', 'cpe', 'email-attachment', 'email-body', 'email-header',
  'first-name', 'middle-name', 'last-name', 'full-name',
  // Newer than MISP 2.5.1's validator: a rule body, like snort.
  'suricata',
]);

/** Types MISP accepts as long as they hold a single line. Unknown future types are treated the same way. */
const SINGLE_LINE = new Set([
  'target-user', 'campaign-name', 'campaign-id', 'threat-actor', 'target-machine', 'target-org', 'target-location',
  'target-external', 'email-subject', 'malware-type', 'url', 'uri', 'user-agent', 'regkey', 'regkey|value',
  'filename', 'pdb', 'windows-scheduled-task', 'whois-registrant-name', 'whois-registrant-org', 'whois-registrar',
  'whois-creation-date', 'date-of-birth', 'place-of-birth', 'gender', 'passport-number', 'passport-country',
  'passport-expiration', 'redress-number', 'nationality', 'visa-number', 'issue-date-of-the-visa',
  'primary-residence', 'country-of-residence', 'special-service-request', 'frequent-flyer-number', 'travel-details',
  'payment-details', 'place-port-of-original-embarkation', 'place-port-of-clearance',
  'place-port-of-onward-foreign-destination', 'passenger-name-record-locator-number', 'email-dst-display-name',
  'email-src-display-name', 'email-reply-to', 'email-x-mailer', 'email-mime-boundary', 'email-thread-index',
  'email-message-id', 'github-username', 'github-repository', 'github-organisation', 'twitter-id', 'dkim',
  'dkim-signature', 'favicon-mmh3', 'chrome-extension-id', 'mobile-application-id', 'azure-application-id',
  'named pipe',
  // Newer than MISP 2.5.1's validator: an extension id, like chrome-extension-id.
  'edge-extension-id',
]);

const EMAIL_TYPES = new Set([
  'email', 'email-src', 'eppn', 'email-dst', 'target-email', 'whois-registrant-email', 'dns-soa-email', 'jabber-id',
]);

const NUMERIC_TYPES = new Set([
  'bin', 'cc-number', 'bank-account-nr', 'aba-rtn', 'prtn', 'phone-number', 'whois-registrant-phone', 'float',
]);

const HTTP_METHOD =
  /(OPTIONS|GET|HEAD|POST|PUT|DELETE|TRACE|CONNECT|PROPFIND|PROPPATCH|MKCOL|COPY|MOVE|LOCK|UNLOCK|VERSION-CONTROL|REPORT|CHECKOUT|CHECKIN|UNCHECKOUT|MKWORKSPACE|UPDATE|LABEL|MERGE|BASELINE-CONTROL|MKACTIVITY|ORDERPATCH|ACL|PATCH|SEARCH)/;

const PORT_MESSAGE = 'Port numbers have to be integers between 1 and 65535.';
const IP_MESSAGE = 'IP address has an invalid format.';

function singleLine(value: string): true | string {
  return !value.includes('\n') || 'Value must not contain new line character.';
}

function isJson(value: string): boolean {
  try {
    JSON.parse(value);
    return true;
  } catch {
    return false;
  }
}

function validateNetworkValue(type: string, value: string): boolean | string | undefined {
  const [left = '', right = ''] = value.split('|');
  switch (type) {
    case 'ip-src':
    case 'ip-dst':
      return checkIpOrCidr(value);
    case 'port':
      return isPort(value) || PORT_MESSAGE;
    case 'ip-dst|port':
    case 'ip-src|port':
      if (!isIp(left)) return IP_MESSAGE;
      return isPort(right) || PORT_MESSAGE;
    case 'onion-address':
      return isOnionAddress(value) || 'Onion address has an invalid format.';
    case 'mac-address':
      return /^([a-fA-F0-9]{2}:?){6}$/.test(value);
    case 'mac-eui-64':
      return /^([a-fA-F0-9]{2}:?){8}$/.test(value);
    case 'hostname':
    case 'domain':
      return isDomainName(value) ||
        `${type[0]?.toUpperCase()}${type.slice(1)} has an invalid format. Please double check the value or select type "other".`;
    case 'hostname|port':
      if (!isDomainName(left)) return 'Hostname has an invalid format.';
      return isPort(right) || PORT_MESSAGE;
    case 'domain|ip':
      if (!isDomainName(left)) return 'Domain has an invalid format.';
      return isIp(right) || IP_MESSAGE;
    case 'link':
      return isPhpUrl(value);
    default:
      return undefined;
  }
}

function validateOtherValue(type: string, value: string): boolean | string {
  switch (type) {
    case 'http-method':
      return HTTP_METHOD.test(value) || 'Unknown HTTP method.';
    case 'vulnerability':
      return /^CVE-[0-9]{4}-[0-9]{4,}$/.test(value) || 'Invalid format. Expected: CVE-xxxx-xxxx...';
    case 'weakness':
      return /^CWE-[0-9]+$/.test(value) || 'Invalid format. Expected: CWE-x...';
    case 'windows-service-name':
    case 'windows-service-displayname':
      return (byteLength(value) <= 256 && !/[\\/]/.test(value)) ||
        "Invalid format. Only values shorter than 256 characters that don't include any forward or backward slashes are allowed.";
    case 'hex':
      return isHexDigits(value);
    case 'ssh-fingerprint':
      return isSshFingerprint(value) || 'SSH fingerprint must be in MD5 or SHA256 format.';
    case 'datetime':
      return parseDatetimeValue(value) !== undefined || 'Datetime has to be in the ISO 8601 format.';
    case 'size-in-bytes':
    case 'counter':
      return isDigits(value) || 'The value has to be a whole number greater or equal 0.';
    case 'integer':
      // MISP 2.5.1 tests is_int() on a string and so refuses every value; Cairn accepts signed whole numbers.
      return /^[+-]?[0-9]+$/.test(value) || 'The value has to be an integer value.';
    case 'iban':
    case 'bic':
    case 'btc':
    case 'dash':
    case 'xmr':
      return /^[a-zA-Z0-9]+$/.test(value);
    case 'cortex':
      return isJson(value);
    case 'boolean':
      return value === '0' || value === '1';
    case 'AS':
      return (isDigits(value) && Number(value) <= 4294967295) || 'AS number have to be integer between 1 and 4294967295';
    case 'uuid':
      // Newer than MISP 2.5.1's validator.
      return isUuid(value) || 'Please provide a valid RFC 4122 UUID';
    default:
      return singleLine(value);
  }
}

/** MISP's verdict on a normalised value: true, or the message to report under `value`. */
export function validateAttributeValue(type: string, value: string): true | string {
  let verdict: boolean | string | undefined = validateHashValue(type, value);
  if (verdict === undefined) verdict = validateNetworkValue(type, value);
  if (verdict === undefined) {
    if (ANY_CONTENT.has(type)) verdict = true;
    else if (SINGLE_LINE.has(type)) verdict = singleLine(value);
    else if (EMAIL_TYPES.has(type)) {
      verdict = isEmailLike(value) || 'Email address has an invalid format. Please double check the value or select type "other".';
    } else if (NUMERIC_TYPES.has(type)) verdict = isPhpNumeric(value);
    else verdict = validateOtherValue(type, value);
  }
  return verdict === false ? VALUE_FORMAT_MESSAGE : verdict;
}
