import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { UserCredentials } from '../repos/users';

/**
 * Password hashing with scrypt (node:crypto). Cost N = 2^logN, block size r, parallelism p.
 * Default N = 2^17, r = 8, p = 1: OWASP's recommended minimum for scrypt — 128 MiB and about
 * 0.1-0.5 s per hash on a desktop, run on libuv's thread pool so the app stays responsive.
 * The parameters are written into every stored hash ("scrypt$ln=17,r=8,p=1$<key>"), so they can
 * be raised later: old hashes still verify with their own parameters and are re-hashed with
 * the new ones at the next successful login (see needsRehash). Each user has a 16-byte random
 * salt (base64, in users.password_salt).
 */
export interface ScryptParams {
  logN: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT_PARAMS: ScryptParams = Object.freeze({ logN: 17, r: 8, p: 1 });

const SALT_BYTES = 16;
const KEY_BYTES = 32;
const FORMAT = /^scrypt\$ln=(\d{1,2}),r=(\d{1,3}),p=(\d{1,2})\$([A-Za-z0-9+/]+={0,2})$/;
/** Refuse parameters from a damaged row that would make one login eat gigabytes. */
const MAX_MEMORY_BYTES = 1024 ** 3;

function memoryBytes({ logN, r }: ScryptParams): number {
  return 128 * 2 ** logN * r;
}

function checkParams(params: ScryptParams): ScryptParams {
  const { logN, r, p } = params;
  const valid = [logN, r, p].every(Number.isInteger) && logN >= 1 && logN <= 30 && r >= 1 && p >= 1 && p <= 16 && memoryBytes(params) <= MAX_MEMORY_BYTES;
  if (!valid) throw new Error(`scrypt parameters out of range: ln=${logN}, r=${r}, p=${p}`);
  return params;
}

function deriveKey(password: string, salt: Buffer, params: ScryptParams, keyBytes: number): Promise<Buffer> {
  const { logN, r, p } = checkParams(params);
  // NFKC so a password typed through different keyboards / input methods hashes the same.
  const secret = password.normalize('NFKC');
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, keyBytes, { N: 2 ** logN, r, p, maxmem: 2 * memoryBytes(params) }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function encode(params: ScryptParams, key: Buffer): string {
  return `scrypt$ln=${params.logN},r=${params.r},p=${params.p}$${key.toString('base64')}`;
}

function decode(stored: string): { params: ScryptParams; key: Buffer } {
  const match = FORMAT.exec(stored);
  if (!match) throw new Error('stored password hash is not in a known format');
  const [, logN, r, p, encodedKey] = match;
  const key = Buffer.from(encodedKey!, 'base64');
  if (key.length < 16) throw new Error('stored password hash is too short');
  return { params: checkParams({ logN: Number(logN), r: Number(r), p: Number(p) }), key };
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): Promise<UserCredentials> {
  const salt = randomBytes(SALT_BYTES);
  const key = await deriveKey(password, salt, params, KEY_BYTES);
  return { passwordHash: encode(params, key), passwordSalt: salt.toString('base64') };
}

/** Recomputes with the stored parameters and compares in constant time. */
export async function verifyPassword(password: string, credentials: UserCredentials): Promise<boolean> {
  const { params, key } = decode(credentials.passwordHash);
  const candidate = await deriveKey(password, Buffer.from(credentials.passwordSalt, 'base64'), params, key.length);
  return timingSafeEqual(candidate, key);
}

/** True when the stored hash is cheaper than `params` asks for now. */
export function needsRehash(credentials: UserCredentials, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): boolean {
  const stored = decode(credentials.passwordHash).params;
  return stored.logN < params.logN || stored.r < params.r || stored.p < params.p;
}

/**
 * Credentials nobody's password matches (random key), to verify against when the username is
 * unknown: the answer costs one scrypt either way, so timing does not tell who has an account.
 */
export function dummyCredentials(params: ScryptParams = DEFAULT_SCRYPT_PARAMS): UserCredentials {
  return { passwordHash: encode(checkParams(params), randomBytes(KEY_BYTES)), passwordSalt: randomBytes(SALT_BYTES).toString('base64') };
}
