import type { ResourceType } from '../../shared/model/decision';

/**
 * Electron's webRequest resource types → the guard's. Electron reports fetch() as "xhr", beacons
 * and hyperlink auditing as "ping", and has no "worker": worker scripts arrive as "script" or
 * "other". Anything unknown (a newer Electron adding a type) becomes "other", never a frame.
 */
const MAP: Readonly<Record<string, ResourceType>> = {
  mainFrame: 'mainFrame',
  subFrame: 'subFrame',
  stylesheet: 'stylesheet',
  script: 'script',
  image: 'image',
  font: 'font',
  object: 'other',
  xhr: 'xhr',
  ping: 'ping',
  cspReport: 'ping',
  media: 'media',
  webSocket: 'websocket',
  other: 'other',
};

export function guardResourceType(electronType: string): ResourceType {
  return Object.prototype.hasOwnProperty.call(MAP, electronType) ? MAP[electronType]! : 'other';
}
