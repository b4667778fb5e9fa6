// Downloads: the navigation or request that fetched the file was already decided as what it
// was (a page, an XHR); the download itself is decided again as "download", which is where a
// role's downloads switch applies. Blocked: cancelled (with the switch off, Chromium also
// refuses to write it: acceptDownloads is false). Allowed: saved under the store's folder.
import { existsSync, mkdirSync } from 'node:fs';
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

/** `dir/name`, or `dir/name (2).ext` … when taken. */
export function freePath(dir: string, name: string): string {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 1; ; n++) {
    const candidate = join(dir, n === 1 ? name : `${stem} (${n})${ext}`);
    if (!existsSync(candidate)) return candidate;
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
    try {
      mkdirSync(dir, { recursive: true });
      const target = freePath(dir, safeFileName(download.suggestedFilename()));
      await download.saveAs(target);
      outcome.savedTo = target;
    } catch (error) {
      outcome.error = error instanceof Error ? error.message : String(error);
    }
  }
  try {
    onDownload?.(outcome);
  } catch {
    // a listener's fault changes nothing here
  }
}
