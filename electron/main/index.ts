// The Electron main process entry (bundled to dist/electron/main/index.js by
// scripts/build-electron.mjs). The only file that names the real core: the rest of the host
// depends on AppCoreApi / HostHooks alone.
import { app } from 'electron';
import { AppCore } from '../core/app/app-core';
import { startShopWarden } from './bootstrap';

startShopWarden((hooks) => AppCore.open({ dataDir: app.getPath('userData'), hooks }));
