// Showing a file the app wrote in the system's file manager, for the system-browser host (the
// Electron host has shell.showItemInFolder). No shell is involved: the path is one argument.
import { spawn } from 'node:child_process';
import { dirname } from 'node:path';

export interface RevealCommand {
  command: string;
  args: string[];
}

/**
 * The program that shows `path`: Explorer and Finder select the file in its folder; on Linux
 * and other systems xdg-open opens the folder (it has no way to select a file).
 */
export function revealCommand(path: string, platform: NodeJS.Platform = process.platform): RevealCommand {
  if (platform === 'win32') return { command: 'explorer.exe', args: [`/select,${path}`] };
  if (platform === 'darwin') return { command: 'open', args: ['-R', path] };
  return { command: 'xdg-open', args: [dirname(path)] };
}

/**
 * Starts the file manager on `path` and resolves once it is running (it is left to run on its
 * own); rejects, naming the program, when it cannot be started (e.g. no xdg-open installed).
 */
export function revealInFileManager(path: string, options: { platform?: NodeJS.Platform; env?: NodeJS.ProcessEnv } = {}): Promise<void> {
  const { command, args } = revealCommand(path, options.platform);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { detached: true, stdio: 'ignore', env: options.env ?? process.env });
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(error.code === 'ENOENT' ? `${command} is not installed on this computer` : `${command} did not start: ${error.message}`)),
    );
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
