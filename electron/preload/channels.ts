// The two IPC channel names the console preload and the main process share. Self-contained (no
// imports): the sandboxed preload is bundled from this file and may not load local modules.
// `EVENT_CHANNEL` must equal shared/ipc/events.ts's (checked by test/unit/electron-host-helpers.test.ts).

/** ipcRenderer.invoke(INVOKE_CHANNEL, channel, payload) → IpcResult; the only call the console makes. */
export const INVOKE_CHANNEL = 'shopwarden:invoke';
/** webContents.send(EVENT_CHANNEL, event): what the main process pushes (AppEvent). */
export const EVENT_CHANNEL = 'shopwarden:event';
