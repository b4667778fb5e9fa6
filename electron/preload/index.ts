// The console window's preload (sandboxed, context-isolated). It exposes exactly the Transport of
// shared/ipc/client.ts as `window.shopwarden` — one invoke and one event subscription — and no
// raw ipcRenderer. Built to dist/electron/preload/index.cjs (CommonJS: sandboxed preloads cannot
// be ES modules); the bundler inlines ./channels, so at run time it requires only 'electron'.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Transport } from '../../shared/ipc/client';
import type { IpcResult } from '../../shared/ipc/result';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from './channels';

const transport: Transport = {
  invoke(channel: string, payload: unknown): Promise<IpcResult<unknown>> {
    return ipcRenderer.invoke(INVOKE_CHANNEL, String(channel), payload) as Promise<IpcResult<unknown>>;
  },
  onEvent(listener: (event: unknown) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('onEvent needs a function');
    // The page never sees the IpcRendererEvent (it carries `sender`, i.e. ipcRenderer itself).
    const forward = (_event: IpcRendererEvent, appEvent: unknown) => listener(appEvent);
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld('shopwarden', transport);
