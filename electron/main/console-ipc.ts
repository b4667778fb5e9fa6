// The console's one IPC channel: every call is checked for its sender, then handed to the core
// with this window's console session. Events go back on the one event channel.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { AppCoreApi } from '../core/app/api';
import type { ConsoleSession } from '../core/service/context';
import type { PublicUser } from '../../shared/ipc/contract';
import type { AppEvent } from '../../shared/ipc/events';
import type { IpcResult } from '../../shared/ipc/result';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../preload/channels';
import { isTrustedConsoleSender } from './console-origin';

const REFUSED: IpcResult<never> = { ok: false, error: { code: 'forbidden', message: 'calls are accepted from the ShopWarden console window only', issues: [] } };

export interface ConsoleIpcOptions {
  core: Pick<AppCoreApi, 'invoke'>;
  window: BrowserWindow;
  session: ConsoleSession;
  /** The console's signed-in user changed (sign-in, sign-out, or another user signing in). */
  userChanged(previous: PublicUser | null, next: PublicUser | null): void;
}

export class ConsoleIpc {
  constructor(private readonly options: ConsoleIpcOptions) {
    ipcMain.handle(INVOKE_CHANNEL, (event, channel: unknown, payload: unknown) => this.invoke(event, channel, payload));
  }

  /** Pushes an event to the console, if it is signed in as `userId` (when given). */
  emit(event: AppEvent, userId?: string): void {
    const { window, session } = this.options;
    if (window.isDestroyed() || window.webContents.isDestroyed()) return;
    if (userId !== undefined && session.user?.id !== userId) return;
    window.webContents.send(EVENT_CHANNEL, event);
  }

  dispose(): void {
    ipcMain.removeHandler(INVOKE_CHANNEL);
  }

  private async invoke(event: IpcMainInvokeEvent, channel: unknown, payload: unknown): Promise<IpcResult<unknown>> {
    const { window, session, core } = this.options;
    const frame = event.senderFrame;
    const trusted =
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
