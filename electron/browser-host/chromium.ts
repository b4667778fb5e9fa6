// Finds the machine's Chrome/Chromium and builds the command-line flags the system-browser host
// (F30) and the e2e tests launch it with. Node only: never imports 'electron'.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

/** Environment variable that names the browser binary explicitly; it wins over every search. */
export const CHROMIUM_ENV_VAR = 'SHOPWARDEN_CHROMIUM';

const PATH_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'] as const;

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK); // on Windows this only checks existence, which is what we want
    return true;
  } catch {
    return false;
  }
}

function searchPath(env: Env, platform: NodeJS.Platform): string | null {
  const dirs = (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean);
  const suffixes = platform === 'win32' ? ['.exe', ''] : [''];
  for (const name of PATH_NAMES) {
    for (const dir of dirs) {
      for (const suffix of suffixes) {
        const candidate = join(dir, name + suffix);
        if (isExecutableFile(candidate)) return candidate;
      }
    }
  }
  return null;
}

function installPaths(env: Env, platform: NodeJS.Platform): string[] {
  switch (platform) {
    case 'darwin': {
      const apps = ['/Applications', ...(env.HOME ? [join(env.HOME, 'Applications')] : [])];
      return apps.flatMap((dir) => [
        join(dir, 'Google Chrome.app/Contents/MacOS/Google Chrome'),
        join(dir, 'Chromium.app/Contents/MacOS/Chromium'),
      ]);
    }
    case 'win32': {
      const roots = [env.ProgramFiles, env['ProgramFiles(x86)'], env.LOCALAPPDATA].filter((r): r is string => !!r);
      return roots.flatMap((root) => [join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'), join(root, 'Chromium', 'Application', 'chrome.exe')]);
    }
    default:
      return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium', '/usr/bin/google-chrome', '/opt/google/chrome/chrome'];
  }
}

/**
 * The Chrome/Chromium binary to launch, or null when none is installed.
 * Order: $SHOPWARDEN_CHROMIUM, then PATH (chromium, chromium-browser, google-chrome,
 * google-chrome-stable), then the usual install locations of the current OS.
 * Throws when $SHOPWARDEN_CHROMIUM is set but is not an executable file: a wrong explicit
 * setting should be fixed, not silently replaced by another browser.
 */
export function findChromium(env: Env = process.env, platform: NodeJS.Platform = process.platform): string | null {
  const explicit = env[CHROMIUM_ENV_VAR];
  if (explicit) {
    if (!isExecutableFile(explicit)) throw new Error(`${CHROMIUM_ENV_VAR}=${explicit} is not an executable file`);
    return explicit;
  }
  return searchPath(env, platform) ?? installPaths(env, platform).find(isExecutableFile) ?? null;
}

/**
 * Whether Chromium must run without its sandbox. As root, Chromium refuses to start unless given
 * --no-sandbox; CI runners are usually containers that forbid the user namespaces the sandbox
 * needs. Everywhere else the sandbox stays on: staff browse real, untrusted seller pages.
 */
export function needsNoSandbox(env: Env = process.env, uid: number | undefined = process.getuid?.()): boolean {
  return uid === 0 || (env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0');
}

/**
 * Pass as playwright-core's `chromiumSandbox` launch option. Playwright defaults it to false and
 * then adds --no-sandbox on its own, so it must be set explicitly to keep the sandbox.
 */
export const USE_CHROMIUM_SANDBOX: boolean = !needsNoSandbox();

/**
 * Flags for every launch: no GPU (headless/VMs), and no traffic the guard did not ask for
 * (component updates, sync, background fetches, first-run pages). QUIC is off so every request
 * goes over TCP, where request interception and the host-resolver rules apply uniformly.
 */
export const CHROMIUM_FLAGS: readonly string[] = Object.freeze([
  ...(USE_CHROMIUM_SANDBOX ? [] : ['--no-sandbox']),
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--no-default-browser-check',
]);

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

function checkedHosts(hosts: readonly string[]): string[] {
  if (hosts.length === 0) throw new Error('need at least one host name');
  return hosts.map((host) => {
    if (!HOSTNAME.test(host)) throw new Error(`"${host}" is not a lower-case host name (no scheme, port or path)`);
    return host;
  });
}

function checkedPort(port: number | undefined): number | undefined {
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536))
    throw new Error(`port must be an integer 1-65535, got ${port}`);
  return port;
}

/**
 * `--host-resolver-rules` that send every given host to 127.0.0.1, so real platform URLs reach a
 * local (fake) site. With `port`, connections also go to that port, whatever the URL says — then
 * `http://sellercentral.amazon.com/orders-v3` works without a port in the URL.
 * Hosts on Chromium's HSTS preload list (www.amazon.com is) are still upgraded to https before
 * resolution, so a plain-http site cannot stand in for them.
 */
export function hostResolverRulesFlag(hosts: readonly string[], port?: number): string {
  const target = checkedPort(port) === undefined ? '127.0.0.1' : `127.0.0.1:${port}`;
  const rules = checkedHosts(hosts).map((host) => `MAP ${host} ${target}`);
  return `--host-resolver-rules=${[...rules, 'EXCLUDE localhost'].join(', ')}`;
}

/**
 * `--ip-address-space-overrides` declaring the local site at 127.0.0.1:`port` a public server, as
 * real platform sites are. A response the guard hands over itself (a worker's script with the
 * WebSocket guard in front) has no address of its own and counts as public, and Chromium's local
 * network checks (whose permission store sessions deny) refuse a public context's connections to
 * a loopback address: a worker's allowed WebSocket to the local site would fail where it works
 * against the real one.
 */
export function publicAddressSpaceFlag(port: number): string {
  return `--ip-address-space-overrides=127.0.0.1:${checkedPort(port)}=public`;
}

/**
 * `--unsafely-treat-insecure-origin-as-secure` for http origins of the given hosts (with `port`,
 * as it appears in the URLs; without, port 80). Plain-http mapped hosts are not secure contexts,
 * so service workers (and other secure-only APIs) would not exist on them without this.
 * Chromium honours it only together with a --user-data-dir, which Playwright always passes.
 */
export function treatAsSecureOriginsFlag(hosts: readonly string[], port?: number): string {
  const suffix = checkedPort(port) === undefined || port === 80 ? '' : `:${port}`;
  return `--unsafely-treat-insecure-origin-as-secure=${checkedHosts(hosts)
    .map((host) => `http://${host}${suffix}`)
    .join(',')}`;
}
