/**
 * The system-browser host's console bridge over loopback HTTP (F30). The console page gets a
 * per-launch secret in its URL fragment (never sent to servers, not in logs) and sends it on
 * every call; the server also checks Origin, so store pages and other sites cannot call it.
 */
import { MAX_LOG_BUNDLE_CHARS, MAX_POLICY_BUNDLE_CHARS } from './trust';

export const BRIDGE_TOKEN_HEADER = 'x-shopwarden-token';
/** POST `${INVOKE_PATH}<channel>` with the JSON payload; answers an IpcResult as JSON. */
export const INVOKE_PATH = '/api/invoke/';
/** GET, server-sent events, token as `?token=` (EventSource cannot set headers). */
export const EVENTS_PATH = '/api/events';
/** The fragment key that carries the token: `http://127.0.0.1:<port>/#token=<secret>`. */
export const TOKEN_FRAGMENT_KEY = 'token';
/**
 * Optional: a random id the console page makes once per load, so two console tabs get two
 * sessions (as two Electron windows would). Sent as a header, and as `?console=` for events.
 */
export const CONSOLE_ID_HEADER = 'x-shopwarden-console';
export const CONSOLE_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/** Request bodies the bridge reads for ordinary calls. */
export const MAX_REQUEST_BYTES = 1024 * 1024;

/** Channels that carry a file (a bundle) and may be that large, plus room for the JSON around it. */
const FILE_CHANNEL_CHARS: Readonly<Record<string, number>> = {
  'log-bundle:import': MAX_LOG_BUNDLE_CHARS,
  'policy-bundle:apply': MAX_POLICY_BUNDLE_CHARS,
};

/** The largest body the bridge reads for `channel` (bundles are ASCII: a character is a byte). */
export function maxRequestBytes(channel: string): number {
  const chars = Object.hasOwn(FILE_CHANNEL_CHARS, channel) ? FILE_CHANNEL_CHARS[channel]! : 0;
  return Math.max(MAX_REQUEST_BYTES, chars + 64 * 1024);
}
