import type { IpcResult } from '../../../shared/ipc/result';
import type { Decision, GuardRequest } from '../../../shared/model/decision';
import type { Store } from '../../../shared/model/store';
import type { StepUpRequest } from '../../../shared/ipc/contract';
import type { ConsoleSession } from '../service/context';
import type { StoreClosedReason } from './host';

export interface HostBlockRecord {
  /** What the host refused, e.g. "upload", "service-worker", "error". */
  what: string;
  storeId: string;
  userId: string | null;
  url: string;
}

/** The application core as the hosts see it (implemented by AppCore in app-core.ts). */
export interface AppCoreApi {
  /** The data folder: database, store profiles (browser host), exports. */
  readonly dataDir: string;
  /** A new signed-out console session; the host keeps one per console window / connection. */
  newSession(): ConsoleSession;
  /**
   * The host no longer shows this console (window closed, page reloaded): whoever was signed in
   * there is signed out, their stores closing unless they are signed in on another console.
   */
  endSession(session: ConsoleSession): Promise<void>;
  /** Every console call: validated, access-checked, answered as an IpcResult. Never throws. */
  invoke(session: ConsoleSession, channel: unknown, payload: unknown): Promise<IpcResult<unknown>>;
  /** Decides one store request and logs it (blocks, navigations, mutations, downloads). Never throws. */
  guard(request: GuardRequest): Decision;
  /** The guard's decision now without logging it: for deciding again what is already open. Never throws. */
  peek(request: GuardRequest): Decision;
  /**
   * Logs a block a host decided on its own (an upload with the switch off, a service worker
   * script, an internal failure), so the owner sees it with the guard's blocks.
   */
  recordHostBlock(block: HostBlockRecord): void;
  /**
   * A store's window or tabs of `userId` actually closed (by the person, by the app for `reason`,
   * or the browser went away): logged as store-close with the reason, and that user's consoles
   * told. Hosts call it for every such close, so the log says when each store session ended.
   */
  storeClosed(storeId: string, userId: string, reason: StoreClosedReason): void;
  /**
   * The person typed, clicked or scrolled in a store window of theirs (hosts may call it for
   * every such input): their consoles are told, at most every STORE_ACTIVITY_EVERY_MS, so the
   * idle lock does not sign out someone working in their stores.
   */
  storeActivity(userId: string): void;
  /** A store page hit a step-up page: remembered for the console's approval dialog and logged. */
  reportStepUp(request: Pick<StepUpRequest, 'storeId' | 'userId' | 'url' | 'filter'>): StepUpRequest;
  /** The store with its network settings (proxy with password) for creating its session; null if unknown. */
  storeForSession(storeId: string): Store | null;
  /** The user whose store tabs are open is asked for often: the role switches that hosts enforce. */
  switchesFor(storeId: string, userId: string): { downloads: boolean; uploads: boolean; devtools: boolean; printing: boolean };
  /** Flushes the log and closes the database. */
  close(): Promise<void>;
}
