// Permission requests of store pages (camera, microphone, notifications, location…) are denied
// for every origin (F29): no prompt is shown, so nobody can click "Allow". These are DevTools
// overrides of the running browser, set at every launch; they are not written to the profile.
// clipboard-write stays at Chromium's default (granted to a page the person is using), so
// "copy order number" buttons keep working; reading the clipboard is denied.
import type { CDPSession } from 'playwright-core';

/** Checked against Chromium 156; names an older browser does not know are skipped. "midi-sysex" is MIDI with sysex. */
export const DENIED_PERMISSIONS: readonly string[] = Object.freeze([
  'geolocation',
  'notifications',
  'push',
  'midi',
  'midi-sysex',
  'camera',
  'microphone',
  'clipboard-read',
  'background-sync',
  'periodic-background-sync',
  'background-fetch',
  'persistent-storage',
  'screen-wake-lock',
  'system-wake-lock',
  'display-capture',
  'captured-surface-control',
  'idle-detection',
  'local-fonts',
  'storage-access',
  'top-level-storage-access',
  'window-management',
  'accelerometer',
  'gyroscope',
  'magnetometer',
  'ambient-light-sensor',
  'payment-handler',
  'nfc',
  'speaker-selection',
  'keyboard-lock',
  'pointer-lock',
  'web-app-installation',
  'local-network-access',
  'local-network',
  'loopback-network',
]);

function descriptor(name: string): { name: string; userVisibleOnly?: boolean; sysex?: boolean } {
  if (name === 'push') return { name, userVisibleOnly: true };
  if (name === 'midi-sysex') return { name: 'midi', sysex: true };
  return { name };
}

/** Denies every permission in DENIED_PERMISSIONS on every origin; returns those the browser refused to set. */
export async function denyPermissions(browserSession: CDPSession): Promise<string[]> {
  const results = await Promise.allSettled(
    DENIED_PERMISSIONS.map((name) => browserSession.send('Browser.setPermission', { permission: descriptor(name), setting: 'denied' })),
  );
  return DENIED_PERMISSIONS.filter((_, i) => results[i]!.status === 'rejected');
}
