import { homedir } from 'node:os';
import { join } from 'node:path';

const APP_FOLDER = 'ShopWarden';

/**
 * The same folder Electron's app.getPath('userData') gives, so both hosts share one database,
 * one set of store profiles and one log on a machine.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_FOLDER);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_FOLDER);
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_FOLDER);
}
