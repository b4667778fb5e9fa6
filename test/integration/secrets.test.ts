// Proxy passwords at rest: sealed by the host's SecretBox (Electron: the OS keychain through
// safeStorage), never readable from the database file, converted when a keychain appears, and a
// sealed value that cannot be opened is a clear error, never a wrong password.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../electron/core/db/open';
import { RepoError } from '../../electron/core/db/errors';
import { createRepositories } from '../../electron/core/repos';
import { SEALED_PREFIX, type SecretBox } from '../../electron/core/secrets/secret-box';
import { keychainSecretBox } from '../../electron/main/keychain';
import { amazonUs, freshDir } from './db-test-helpers';

/** A real cipher standing in for the OS keychain: AES-256-GCM under a key only this box holds. */
function aesBox(key = randomBytes(32)): SecretBox {
  return {
    keeper: 'test AES-256-GCM',
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    open(sealed) {
      const bytes = Buffer.from(sealed, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(12, 28));
      return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

const proxy = { scheme: 'http' as const, host: 'proxy.example', port: 3128, username: 'u', password: 'hunter22-secret' };

function openAt(file: string, secretBox: SecretBox | null) {
  const db = openDatabase(file);
  return { db, repos: createRepositories(db, { secretBox }) };
}

test('with a keychain the proxy password is sealed in the file and opened for the host', () => {
  const file = join(freshDir(), 'shopwarden.db');
  const box = aesBox();
  const { db, repos } = openAt(file, box);
  const store = repos.stores.create(amazonUs({ proxy }));
  const stored = (db.prepare('SELECT value FROM secrets').get() as { value: string }).value;
  assert.ok(stored.startsWith(SEALED_PREFIX), stored);
  assert.equal(repos.stores.getWithSecrets(store.id)!.proxy!.password, proxy.password);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  assert.ok(!readFileSync(file).includes(proxy.password), 'the password is nowhere in the database file');
});

test('plain secrets saved before the keychain are sealed at once, in one go', () => {
  const file = join(freshDir(), 'shopwarden.db');
  const before = openAt(file, null);
  const a = before.repos.stores.create(amazonUs({ name: 'A', proxy }));
  const b = before.repos.stores.create(amazonUs({ name: 'B', proxy: { ...proxy, password: 'other-secret' } }));
  assert.equal((before.db.prepare('SELECT value FROM secrets WHERE store_id = ?').get(a.id) as { value: string }).value, proxy.password);
  before.db.close();

  const box = aesBox();
  const after = openAt(file, box);
  assert.equal(after.repos.stores.sealPlainSecrets(), 2);
  assert.equal(after.repos.stores.sealPlainSecrets(), 0, 'nothing left to seal');
  const values = (after.db.prepare('SELECT value FROM secrets').all() as { value: string }[]).map((r) => r.value);
  assert.ok(values.every((v) => v.startsWith(SEALED_PREFIX)), values.join());
  assert.equal(after.repos.stores.getWithSecrets(a.id)!.proxy!.password, proxy.password);
  assert.equal(after.repos.stores.getWithSecrets(b.id)!.proxy!.password, 'other-secret');
  after.db.close();
});

test('a sealed secret that cannot be opened here is a clear error, and the rest of the store still reads', () => {
  const file = join(freshDir(), 'shopwarden.db');
  const first = openAt(file, aesBox());
  const store = first.repos.stores.create(amazonUs({ proxy }));
  first.db.close();

  const cannotOpen = (e: unknown) => e instanceof RepoError && e.code === 'conflict' && /proxy password of this store cannot be read.*enter it again/.test(e.message);
  // Another machine (no keychain), or the same machine with another keychain key.
  for (const box of [null, aesBox()]) {
    const { db, repos } = openAt(file, box);
    assert.throws(() => repos.stores.getWithSecrets(store.id), cannotOpen);
    assert.equal(repos.stores.get(store.id)!.proxy!.host, 'proxy.example');
    // Entering it again replaces it.
    repos.stores.update(store.id, { proxy: { ...proxy, password: 'typed-again' } });
    assert.equal(repos.stores.getWithSecrets(store.id)!.proxy!.password, 'typed-again');
    db.close();
    const reset = openAt(file, aesBox());
    reset.repos.stores.update(store.id, { proxy: { ...proxy, password: 'x' } });
    reset.db.close();
  }
});

test('Electron: safeStorage seals only with a real keychain (never Linux "basic_text")', () => {
  const fake = (available: boolean, backend: 'basic_text' | 'gnome_libsecret' | 'unknown') => ({
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (plain: string) => Buffer.from([...Buffer.from(plain)].map((x) => x ^ 0x5a)),
    decryptString: (sealed: Buffer) => Buffer.from([...sealed].map((x) => x ^ 0x5a)).toString(),
  });
  assert.equal(keychainSecretBox(fake(false, 'gnome_libsecret'), 'linux'), null);
  assert.equal(keychainSecretBox(fake(true, 'basic_text'), 'linux'), null);
  assert.equal(keychainSecretBox(fake(true, 'unknown'), 'linux'), null);
  const box = keychainSecretBox(fake(true, 'gnome_libsecret'), 'linux')!;
  assert.match(box.keeper, /gnome_libsecret/);
  const sealed = box.seal('pässword');
  assert.notEqual(sealed, 'pässword');
  assert.equal(box.open(sealed), 'pässword');
  assert.match(keychainSecretBox(fake(true, 'unknown'), 'win32')!.keeper, /win32/);
});
