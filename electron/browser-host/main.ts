// Entry point of the system-browser host (`npm start` without the Electron runtime, F30).
// Options: --data-dir <dir>, --port <n>, --headless, --no-window; env SHOPWARDEN_DATA_DIR,
// SHOPWARDEN_CHROMIUM (browser path), SHOPWARDEN_HOST_RULES (test only: host-resolver rules).
import { parseArgs } from 'node:util';
import { startBrowserHost } from './app';
import { defaultDataDir } from './data-dir';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    port: { type: 'string' },
    headless: { type: 'boolean', default: false },
    'no-window': { type: 'boolean', default: false },
  },
});

const say = (message: string) => console.log(`shopwarden: ${message}`);
const dataDir = values['data-dir'] ?? process.env.SHOPWARDEN_DATA_DIR ?? defaultDataDir();
const hostRules = process.env.SHOPWARDEN_HOST_RULES;

const host = await startBrowserHost({
  dataDir,
  port: values.port ? Number(values.port) : undefined,
  consoleWindow: !values['no-window'],
  browser: {
    ...(values.headless ? { headless: true } : {}),
    ...(hostRules ? { extraArgs: [`--host-resolver-rules=${hostRules}`] } : {}),
  },
});
say(`system-browser host with ${host.browserPath}`);
say(`data folder: ${dataDir}`);
say(`console: ${host.consoleUrl}`);
say('(the console address carries this launch’s secret: do not share it)');

let stopping = false;
const stop = async (why: string) => {
  if (stopping) return;
  stopping = true;
  say(`stopping (${why})`);
  await host.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop('interrupted'));
process.on('SIGTERM', () => void stop('terminated'));
if (!values['no-window']) void host.consoleClosed.then(() => stop('console window closed'));
