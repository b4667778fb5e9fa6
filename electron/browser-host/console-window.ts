import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM_FLAGS, USE_CHROMIUM_SANDBOX } from './chromium';

export interface ConsoleWindowOptions {
  dataDir: string;
  executablePath: string;
  headless: boolean;
  url: string;
  language: string;
}

/**
 * The console in its own chromeless Chromium window with its own profile (never a store's):
 * it holds no platform cookies, and the store profiles never hold the console's secret.
 */
export async function openConsoleWindow(options: ConsoleWindowOptions): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(join(options.dataDir, 'console-profile'), {
    executablePath: options.executablePath,
    headless: options.headless,
    chromiumSandbox: USE_CHROMIUM_SANDBOX,
    args: [...CHROMIUM_FLAGS, `--lang=${options.language}`, ...(options.headless ? [] : ['--app=about:blank', '--window-size=1280,860'])],
    ...(options.headless ? { viewport: { width: 1280, height: 860 } } : { ignoreDefaultArgs: ['--enable-automation'], viewport: null }),
    serviceWorkers: 'block',
    acceptDownloads: false,
    locale: options.language,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(options.url);
  return context;
}
