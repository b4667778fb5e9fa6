// Building and launching the Electron host for the e2e tests that drive it through Playwright's
// _electron (they run only where the Electron runtime is installed; see electron-binary.ts).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { needsNoSandbox } from '../../../electron/browser-host/chromium';
import { TEST_HOST_RULES_ENV, TEST_MODE_ENV, TEST_USER_DATA_ENV } from '../../../electron/main/test-mode';
import type { Transport } from '../../../shared/ipc/client';
import { FAKE_SELLER_HOSTS } from '../../fixtures/fake-seller/index';
import { REPO_ROOT } from './electron-binary';

/** Builds the main process, preload and console bundles the app loads. */
export function buildElectronApp(): void {
  const built = spawnSync(process.execPath, ['scripts/build-electron.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
  assert.equal(built.status, 0, 'scripts/build-electron.mjs failed');
  if (existsSync(join(REPO_ROOT, 'scripts', 'build-renderer.mjs'))) {
    const renderer = spawnSync(process.execPath, ['scripts/build-renderer.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
    assert.equal(renderer.status, 0, 'scripts/build-renderer.mjs failed');
  }
}

/**
 * Starts the built app in test mode with its own user-data folder, real platform URLs (no port)
 * reaching the fake seller site; answers once the console window has the preload bridge.
 */
export async function launchElectronApp(binary: string, options: { userData: string; sitePort: number }): Promise<{ app: ElectronApplication; consolePage: Page }> {
  const app = await _electron.launch({
    executablePath: binary,
    args: [REPO_ROOT, ...(needsNoSandbox() ? ['--no-sandbox'] : [])],
    cwd: REPO_ROOT,
    env: {
      ...(process.env as Record<string, string>),
      [TEST_MODE_ENV]: '1',
      [TEST_USER_DATA_ENV]: options.userData,
      [TEST_HOST_RULES_ENV]: [...FAKE_SELLER_HOSTS.map((host) => `MAP ${host} 127.0.0.1:${options.sitePort}`), 'EXCLUDE localhost'].join(', '),
    },
    timeout: 60_000,
  });
  const consolePage = await app.firstWindow();
  await consolePage.waitForFunction(() => typeof (window as unknown as { shopwarden?: Transport }).shopwarden?.invoke === 'function');
  return { app, consolePage };
}

/** A contract call from the console page, through the preload and the checked IPC channel; throws on a refusal. */
export async function consoleCall<T = unknown>(consolePage: Page, channel: string, payload: unknown): Promise<T> {
  const result = await consolePage.evaluate(([c, p]) => (window as unknown as { shopwarden: Transport }).shopwarden.invoke(c as string, p), [channel, payload] as const);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.data as T;
}

/** The store tabs' webContents (everything that is not the console), from the main process. */
export function storeTabs(app: ElectronApplication): Promise<{ id: number; url: string }[]> {
  return app.evaluate(({ webContents }) =>
    webContents
      .getAllWebContents()
      .filter((wc) => !wc.isDestroyed() && !wc.getURL().startsWith('app://') && !wc.getURL().startsWith('devtools://') && wc.getType() !== 'window')
      .map((wc) => ({ id: wc.id, url: wc.getURL() })),
  );
}

/** Runs `script` in a store tab's top frame and answers its value. */
export function inTab<T>(app: ElectronApplication, id: number, script: string): Promise<T> {
  return app.evaluate(({ webContents }, [tab, js]) => webContents.fromId(tab as number)?.executeJavaScript(js as string), [id, script] as const) as Promise<T>;
}
