// Where the Electron runtime is, for the e2e tests that drive the Electron host through
// Playwright's _electron; null when it is not installed (those tests then skip with a reason).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * The Electron binary, found the way the `electron` package does but without requiring it:
 * requiring `electron` from Node starts a download when the binary is missing.
 */
export function electronBinary(root = REPO_ROOT): string | null {
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const binary = process.env.ELECTRON_OVERRIDE_DIST_PATH ? join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative) : join(pkg, 'dist', relative);
  return existsSync(binary) ? binary : null;
}
