import { createHash, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../audit/canonical';
import { TrustError } from './errors';

/**
 * Ed25519 keys as used by policy and log bundles: keys travel as SPKI/PKCS#8 PEM text, a key is
 * named by its fingerprint (SHA-256 of the SPKI DER, hex), and a document is signed over its
 * canonical JSON (sorted keys, no whitespace: see audit/canonical), so re-indenting a bundle
 * does not break it while any change of a value does.
 */

export interface SigningKeyPair {
  publicKeyPem: string;
  privateKey: KeyObject;
}

export function generateSigningKeys(): SigningKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKey };
}

/** Parses an Ed25519 public key from PEM; anything else is refused with a clear message. */
export function publicKeyFromPem(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw new TrustError('invalid-input', 'not a public key in PEM format ("-----BEGIN PUBLIC KEY-----")');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new TrustError('invalid-input', `expected an Ed25519 key, got ${key.asymmetricKeyType ?? 'an unknown key type'}`);
  return key;
}

export function publicKeyPemOf(privateKey: KeyObject): string {
  return createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
}

/** SHA-256 of the key's SPKI DER, 64 hex characters. */
export function fingerprintOf(publicKey: KeyObject | string): string {
  const key = typeof publicKey === 'string' ? publicKeyFromPem(publicKey) : publicKey;
  return createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex');
}

/** Defined with the contract, where the console formats fingerprints the same way. */
export { shortFingerprint } from '../../../shared/ipc/trust';

/** Base64 Ed25519 signature over the canonical JSON of `fields`. */
export function signFields(privateKey: KeyObject, fields: Record<string, unknown>): string {
  return sign(null, Buffer.from(canonicalJson(fields), 'utf8'), privateKey).toString('base64');
}

/** False for a wrong signature, a malformed one, or fields that are not JSON data. */
export function verifyFields(publicKey: KeyObject, fields: Record<string, unknown>, signature: string): boolean {
  try {
    const bytes = Buffer.from(signature, 'base64');
    if (bytes.length !== 64 || bytes.toString('base64') !== signature) return false;
    return verify(null, Buffer.from(canonicalJson(fields), 'utf8'), publicKey, bytes);
  } catch {
    return false;
  }
}
