import { createPrivateKey, type KeyObject } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';
import { newId } from '../db/ids';
import type { SettingsRepo } from '../repos/settings';
import { fingerprintOf, generateSigningKeys } from './keys';

/**
 * This machine's identity for log bundles (F26): a random id, a display name and an Ed25519
 * key pair, created on first use and kept in `settings`. The private key is stored in clear:
 * it proves which installation a bundle came from, not that the person at that machine is
 * honest (they can read the database file anyway; see docs/audit.md).
 */
export const MACHINE_IDENTITY_SETTING = 'trust.machine-identity';

const StoredIdentity = z.object({ machineId: z.string(), name: z.string(), publicKeyPem: z.string(), privateKeyPem: z.string(), createdAt: z.number() });

export interface MachineIdentity {
  machineId: string;
  name: string;
  publicKeyPem: string;
  fingerprint: string;
  privateKey: KeyObject;
}

export function machineIdentity(settings: SettingsRepo, now: number, options: { name?: string } = {}): MachineIdentity {
  let stored = settings.get(MACHINE_IDENTITY_SETTING, StoredIdentity);
  if (!stored) {
    const { publicKeyPem, privateKey } = generateSigningKeys();
    stored = {
      machineId: newId(),
      name: (options.name ?? hostname()).slice(0, 80) || 'unnamed machine',
      publicKeyPem,
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      createdAt: now,
    };
    settings.set(MACHINE_IDENTITY_SETTING, stored);
  } else if (options.name !== undefined && options.name !== stored.name) {
    stored = { ...stored, name: options.name.slice(0, 80) };
    settings.set(MACHINE_IDENTITY_SETTING, stored);
  }
  return {
    machineId: stored.machineId,
    name: stored.name,
    publicKeyPem: stored.publicKeyPem,
    fingerprint: fingerprintOf(stored.publicKeyPem),
    privateKey: createPrivateKey(stored.privateKeyPem),
  };
}
