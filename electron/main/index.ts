// The Electron main process entry (bundled to dist/electron/main/index.js by
// scripts/build-electron.mjs). The only file that names the real core: the rest of the host
// depends on AppCoreApi / HostHooks alone.
import { app, safeStorage } from 'electron';
import { AppCore } from '../core/app/app-core';
import { startShopWarden } from './bootstrap';
import { keychainSecretBox } from './keychain';

// Called after `ready`, when safeStorage knows its keychain.
startShopWarden((hooks) => AppCore.open({ dataDir: app.getPath('userData'), hooks, secretBox: keychainSecretBox(safeStorage, process.platform) }));
