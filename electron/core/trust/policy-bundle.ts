import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { Timestamp } from '../../../shared/model/common';
import type { SettingsRepo } from '../repos/settings';
import { changeEvent, type TrustDeps } from './deps';
import { reject, TrustError, type Rejection } from './errors';
import { fingerprintOf, publicKeyFromPem, publicKeyPemOf, signFields, verifyFields } from './keys';
import { ownerPublicKey, type PublicKeyInfo } from './owner-key';
import { collectPolicy, PolicyPayload, replacePolicyTables, type PolicyReplacement } from './policy-payload';
import { HASH_PATTERN } from './chain';
import { noteStoreWipes } from './store-data-wipes';

/**
 * Policy bundles (F25). The owner signs stores, staff, roles and assignments (policy-payload.ts)
 * with their Ed25519 key into one JSON file:
 *   { format, version, createdAt, ownerFingerprint, payload, signature }
 * where `signature` is Ed25519 over the canonical JSON of all the other fields and `version`
 * counts up with every export. A staff machine that trusts the owner's public key (enrolled, or
 * pinned by file) applies a bundle only if it names that key, the signature verifies with that
 * key (never with anything the file brings) and its version is higher than the last applied;
 * then the policy tables are replaced in one transaction and the bundle's text is kept (see
 * managed-policy.ts). Any refusal leaves the database unchanged.
 */
export const POLICY_BUNDLE_FORMAT = 'shopwarden-policy-bundle/1';
export const POLICY_VERSION_SETTING = 'trust.policy-bundle.version';
export const POLICY_APPLIED_SETTING = 'trust.policy-bundle.applied';
/** The text of the bundle applied last, kept so its policy can be checked against the tables (managed-policy.ts). */
export const POLICY_SIGNED_SETTING = 'trust.policy-bundle.signed';

const PolicyBundle = z
  .object({
    format: z.literal(POLICY_BUNDLE_FORMAT),
    version: z.number().int().positive(),
    createdAt: Timestamp,
    ownerFingerprint: HASH_PATTERN,
    payload: z.unknown(),
    signature: z.string().min(1).max(200),
  })
  .strict();

const AppliedPolicy = z.object({ version: z.number(), fingerprint: z.string(), createdAt: z.number(), appliedAt: z.number() });
export type AppliedPolicy = z.infer<typeof AppliedPolicy>;

export interface ExportedPolicyBundle {
  version: number;
  /** The file's text (pretty JSON; the signature does not depend on whitespace). */
  text: string;
  counts: { stores: number; staff: number; roles: number; assignments: number };
}

/** Owner machine: signs the current policy with the unlocked owner key (see unlockOwnerKey). */
export function exportPolicyBundle(deps: TrustDeps, ownerKey: KeyObject, actorId: string | null): ExportedPolicyBundle {
  const stored = ownerPublicKey(deps.repos.settings);
  if (!stored) throw new TrustError('no-key', 'create the owner key before exporting policy');
  const fingerprint = fingerprintOf(publicKeyPemOf(ownerKey));
  if (fingerprint !== stored.fingerprint) throw new TrustError('conflict', "this private key is not the owner key stored on this machine");
  const { version, payload, createdAt } = deps.db.transaction(() => {
    const version = (deps.repos.settings.get(POLICY_VERSION_SETTING, z.number().int()) ?? 0) + 1;
    deps.repos.settings.set(POLICY_VERSION_SETTING, version);
    return { version, payload: collectPolicy(deps.repos), createdAt: deps.clock() };
  }).immediate();
  const fields = { format: POLICY_BUNDLE_FORMAT, version, createdAt, ownerFingerprint: fingerprint, payload };
  const text = `${JSON.stringify({ ...fields, signature: signFields(ownerKey, fields) }, null, 1)}\n`;
  const counts = { stores: payload.stores.length, staff: payload.staff.length, roles: payload.roles.length, assignments: payload.assignments.length };
  deps.log?.(changeEvent(createdAt, actorId, { entity: 'policy-bundle', action: 'create', id: String(version), before: null, after: { version, fingerprint, ...counts }, source: 'policy-bundle' }));
  return { version, text, counts };
}

export type PolicyRejectionCode = 'malformed' | 'not-enrolled' | 'wrong-key' | 'bad-signature' | 'stale-version' | 'invalid-payload' | 'conflict';

export type CheckedPolicyBundle = { ok: true; version: number; createdAt: number; fingerprint: string; payload: PolicyPayload } | Rejection<PolicyRejectionCode>;

/**
 * Every check except the version, without changing anything. `trustedKey` is the only key the
 * signature may verify with (ManagedPolicy.trustedKey: pinned by file, else enrolled).
 */
export function checkPolicyBundle(trustedKey: PublicKeyInfo | null, text: string): CheckedPolicyBundle {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return reject('malformed', 'the file is not JSON (damaged or truncated?)');
  }
  const parsed = PolicyBundle.safeParse(json);
  if (!parsed.success) return reject('malformed', `not a ShopWarden policy bundle: ${z.prettifyError(parsed.error)}`);
  const bundle = parsed.data;
  if (!trustedKey) return reject('not-enrolled', "this machine is not enrolled with an owner key; enrol it with the owner's public key first");
  if (bundle.ownerFingerprint !== trustedKey.fingerprint) {
    return reject('wrong-key', `the bundle was signed by key ${bundle.ownerFingerprint.slice(0, 16)}…, but this machine trusts only ${trustedKey.fingerprint.slice(0, 16)}…`);
  }
  const { signature, ...fields } = bundle;
  if (!verifyFields(publicKeyFromPem(trustedKey.publicKeyPem), fields, signature)) {
    return reject('bad-signature', "the signature does not match the owner's key: the bundle was altered or not signed by the owner");
  }
  const payload = PolicyPayload.safeParse(bundle.payload);
  if (!payload.success) return reject('invalid-payload', `the signed policy is not valid here: ${z.prettifyError(payload.error)}`);
  return { ok: true, version: bundle.version, createdAt: bundle.createdAt, fingerprint: bundle.ownerFingerprint, payload: payload.data };
}

export type PolicyApplyResult = ({ ok: true; version: number; fingerprint: string } & PolicyReplacement) | Rejection<PolicyRejectionCode>;

/**
 * Staff machine: checks and applies a bundle in one IMMEDIATE transaction. On success the
 * service reloads the policy (lost access closes tabs) and wipes the sessions of
 * `removedStoreIds`, noted for it in the same transaction (store-data-wipes.ts). Refusals are
 * logged as policy-error rows (reason policy-bundle-<code>).
 */
export function applyPolicyBundle(deps: TrustDeps, text: string, actorId: string | null, trustedKey: PublicKeyInfo | null): PolicyApplyResult {
  const now = deps.clock();
  const result = ((): PolicyApplyResult => {
    const checked = checkPolicyBundle(trustedKey, text);
    if (!checked.ok) return checked;
    try {
      return deps.db.transaction((): PolicyApplyResult => {
        const last = deps.repos.settings.get(POLICY_APPLIED_SETTING, AppliedPolicy);
        if (last && checked.version <= last.version) {
          return reject('stale-version', `bundle version ${checked.version} is not newer than the applied version ${last.version} (replayed or out of date)`);
        }
        const replaced = replacePolicyTables(deps.db, checked.payload, now);
        noteStoreWipes(deps.repos.settings, replaced.removedStoreIds);
        deps.repos.settings.set(POLICY_APPLIED_SETTING, { version: checked.version, fingerprint: checked.fingerprint, createdAt: checked.createdAt, appliedAt: now });
        deps.repos.settings.set(POLICY_SIGNED_SETTING, text);
        return { ok: true, version: checked.version, fingerprint: checked.fingerprint, ...replaced };
      }).immediate();
    } catch (error) {
      if (error instanceof TrustError && error.code === 'conflict') return reject('conflict', error.message);
      throw error;
    }
  })();
  if (result.ok) {
    const { counts, removedStoreIds, removedStaffIds, newStaffIds } = result;
    deps.log?.(
      changeEvent(now, actorId, {
        entity: 'policy-bundle',
        action: 'update',
        id: String(result.version),
        before: null,
        after: { version: result.version, fingerprint: result.fingerprint, ...counts, removedStoreIds, removedStaffIds, newStaffIds },
        source: 'policy-bundle',
      }),
    );
  } else {
    deps.log?.({ ts: now, kind: 'policy-error', actorId, reason: `policy-bundle-${result.code}`, detail: { reason: result.reason } });
  }
  return result;
}

/** The last bundle applied on this machine, or null. */
export function appliedPolicy(settings: SettingsRepo): AppliedPolicy | null {
  return settings.get(POLICY_APPLIED_SETTING, AppliedPolicy) ?? null;
}
