import { createCipheriv, createDecipheriv, createPrivateKey, randomBytes, scrypt, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { TrustError } from './errors';

/**
 * A private key sealed with a password: scrypt(password, salt) → 32-byte key → AES-256-GCM over
 * the PKCS#8 DER. The GCM tag makes a wrong password (or an edited blob) fail cleanly instead of
 * yielding garbage. Default cost N = 2^17, r = 8 (as for login passwords); tests lower it.
 */
export const SealedKey = z.object({
  kdf: z.literal('scrypt'),
  logN: z.number().int().min(1).max(22),
  r: z.number().int().min(1).max(32),
  p: z.number().int().min(1).max(4),
  salt: z.string().min(1),
  cipher: z.literal('aes-256-gcm'),
  iv: z.string().min(1),
  tag: z.string().min(1),
  data: z.string().min(1),
});
export type SealedKey = z.infer<typeof SealedKey>;

export interface SealParams {
  logN: number;
  r: number;
  p: number;
}

export const DEFAULT_SEAL_PARAMS: SealParams = Object.freeze({ logN: 17, r: 8, p: 1 });

function derive(password: string, salt: Buffer, params: SealParams): Promise<Buffer> {
  const maxmem = 256 * 2 ** params.logN * params.r;
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, 32, { N: 2 ** params.logN, r: params.r, p: params.p, maxmem }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function sealPrivateKey(privateKey: KeyObject, password: string, params: SealParams = DEFAULT_SEAL_PARAMS): Promise<SealedKey> {
  if (password.length === 0) throw new TrustError('invalid-input', 'a password is needed to protect the key');
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await derive(password, salt, params);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  const data = Buffer.concat([cipher.update(der), cipher.final()]);
  return {
    kdf: 'scrypt',
    ...params,
    salt: salt.toString('base64'),
    cipher: 'aes-256-gcm',
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

/** Throws TrustError('wrong-password') when the password does not open the seal. */
export async function openSealedKey(sealed: SealedKey, password: string): Promise<KeyObject> {
  const key = await derive(password, Buffer.from(sealed.salt, 'base64'), sealed);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const der = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    throw new TrustError('wrong-password', 'the password does not unlock the owner key');
  }
}
