import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { dirname, posix, win32 } from 'node:path';
import { fingerprintOf, publicKeyFromPem } from './keys';
import type { PublicKeyInfo } from './owner-key';

/**
 * The owner's public key pinned by an administrator on a staff machine (F25): a PEM file in a
 * system-wide folder that only administrators may write. A key enrolled from the console lives
 * in shopwarden.db, which the staff member can edit or replace; this file they cannot, so it is
 * what makes a managed machine hold on to its owner's signed policy (see managed-policy.ts).
 * The place is fixed per system, never taken from the environment (which the person controls).
 */
export function defaultOwnerKeyFile(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return win32.join('C:\\ProgramData', 'ShopWarden', 'owner-key.pem');
  if (platform === 'darwin') return posix.join('/Library/Application Support', 'ShopWarden', 'owner-key.pem');
  return posix.join('/etc', 'shopwarden', 'owner-key.pem');
}

export type PinnedOwnerKey =
  /** No file there: the machine is managed only if enrolled from the console. */
  | { state: 'absent'; file: string | null }
  | { state: 'pinned'; file: string; key: PublicKeyInfo }
  /** A file is there but cannot be trusted: the machine is managed, and staff get no access. */
  | { state: 'unusable'; file: string; problem: string };

/** Larger than any PEM public key: a bigger file is not one. */
const MAX_PEM_BYTES = 16 * 1024;

/**
 * Reads the pinned key. `isWritable` says whether the account running ShopWarden could change
 * a path (default: a real check, see writableByThisAccount): a key file it could rewrite pins
 * nothing, so it is refused rather than trusted.
 */
export function readPinnedOwnerKey(file: string | null, isWritable: (path: string) => boolean = writableByThisAccount): PinnedOwnerKey {
  if (file === null) return { state: 'absent', file };
  const unusable = (problem: string): PinnedOwnerKey => ({ state: 'unusable', file, problem: `the owner key file ${file} ${problem}` });
  let size: number;
  try {
    size = statSync(file).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'absent', file };
    return unusable(`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (size > MAX_PEM_BYTES) return unusable(`is ${size} bytes long, too long for a public key`);
  let key: PublicKeyInfo;
  try {
    const parsed = publicKeyFromPem(readFileSync(file, 'utf8'));
    key = { publicKeyPem: parsed.export({ type: 'spki', format: 'pem' }).toString(), fingerprint: fingerprintOf(parsed) };
  } catch (error) {
    return unusable(`does not hold the owner's public key: ${(error as Error).message}`);
  }
  if (isWritable(file) || isWritable(dirname(file))) {
    return unusable('(or its folder) can be changed by the account running ShopWarden, so it pins nothing: let only administrators write them');
  }
  return { state: 'pinned', file, key };
}

/**
 * Whether this account may write `path`. Administrators (root) may write anything and are out
 * of the threat model, so for them this answers false. On Windows, Node can only see the
 * read-only attribute, not the folder's access list: there the file's place (ProgramData,
 * writable by administrators only by default) is what protects it.
 */
export function writableByThisAccount(path: string): boolean {
  if (process.platform === 'win32' || process.getuid?.() === 0) return false;
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
