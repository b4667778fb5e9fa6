import { z } from 'zod';
import type { AuditEventInput } from '../../../shared/model/audit';
import { Id } from '../../../shared/model/common';
import type { Clock } from '../db/clock';
import type { SettingsRepo } from '../repos/settings';

/**
 * Stores a policy bundle or a restore of the signed policy deleted (F25) whose session data
 * (cookies, storage) may still be on disk. The ids are noted in the transaction that deletes
 * the stores, and leave the list only once the host has wiped them: a wipe that fails (a
 * profile folder in use) or never ran (the app stopped, the host was not up yet) is tried
 * again at the next start and the next apply. Nothing else can reach them: the stores are gone
 * and a managed machine refuses stores:delete.
 */
export const STORE_WIPES_SETTING = 'trust.store-data.pending-wipes';

const PendingWipes = z.array(Id);

export function pendingStoreWipes(settings: SettingsRepo): string[] {
  return settings.get(STORE_WIPES_SETTING, PendingWipes) ?? [];
}

/** Notes stores whose data must go; call in the transaction that deletes them. */
export function noteStoreWipes(settings: SettingsRepo, storeIds: readonly string[]): void {
  if (storeIds.length === 0) return;
  settings.set(STORE_WIPES_SETTING, [...new Set([...pendingStoreWipes(settings), ...storeIds])]);
}

/** The service's deps fit: the settings, the one log writer, and the host's wipe hook. */
export interface StoreWipeDeps {
  repos: { settings: SettingsRepo };
  clock: Clock;
  log: (event: AuditEventInput) => void;
  hooks: { clearStoreData(storeId: string): Promise<void> };
}

/**
 * Wipes every pending store, each on its own: one that fails is logged (policy-error,
 * `store-data-wipe-failed`) and stays pending, the others go on. A failed wipe does not
 * reject; answers the ids whose wipe failed.
 */
export async function wipePendingStoreData(deps: StoreWipeDeps): Promise<string[]> {
  const failed: string[] = [];
  const { settings } = deps.repos;
  for (const storeId of pendingStoreWipes(settings)) {
    try {
      await deps.hooks.clearStoreData(storeId);
    } catch (error) {
      failed.push(storeId);
      const message = error instanceof Error ? error.message : String(error);
      deps.log({ ts: deps.clock(), kind: 'policy-error', actorId: null, storeId, reason: 'store-data-wipe-failed', detail: { error: message.slice(0, 1000) } });
      continue;
    }
    // Read again: another run may have changed the list while this wipe ran.
    settings.set(STORE_WIPES_SETTING, pendingStoreWipes(settings).filter((id) => id !== storeId));
  }
  return failed;
}
