// Proxy passwords at rest, sealed with the OS keychain through safeStorage (DPAPI on Windows,
// Keychain on macOS, libsecret/KWallet on Linux). Linux without a keyring falls back to a
// hard-coded key ("basic_text"), which protects nothing: then no box is used and the threat
// model's plain-text caveat applies, rather than pretending.
//
// The synchronous calls are deprecated in favour of the async ones, but sealing happens inside
// the repositories' synchronous SQLite transactions, where nothing can be awaited.
import type { SafeStorage } from 'electron';
import type { SecretBox } from '../core/secrets/secret-box';

type Keychain = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> & { getSelectedStorageBackend?: SafeStorage['getSelectedStorageBackend'] };

/** A SecretBox over safeStorage, or null when the machine has no real keychain. Call after `ready`. */
export function keychainSecretBox(safeStorage: Keychain, platform: NodeJS.Platform): SecretBox | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  const backend = platform === 'linux' ? (safeStorage.getSelectedStorageBackend?.() ?? 'unknown') : platform;
  if (backend === 'basic_text' || backend === 'unknown') return null;
  return {
    keeper: `OS keychain (${backend})`,
    seal: (plain) => safeStorage.encryptString(plain).toString('base64'),
    open: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
  };
}
