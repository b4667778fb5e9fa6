// Chromium's (CDP Network.ResourceType) names for what a request loads, as the guard's
// ResourceType. Documents are split into main frame and sub-frame by the caller, which knows
// whether the requesting frame is a tab's top frame.
import type { ResourceType } from '../../shared/model/decision';

const CDP_TYPES: Readonly<Record<string, ResourceType>> = {
  Stylesheet: 'stylesheet',
  Image: 'image',
  Media: 'media',
  TextTrack: 'media',
  Font: 'font',
  Script: 'script',
  XHR: 'xhr',
  Fetch: 'fetch',
  EventSource: 'xhr',
  WebSocket: 'websocket',
  Ping: 'ping',
  CSPViolationReport: 'ping',
};

/** Where a request comes from, as far as the guard needs to know. */
export type RequestOrigin = 'top-frame' | 'sub-frame' | 'worker';

/**
 * The guard's resource type for a CDP `resourceType`. A worker's own script arrives as "Other"
 * from the worker's target; its fetches keep their types. Unknown names (Prefetch, Manifest,
 * Preflight, SignedExchange, FedCM, Other, and whatever Chromium adds) are "other".
 */
export function guardResourceType(cdpType: string, origin: RequestOrigin): ResourceType {
  if (cdpType === 'Document') return origin === 'top-frame' ? 'mainFrame' : 'subFrame';
  if (cdpType === 'Other' && origin === 'worker') return 'worker';
  return Object.hasOwn(CDP_TYPES, cdpType) ? CDP_TYPES[cdpType]! : 'other';
}
