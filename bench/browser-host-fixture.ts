/**
 * What the browser benchmarks (memory, guard overhead) share: the fake seller site, the real
 * system-browser host (AppCore on a temp folder, store sessions in the machine's Chromium, seller
 * hosts mapped to the site) with an owner set up, and the console API as the owner calls it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBrowserHost, type BrowserHost } from '../electron/browser-host/app';
import { hostResolverRulesFlag } from '../electron/browser-host/chromium';
import type { ConsoleSession } from '../electron/core/service/context';
import { FAKE_SELLER_HOSTS, startFakeSellerSite, type FakeSellerSite } from '../test/fixtures/fake-seller/index';

export const BENCH_OWNER = { username: 'bench-owner', password: 'bench-owner-password-1' };

export interface BenchHost {
  site: FakeSellerSite;
  host: BrowserHost;
  dataDir: string;
  /** Flags every browser of the bench gets after the defaults (the resolver rules). */
  extraArgs: string[];
  /** A console API call as `session` (the owner's by default); throws on a refusal. */
  call(channel: string, payload: unknown, session?: ConsoleSession): Promise<{ id: string }>;
  close(): Promise<void>;
}

/** Starts the site and the host (headless), and sets up the owner. */
export async function startBenchHost(executablePath: string, log: (line: string) => void): Promise<BenchHost> {
  const site = await startFakeSellerSite();
  const dataDir = mkdtempSync(join(tmpdir(), 'shopwarden-bench-'));
  const staticDir = join(dataDir, 'console-build');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>ShopWarden</title>');
  const extraArgs = [hostResolverRulesFlag(FAKE_SELLER_HOSTS, site.port)];
  const close = async (host?: BrowserHost) => {
    await host?.close();
    await site.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  let host: BrowserHost;
  try {
    host = await startBrowserHost({
      dataDir,
      staticDir,
      language: 'en',
      core: { scrypt: { logN: 10, r: 8, p: 1 } },
      browser: { executablePath, headless: true, extraArgs },
      onError: (error) => log(`host error: ${String(error)}`),
    });
  } catch (error) {
    await close();
    throw error;
  }
  const owner = host.core.newSession();
  const call = async (channel: string, payload: unknown, session: ConsoleSession = owner) => {
    const result = await host.core.invoke(session, channel, payload);
    if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
    return result.data as { id: string };
  };
  const bench: BenchHost = { site, host, dataDir, extraArgs, call, close: () => close(host) };
  try {
    await call('auth:setup-owner', BENCH_OWNER);
  } catch (error) {
    await bench.close();
    throw error;
  }
  return bench;
}

