// Downloads: the navigation or request that fetched the file was already decided as what it
// was (a page, an XHR); the download itself is decided again as "download", which is where a
// role's downloads switch applies. Blocked: cancelled (with the switch off, Chromium also
// refuses to write it: acceptDownloads is false). Allowed: saved under the store's folder.
import { closeSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Download, Page } from 'playwright-core';
import type { Decision } from '../../shared/model/decision';
import type { SessionGuard } from './session-guard';
import { hasControlChar } from './text';

export interface DownloadOutcome {
  storeId: string;
  userId: string;
  url: string;
  decision: Decision;
  /** Where the file was saved; null when blocked or when saving failed. */
  savedTo: string | null;
  error?: string;
}

const MAX_NAME = 180;

/** A file name that cannot leave `dir`, name a device or hide behind a dot. */
export function safeFileName(suggested: string): string {
  const base = suggested.split(/[/\\]/).pop() ?? '';
  const cleaned = [...base]
    .map((c) => (hasControlChar(c) || '<>:"|?*'.includes(c) ? '_' : c))
    .join('')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, MAX_NAME);
  if (!cleaned || /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(cleaned)) return `download${cleaned ? `-${cleaned}` : ''}`;
  return cleaned;
}

/**
 * Claims `dir/name`, or `dir/name (2).ext` … when taken, by creating it empty: a download
 * writes its file only when it finishes, so two in flight under one name would otherwise pick
 * the same free name and the later one would overwrite the other.
 */
export function claimFreePath(dir: string, name: string): string {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 1; ; n++) {
    const candidate = join(dir, n === 1 ? name : `${stem} (${n})${ext}`);
    try {
      closeSync(openSync(candidate, 'wx'));
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

export function guardDownloads(page: Page, guard: SessionGuard, dir: string, onDownload?: (outcome: DownloadOutcome) => void): void {
  page.on('download', (download) => void handle(download, guard, dir, onDownload));
}

async function handle(download: Download, guard: SessionGuard, dir: string, onDownload?: (outcome: DownloadOutcome) => void): Promise<void> {
  const url = download.url();
  const decision = guard.check({ url, method: 'GET', resourceType: 'download', isMainFrame: false });
  const outcome: DownloadOutcome = { storeId: guard.storeId, userId: guard.userId, url, decision, savedTo: null };
  if (!decision.allowed) {
    await download.cancel().catch(() => {});
  } else {
    let target: string | null = null;
    try {
      mkdirSync(dir, { recursive: true });
      target = claimFreePath(dir, safeFileName(download.suggestedFilename()));
      await download.saveAs(target);
      outcome.savedTo = target;
    } catch (error) {
      outcome.error = error instanceof Error ? error.message : String(error);
      if (target !== null) rmSync(target, { force: true }); // the empty claim of a file never saved
    }
  }
  try {
    onDownload?.(outcome);
  } catch {
    // a listener's fault changes nothing here
  }
}
