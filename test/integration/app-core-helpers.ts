import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppCore, type RetentionSchedule } from '../../electron/core/app/app-core';
import type { HostHooks, StoreClosedReason } from '../../electron/core/app/host';
import type { ConsoleSession } from '../../electron/core/service/context';
import type { Channel, RequestOf, ResponseOf } from '../../shared/ipc/contract';
import type { AppEvent } from '../../shared/ipc/events';
import type { IpcError } from '../../shared/ipc/result';

export const OWNER = { username: 'boss', password: 'owner-password-1' };
export const STAFF_PASSWORD = 'staff-password-1';

/** A host that records what the core asked it to carry out. */
export class RecordingHost implements HostHooks {
  opened: string[] = [];
  closed: { storeId: string | null; userId: string | null; reason: StoreClosedReason; at: number; step: number }[] = [];
  cleared: string[] = [];
  navigated: string[] = [];
  events: { event: AppEvent; userId?: string }[] = [];
  /** When each store/user was last opened, in the order of opens and closes. */
  private readonly openedAt = new Map<string, number>();
  private steps = 0;
  /** Set to make openStore fail as a host does for a store open for someone else. */
  openError: Error | null = null;
  async openStore(store: { id: string }, user: { id: string }) {
    if (this.openError) throw this.openError;
    this.opened.push(`${store.id}/${user.id}`);
    this.openedAt.set(`${store.id}/${user.id}`, ++this.steps);
  }
  async closeStore(storeId: string | null, userId: string | null, reason: StoreClosedReason) {
    this.closed.push({ storeId, userId, reason, at: Date.now(), step: ++this.steps });
  }
  /** Navigates only in a store opened for that user (closing is not tracked here). */
  async navigateStore(storeId: string, userId: string, action: string, homeUrl: string) {
    if (!this.opened.includes(`${storeId}/${userId}`)) return false;
    this.navigated.push(`${storeId}/${userId}:${action}:${homeUrl}`);
    return true;
  }
  /** Opened and not closed since (by store, user or everything). */
  openStoreIds(userId: string) {
    return this.opened.flatMap((key) => {
      const [storeId, user] = key.split('/') as [string, string];
      const openedAt = this.openedAt.get(key) ?? 0;
      const closedAfter = this.closed.some((c) => c.step > openedAt && (c.storeId === null || c.storeId === storeId) && (c.userId === null || c.userId === user));
      return user === userId && !closedAfter ? [storeId] : [];
    });
  }
  consoleShown = 0;
  showConsole() {
    this.consoleShown++;
  }
  async clearStoreData(storeId: string) {
    this.cleared.push(storeId);
  }
  languages: string[] = [];
  languageChosen(language: string) {
    this.languages.push(language);
  }
  policyChanges = 0;
  policyChanged() {
    this.policyChanges++;
  }
  emit(event: AppEvent, userId?: string) {
    this.events.push({ event, userId });
  }
  revealed: string[] = [];
  /** Set to make revealFile fail as a host without a file manager does. */
  revealError: Error | null = null;
  async revealFile(path: string) {
    if (this.revealError) throw this.revealError;
    this.revealed.push(path);
  }
}

export interface Harness {
  core: AppCore;
  host: RecordingHost;
  dir: string;
  owner: ConsoleSession;
  call<C extends Channel>(session: ConsoleSession, channel: C, payload: RequestOf<C>): Promise<ResponseOf<C>>;
  fail(session: ConsoleSession, channel: string, payload: unknown): Promise<IpcError>;
  close(): Promise<void>;
}

/** A real AppCore on a temporary data folder, with the owner set up and signed in. */
export async function startCore(
  options: { clock?: () => number; elapsed?: () => number; dir?: string; setUp?: boolean; retention?: RetentionSchedule; ownerKeyFile?: string | null; scryptLogN?: number } = {},
): Promise<Harness> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'shopwarden-core-'));
  const host = new RecordingHost();
  const core = await AppCore.open({
    dataDir: dir,
    hooks: host,
    clock: options.clock,
    ...(options.elapsed ? { elapsed: options.elapsed } : {}),
    scrypt: { logN: options.scryptLogN ?? 10, r: 8, p: 1 },
    audit: { flushIntervalMs: 5 },
    ...(options.retention ? { retention: options.retention } : {}),
    // Never the machine's own pinned key file: a test pins one only when it says so.
    ownerKeyFile: options.ownerKeyFile ?? null,
    onInternalError: (error) => {
      throw error;
    },
  });
  const call: Harness['call'] = async (session, channel, payload) => {
    const result = await core.invoke(session, channel, payload);
    if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
    return result.data as never;
  };
  const fail: Harness['fail'] = async (session, channel, payload) => {
    const result = await core.invoke(session, channel, payload);
    if (result.ok) throw new Error(`${channel} unexpectedly succeeded`);
    return result.error;
  };
  const owner = core.newSession();
  if (options.setUp !== false) await call(owner, 'auth:setup-owner', OWNER);
  return {
    core,
    host,
    dir,
    owner,
    call,
    fail,
    close: async () => {
      await core.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates a US Amazon store, a staff member signed in on their own console, and an assignment. */
export async function staffWithRole(h: Harness, roleTemplate: string, assignment: { validFrom?: number | null; validUntil?: number | null } = {}) {
  const store = await h.call(h.owner, 'stores:create', { name: `US ${roleTemplate}`, platformId: 'amazon', siteId: 'us', homeUrl: 'https://sellercentral.amazon.com/home' });
  const staff = await h.call(h.owner, 'staff:create', { username: `cs_${roleTemplate.replace(/-/g, '_')}`, password: STAFF_PASSWORD });
  const role = (await h.call(h.owner, 'roles:list', {})).find((r) => r.template === roleTemplate);
  if (!role) throw new Error(`no role from template ${roleTemplate}`);
  const a = await h.call(h.owner, 'assignments:upsert', { staffId: staff.id, storeId: store.id, roleId: role.id, ...assignment });
  const session = h.core.newSession();
  await h.call(session, 'auth:login', { username: staff.username, password: STAFF_PASSWORD });
  return { store, staff, role, assignment: a, session };
}

export function guardRequest(storeId: string, userId: string, url: string, method = 'GET', resourceType: 'mainFrame' | 'xhr' | 'download' = 'mainFrame') {
  return { storeId, userId, url, method, resourceType, isMainFrame: resourceType === 'mainFrame' };
}
