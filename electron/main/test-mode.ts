// End-to-end test settings, read from the environment only in an unpackaged build started with
// SHOPWARDEN_E2E=1 (a packaged app ignores them all). No Electron import: unit-tested.

type Env = Readonly<Record<string, string | undefined>>;

export const TEST_MODE_ENV = 'SHOPWARDEN_E2E';
/** A fresh data folder for the run (app.setPath('userData')). */
export const TEST_USER_DATA_ENV = 'SHOPWARDEN_E2E_USER_DATA';
/** Chromium --host-resolver-rules, e.g. "MAP sellercentral.amazon.com 127.0.0.1:4321, EXCLUDE localhost". */
export const TEST_HOST_RULES_ENV = 'SHOPWARDEN_E2E_HOST_RULES';

export interface TestMode {
  userDataDir: string | null;
  /** Command-line switches for app.commandLine.appendSwitch, applied before `ready`. */
  switches: [name: string, value: string][];
}

const HOST = '[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*';
/** Only loopback targets: even a misused variable cannot send store traffic anywhere else. */
const RULE = new RegExp(`^(MAP ${HOST} 127\\.0\\.0\\.1(:\\d{1,5})?|EXCLUDE localhost)$`);

export function readTestMode(env: Env, isPackaged: boolean): TestMode | null {
  if (isPackaged || env[TEST_MODE_ENV] !== '1') return null;
  const switches: TestMode['switches'] = [];
  const rules = env[TEST_HOST_RULES_ENV];
  if (rules) {
    const parts = rules.split(',').map((part) => part.trim());
    const bad = parts.find((part) => !RULE.test(part));
    if (bad !== undefined) throw new Error(`${TEST_HOST_RULES_ENV}: "${bad}" is not "MAP <host> 127.0.0.1[:port]" or "EXCLUDE localhost"`);
    switches.push(['host-resolver-rules', parts.join(', ')]);
  }
  return { userDataDir: env[TEST_USER_DATA_ENV] || null, switches };
}
