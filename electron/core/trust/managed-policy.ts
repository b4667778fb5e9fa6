import { z } from 'zod';
import { canonicalJson } from '../audit/canonical';
import type { TrustDeps } from './deps';
import { TrustError } from './errors';
import { enrolledOwnerKey, type PublicKeyInfo } from './owner-key';
import type { PinnedOwnerKey } from './pinned-owner-key';
import { appliedPolicy, checkPolicyBundle, POLICY_SIGNED_SETTING, type CheckedPolicyBundle } from './policy-bundle';
import { collectPolicy, replacePolicyTables, type PolicyPayload, type PolicyReplacement } from './policy-payload';
import { noteStoreWipes } from './store-data-wipes';

/**
 * Managed staff machines (F25): a staff machine whose owner has pinned their key (an
 * administrator-only file, pinned-owner-key.ts) or enrolled it and applied a signed bundle takes
 * its policy from signed bundles only.
 * - Before the guard's policy is built, the kept text of the last applied bundle is checked with
 *   the trusted key, and the policy tables are compared with it; if they say anything else
 *   (shopwarden.db edited with another tool), they are put back from it in one transaction and
 *   that is logged (policy-error / policy-tampered).
 * - With no valid signed policy (pinned key, nothing or something forged applied), staff get no
 *   access at all, logged once per problem (policy-error / policy-unsigned).
 * - Console edits of what bundles carry are refused (the contract's `changesPolicy` channels).
 * A key only enrolled from the console lives in the database itself: that stops edits of the
 * policy tables, not someone who removes the enrolment too; the pinned file does.
 */
export type PolicyManagement =
  | { managed: false }
  | {
      managed: true;
      keySource: 'pinned-file' | 'enrolled';
      /** The pinned file, for the console to name. */
      keyFile: string | null;
      /** Version of the signed policy in force, or null when there is none that verifies. */
      version: number | null;
      /** Why staff have no access, or null. */
      problem: string | null;
    };

/** What changed, by kind: ids present on one side only or different (timestamps aside). */
export type PolicyDifferences = Record<keyof PolicyPayload, string[]>;

export class ManagedPolicy {
  /** The last stored text checked, and the verdict (verifying a large bundle is not free). */
  private checked: { text: string; keyFingerprint: string; verdict: CheckedPolicyBundle } | null = null;
  /** The problem last logged, so a lasting one is logged once rather than at every build. */
  private loggedProblem: string | null = null;

  constructor(
    private readonly deps: TrustDeps,
    private readonly pinned: PinnedOwnerKey,
  ) {}

  /** The key policy bundles must be signed with: the pinned one, else the enrolled one, else none. */
  trustedKey(): PublicKeyInfo | null {
    if (this.pinned.state === 'pinned') return this.pinned.key;
    if (this.pinned.state === 'unusable') return null;
    return enrolledOwnerKey(this.deps.repos.settings);
  }

  /** The pinned key file in force (then enrolment from the console is refused), or null. */
  get pinnedFile(): string | null {
    return this.pinned.state === 'absent' ? null : this.pinned.file;
  }

  /** The key the pinned file holds and the file, or null (no file, or one that cannot be trusted). */
  get pinnedKey(): (PublicKeyInfo & { file: string }) | null {
    return this.pinned.state === 'pinned' ? { ...this.pinned.key, file: this.pinned.file } : null;
  }

  status(): PolicyManagement {
    return this.inspect().management;
  }

  isManaged(): boolean {
    return this.status().managed;
  }

  /**
   * Called before every build of the guard's policy: puts tampered tables back from the signed
   * policy and answers whether staff may have any access. Never throws: a failure to restore is
   * a problem (no staff access), logged.
   */
  hold(): { staffAccess: boolean; restored: PolicyReplacement | null } {
    const { management, payload } = this.inspect();
    if (!management.managed) return this.settle(null, { staffAccess: true, restored: null });
    if (management.problem !== null || payload === null) return this.settle(management.problem, { staffAccess: false, restored: null });
    const differences = policyDifferences(collectPolicy(this.deps.repos), payload);
    if (differences === null) return this.settle(null, { staffAccess: true, restored: null });
    const now = this.deps.clock();
    let restored: PolicyReplacement;
    try {
      restored = this.deps.db
        .transaction(() => {
          const replaced = replacePolicyTables(this.deps.db, payload, now);
          noteStoreWipes(this.deps.repos.settings, replaced.removedStoreIds);
          return replaced;
        })
        .immediate();
    } catch (error) {
      const reason = error instanceof TrustError ? error.message : `could not restore the signed policy: ${(error as Error).message}`;
      return this.settle(`the policy tables were changed outside ShopWarden and ${reason}`, { staffAccess: false, restored: null });
    }
    this.deps.log?.({ ts: now, kind: 'policy-error', actorId: null, reason: 'policy-tampered', detail: { restoredVersion: management.version, differences } });
    return this.settle(null, { staffAccess: true, restored });
  }

  private settle<T>(problem: string | null, result: T): T {
    if (problem !== null && problem !== this.loggedProblem) {
      this.deps.log?.({ ts: this.deps.clock(), kind: 'policy-error', actorId: null, reason: 'policy-unsigned', detail: { problem } });
    }
    this.loggedProblem = problem;
    return result;
  }

  private inspect(): { management: PolicyManagement; payload: PolicyPayload | null } {
    const { settings } = this.deps.repos;
    const applied = appliedPolicy(settings);
    const keySource: 'pinned-file' | 'enrolled' = this.pinned.state === 'absent' ? 'enrolled' : 'pinned-file';
    const key = this.trustedKey();
    // Enrolled but nothing applied yet: the owner of this machine still sets it up by hand.
    if (keySource === 'enrolled' && (key === null || applied === null)) return { management: { managed: false }, payload: null };
    const managed = (version: number | null, problem: string | null) => ({ managed: true as const, keySource, keyFile: this.pinnedFile, version, problem });
    if (this.pinned.state === 'unusable') return { management: managed(null, this.pinned.problem), payload: null };
    if (key === null) return { management: managed(null, 'no owner key is trusted'), payload: null };
    const text = settings.get(POLICY_SIGNED_SETTING, z.string());
    if (applied === null || text === undefined) return { management: managed(null, 'no policy bundle signed with the owner key has been applied on this machine yet'), payload: null };
    const verdict = this.verify(key, text);
    if (!verdict.ok) return { management: managed(null, `the policy bundle kept on this machine does not verify (${verdict.code}): ${verdict.reason}`), payload: null };
    if (verdict.version !== applied.version) {
      return { management: managed(null, `the policy bundle kept on this machine is version ${verdict.version}, but version ${applied.version} was applied`), payload: null };
    }
    return { management: managed(verdict.version, null), payload: verdict.payload };
  }

  private verify(key: PublicKeyInfo, text: string): CheckedPolicyBundle {
    const cached = this.checked;
    if (cached && cached.text === text && cached.keyFingerprint === key.fingerprint) return cached.verdict;
    const verdict = checkPolicyBundle(key, text);
    this.checked = { text, keyFingerprint: key.fingerprint, verdict };
    return verdict;
  }
}

const KINDS = ['stores', 'staff', 'roles', 'assignments'] as const satisfies ReadonlyArray<keyof PolicyPayload>;

/**
 * Where the tables (`current`) and the signed policy differ, or null when they agree. Times of
 * creation and change are left out: the owner's and this machine's clocks stamp them, and a
 * proxy password entered here (not in any bundle) touches its store's.
 */
export function policyDifferences(current: PolicyPayload, signed: PolicyPayload): PolicyDifferences | null {
  const differences = {} as PolicyDifferences;
  let any = false;
  for (const kind of KINDS) {
    const here = byId(current[kind]);
    const there = byId(signed[kind]);
    const ids = [...new Set([...here.keys(), ...there.keys()])].filter((id) => here.get(id) !== there.get(id)).sort();
    differences[kind] = ids;
    any ||= ids.length > 0;
  }
  return any ? differences : null;
}

function byId(entities: ReadonlyArray<{ id: string }>): Map<string, string> {
  return new Map(
    entities.map((entity) => {
      const { createdAt: _created, updatedAt: _updated, ...rest } = entity as { id: string; createdAt?: unknown; updatedAt?: unknown };
      return [entity.id, canonicalJson(rest)];
    }),
  );
}
