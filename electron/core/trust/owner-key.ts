import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { SettingsRepo } from '../repos/settings';
import { TrustError } from './errors';
import { fingerprintOf, generateSigningKeys, publicKeyFromPem, publicKeyPemOf } from './keys';
import { DEFAULT_SEAL_PARAMS, openSealedKey, SealedKey, sealPrivateKey, type SealParams } from './sealed-key';

/**
 * The owner's Ed25519 key (F25). On the owner's machine: the public key in clear and the
 * private key sealed with the owner's password (sealed-key.ts) in `settings`. On a staff
 * machine: the owner's public key the machine was enrolled with, and nothing else.
 */
export const OWNER_KEY_SETTING = 'trust.owner-key';
export const ENROLLED_OWNER_KEY_SETTING = 'trust.enrolled-owner-key';

const StoredOwnerKey = z.object({ publicKeyPem: z.string(), fingerprint: z.string(), createdAt: z.number(), sealed: SealedKey });
const EnrolledKey = z.object({ publicKeyPem: z.string(), fingerprint: z.string(), enrolledAt: z.number() });

export interface PublicKeyInfo {
  publicKeyPem: string;
  fingerprint: string;
}

/**
 * Creates the owner key pair and seals the private half with `password` (the owner's login
 * password is the natural choice; after a password change call resealOwnerKey). Refuses to
 * replace an existing key unless `replace`: every enrolled staff machine would have to be
 * enrolled again.
 */
export async function createOwnerKey(settings: SettingsRepo, password: string, now: number, options: { replace?: boolean; seal?: SealParams } = {}): Promise<PublicKeyInfo> {
  if (!options.replace && ownerPublicKey(settings)) throw new TrustError('conflict', 'an owner key exists already; replacing it means enrolling every staff machine again');
  const { publicKeyPem, privateKey } = generateSigningKeys();
  const sealed = await sealPrivateKey(privateKey, password, options.seal ?? DEFAULT_SEAL_PARAMS);
  const fingerprint = fingerprintOf(publicKeyPem);
  settings.set(OWNER_KEY_SETTING, { publicKeyPem, fingerprint, createdAt: now, sealed });
  return { publicKeyPem, fingerprint };
}

/** The owner's public key (to hand to staff machines), or null before createOwnerKey. */
export function ownerPublicKey(settings: SettingsRepo): PublicKeyInfo | null {
  const stored = settings.get(OWNER_KEY_SETTING, StoredOwnerKey);
  return stored ? { publicKeyPem: stored.publicKeyPem, fingerprint: stored.fingerprint } : null;
}

/** The private key, for signing one bundle; throws TrustError('wrong-password' | 'no-key'). */
export async function unlockOwnerKey(settings: SettingsRepo, password: string): Promise<KeyObject> {
  const stored = settings.get(OWNER_KEY_SETTING, StoredOwnerKey);
  if (!stored) throw new TrustError('no-key', 'there is no owner key on this machine yet');
  const key = await openSealedKey(stored.sealed, password);
  if (fingerprintOf(publicKeyPemOf(key)) !== stored.fingerprint) throw new TrustError('conflict', 'the sealed owner key does not match its public key (settings edited?)');
  return key;
}

/**
 * The private key re-sealed under a new password (when the owner changes theirs), computed here
 * and written by the function answered, meant for the transaction that writes the new password
 * (a crash in between would leave the key sealed under a password no longer anyone's). Null
 * when there is no key yet.
 */
export async function resealOwnerKey(settings: SettingsRepo, oldPassword: string, newPassword: string, options: { seal?: SealParams } = {}): Promise<(() => void) | null> {
  const stored = settings.get(OWNER_KEY_SETTING, StoredOwnerKey);
  if (!stored) return null;
  const key = await openSealedKey(stored.sealed, oldPassword);
  const sealed = await sealPrivateKey(key, newPassword, options.seal ?? DEFAULT_SEAL_PARAMS);
  return () => settings.set(OWNER_KEY_SETTING, { ...stored, sealed });
}

/** Staff machine: trust policy bundles signed by this key (replaces an earlier enrolment). */
export function enrollOwnerKey(settings: SettingsRepo, publicKeyPem: string, now: number): PublicKeyInfo {
  const key = publicKeyFromPem(publicKeyPem);
  const pem = key.export({ type: 'spki', format: 'pem' }).toString();
  const fingerprint = fingerprintOf(key);
  settings.set(ENROLLED_OWNER_KEY_SETTING, { publicKeyPem: pem, fingerprint, enrolledAt: now });
  return { publicKeyPem: pem, fingerprint };
}

export function enrolledOwnerKey(settings: SettingsRepo): (PublicKeyInfo & { enrolledAt: number }) | null {
  return settings.get(ENROLLED_OWNER_KEY_SETTING, EnrolledKey) ?? null;
}
