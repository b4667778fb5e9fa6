// What runs in a store's browser (tabs, frames, workers, DevTools windows), seen through the
// browser-level CDP session: the request guard asks it whether a document request is a tab's
// top frame, and the DevTools guard is told about every target as it appears.
import type { CDPSession } from 'playwright-core';
import type { RequestOrigin } from './resource-type';

export interface TargetSummary {
  targetId: string;
  type: string;
  url: string;
}

const WORKER_TYPES = new Set(['worker', 'shared_worker', 'service_worker']);

export interface BrowserTargets {
  /** Where a request of this frame (CDP frameId, which for a tab's top frame is its target id) comes from. */
  origin(frameId: string | undefined): Promise<RequestOrigin>;
}

/** Starts target discovery on the browser session; `onTarget` sees every target created or changed. */
export async function watchTargets(session: CDPSession, onTarget: (target: TargetSummary) => void): Promise<BrowserTargets> {
  const types = new Map<string, string>();
  const seen = ({ targetId, type, url }: TargetSummary) => {
    types.set(targetId, type);
    onTarget({ targetId, type, url });
  };
  session.on('Target.targetCreated', (event) => seen(event.targetInfo));
  session.on('Target.targetInfoChanged', (event) => seen(event.targetInfo));
  session.on('Target.targetDestroyed', (event) => types.delete(event.targetId));
  // Reports every existing target as created, then each new one before its first request.
  await session.send('Target.setDiscoverTargets', { discover: true });

  const lookup = async (frameId: string): Promise<string | null> => {
    try {
      return (await session.send('Target.getTargetInfo', { targetId: frameId })).targetInfo.type;
    } catch {
      return null; // a frame inside a tab's process has no target of its own
    }
  };

  return {
    async origin(frameId) {
      if (!frameId) return 'sub-frame';
      const type = types.get(frameId) ?? (await lookup(frameId));
      if (type === 'page') return 'top-frame';
      return type !== null && WORKER_TYPES.has(type) ? 'worker' : 'sub-frame';
    },
  };
}
