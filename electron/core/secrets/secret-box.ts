// How secrets (proxy passwords) are kept at rest. The core cannot reach the OS keychain itself
// (it never imports electron), so the host hands it a SecretBox: the Electron host one backed by
// safeStorage (DPAPI / Keychain / libsecret), the system-browser host none (plain text, as the
// threat model says). Sealed values carry a prefix, so a database can hold both kinds while it is
// being converted and a sealed value is never mistaken for a password.

/** Seals and opens secret text. `seal` output must be plain ASCII (it goes into a TEXT column). */
export interface SecretBox {
  /** Shown in logs and the threat model: where the key lives. */
  readonly keeper: string;
  seal(plain: string): string;
  open(sealed: string): string;
}

export const SEALED_PREFIX = 'sealed:v1:';

export class SecretUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SecretUnavailableError';
  }
}

/** What is written to the secrets table for `plain`: sealed when a box is given. */
export function storedSecret(plain: string, box: SecretBox | null): string {
  return box ? SEALED_PREFIX + box.seal(plain) : plain;
}

/** The secret text behind a stored value; a sealed value without its box is an error, never a password. */
export function openedSecret(stored: string, box: SecretBox | null): string {
  if (!isSealed(stored)) return stored;
  if (!box) throw new SecretUnavailableError('this secret was sealed with the OS keychain of the machine that saved it and cannot be opened here; enter it again');
  try {
    return box.open(stored.slice(SEALED_PREFIX.length));
  } catch (cause) {
    throw new SecretUnavailableError(`the OS keychain could not open this secret (${(cause as Error).message}); enter it again`, { cause });
  }
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(SEALED_PREFIX);
}
