/**
 * Which parameter / field names carry secrets. Matching is on the name only, case-insensitive,
 * after percent-decoding, and errs towards redacting: a redacted harmless value costs little,
 * a logged session token costs the store.
 */

/** Substrings of the compacted name (lower case, separators removed) that always mean a secret. */
const SECRET_STEMS = [
  'token', // access_token, refresh_token, id_token, x-amz-security-token, _tb_token_, csrfmiddlewaretoken
  'password',
  'passwd',
  'passphrase',
  'secret', // client_secret, app_secret
  'csrf',
  'xsrf',
  'credential', // X-Amz-Credential
  'signature', // X-Amz-Signature, oauth_signature
  'sessionid',
  'sessid', // PHPSESSID
  'apikey',
  'authorization',
  'jwt',
];

/** Whole words inside the name (split on separators and camelCase) that mean a secret. */
const SECRET_WORDS = new Set(['pwd', 'pass', 'sig', 'sid', 'otp', 'totp', 'cvv', 'cvc', 'cookie']);

/** Compacted names that are secrets only as a whole ("code" is, "postal_code" is not). */
const SECRET_NAMES = new Set([
  'code', // OAuth authorization code
  'authcode',
  'oauthcode',
  'spapioauthcode', // Amazon SP-API authorisation
  'authorizationcode',
  'codeverifier',
  'oauthverifier',
  'key',
  'accesskey',
  'privatekey',
  'signingkey',
  'appkey',
  'clientkey',
  'authkey',
  'sessionkey',
  'encryptionkey',
  'auth',
  'session',
  'pin',
  'ticket',
  'samlresponse',
  'samlrequest',
]);

const cache = new Map<string, boolean>();
const CACHE_LIMIT = 4096;

/** True if a query parameter or detail field with this name should have its value redacted. */
export function isSecretName(rawName: string): boolean {
  const known = cache.get(rawName);
  if (known !== undefined) return known;
  const verdict = judge(decodeName(rawName));
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(rawName, verdict);
  return verdict;
}

function judge(name: string): boolean {
  const compact = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (compact === '') return false;
  if (SECRET_NAMES.has(compact)) return true;
  if (SECRET_STEMS.some((stem) => compact.includes(stem))) return true;
  return words(name).some((word) => SECRET_WORDS.has(word));
}

/** "X-Amz-Security-Token" → x amz security token; "userPWD" → user pwd; "APIKey" → api key. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

function decodeName(name: string): string {
  if (!name.includes('%') && !name.includes('+')) return name;
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}
