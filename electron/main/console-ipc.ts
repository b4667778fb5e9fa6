// The console's one IPC channel: every call is checked for its sender, then handed to the core
// with the console page's session. Events go back on the one event channel. The session lives as
// long as the page: it ends (signing its user out) when the window closes or the page dies.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { AppCoreApi } from '../core/app/api';
import type { ConsoleSession } from '../core/service/context';
import type { PublicUser } from '../../shared/ipc/contract';
import type { AppEvent } from '../../shared/ipc/events';
import type { IpcResult } from '../../shared/ipc/result';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../preload/channels';
import { isTrustedConsoleSender } from './console-origin';

const REFUSED: IpcResult<never> = { ok: false, error: { code: 'forbidden', message: 'calls are accepted from the ShopWarden console window only', issues: [] } };
/** A console page that dies again this soon after being reloaded is left for the user to close. */
const RELOAD_AGAIN_AFTER_MS = 10_000;

export interface ConsoleIpcOptions {
  core: Pick<AppCoreApi, 'invoke' | 'newSession' | 'endSession'>;
  window: BrowserWindow;
  /** The console's signed-in user changed (sign-in, sign-out, or another user signing in). */
  userChanged(previous: PublicUser | null, next: PublicUser | null): void;
}

export class ConsoleIpc {
  /** The console page's session; a page loaded again after its renderer died gets a new one. */
  private session: ConsoleSession;
  private closed = false;
  private lastReloadAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: ConsoleIpcOptions) {
    this.session = options.core.newSession();
    ipcMain.handle(INVOKE_CHANNEL, (event, channel: unknown, payload: unknown) => this.invoke(event, channel, payload));
    const { window } = options;
    window.on('close', () => void this.close());
    window.webContents.on('render-process-gone', () => this.pageGone());
  }

  /** Pushes an event to the console, if it is signed in as `userId` (when given). */
  emit(event: AppEvent, userId?: string): void {
    const { window } = this.options;
    if (window.isDestroyed() || window.webContents.isDestroyed()) return;
    if (userId !== undefined && this.session.user?.id !== userId) return;
    window.webContents.send(EVENT_CHANNEL, event);
  }

  /**
   * The console window closes (or the app quits): whoever was signed in is signed out, logged as
   * `logout / console-closed`, and their store tabs close. Later calls are refused.
   */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return this.end(this.session);
  }

  dispose(): void {
    ipcMain.removeHandler(INVOKE_CHANNEL);
  }

  /**
   * The console's renderer crashed or was killed: nobody may go on using the store tabs of a
   * console that is gone, so its user is signed out at once (as when the system-browser host's
   * console page goes away), and the page is loaded again with a fresh, signed-out session.
   */
  private pageGone(): void {
    if (this.closed) return;
    const gone = this.session;
    this.session = this.options.core.newSession();
    void this.end(gone);
    const { window } = this.options;
    const now = Date.now();
    if (window.isDestroyed() || now - this.lastReloadAt < RELOAD_AGAIN_AFTER_MS) return;
    this.lastReloadAt = now;
    window.webContents.reload();
  }

  private end(session: ConsoleSession): Promise<void> {
    return this.options.core.endSession(session).catch((error: unknown) => console.error('[shopwarden] could not end the console session:', error));
  }

  private async invoke(event: IpcMainInvokeEvent, channel: unknown, payload: unknown): Promise<IpcResult<unknown>> {
    const { window, core } = this.options;
    const session = this.session;
    const frame = event.senderFrame;
    const trusted =
      !this.closed &&
      !window.isDestroyed() &&
      isTrustedConsoleSender({
        senderId: event.sender.id,
        consoleId: window.webContents.id,
        frame: frame ? { url: frame.url, isTopFrame: frame.parent === null } : null,
      });
    if (!trusted) return REFUSED;
    const before = session.user;
    const result = await core.invoke(session, channel, payload);
    const after = session.user;
    if ((before?.id ?? null) !== (after?.id ?? null)) this.options.userChanged(before, after);
    return result;
  }
}
