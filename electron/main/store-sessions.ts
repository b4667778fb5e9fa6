// The one place store sessions are made (F2): session.fromPartition('persist:store-<id>') once per
// store, hooked once at creation. Electron keeps only the last listener per webRequest event, so
// each event has exactly one dispatcher here, and nothing else may register on these sessions.
import { session as electronSession, type Session } from 'electron';
import { storePartition, type Store } from '../../shared/model/store';
import { sessionProxy, proxyWarning, sessionUserAgent } from './network-identity';
import type { RequestGuard } from './request-guard';
import { unguardedWorkerScript } from './worker-scripts';

export interface StoreSessionsDeps {
  guard: RequestGuard;
  /** The user agent for stores without their own (a plain Chrome one, see network-identity.ts). */
  defaultUserAgent: string;
  warn(message: string): void;
}

export class StoreSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly deps: StoreSessionsDeps) {}

  /** The store's session, created and hardened on first use. */
  get(storeId: string): Session {
    let ses = this.sessions.get(storeId);
    if (!ses) {
      ses = electronSession.fromPartition(storePartition(storeId));
      this.harden(storeId, ses);
      this.sessions.set(storeId, ses);
    }
    return ses;
  }

  /**
   * Applies the store's proxy, user agent and Accept-Language (F3). Called before the store's
   * first tab is created, and awaited: no page of the store loads before its proxy is in place.
   * Throws when the proxy cannot be set (the store then does not open).
   */
  async applyNetworkIdentity(store: Store): Promise<void> {
    const ses = this.get(store.id);
    const warning = proxyWarning(store.proxy);
    if (warning) this.deps.warn(`store ${store.id}: ${warning}`);
    await ses.setProxy(sessionProxy(store.proxy));
    // Connections opened under the previous settings must not be reused.
    await ses.closeAllConnections();
    const { userAgent, acceptLanguages } = sessionUserAgent(store, this.deps.defaultUserAgent);
    ses.setUserAgent(userAgent, acceptLanguages);
  }

  /** Service workers registered earlier (e.g. while the owner browsed) are removed before staff work in the store. */
  async removeServiceWorkers(storeId: string): Promise<void> {
    await this.get(storeId).clearStorageData({ storages: ['serviceworkers'] });
  }

  /**
   * Wipes the store's browsing data for good (store deleted): cookies, storage, service workers,
   * caches. Chromium has no API to delete a partition, and its folder (Partitions/store-<id>,
   * lower-cased) stays on disk, emptied, while the app runs: the session object lives until exit.
   */
  async clear(storeId: string): Promise<void> {
    const ses = this.sessions.get(storeId) ?? electronSession.fromPartition(storePartition(storeId));
    await ses.clearStorageData();
    await ses.clearCache();
    await ses.clearAuthCache();
    await ses.clearHostResolverCache();
    await ses.clearCodeCaches({});
    await ses.closeAllConnections();
  }

  private harden(storeId: string, ses: Session): void {
    const { guard } = this.deps;
    ses.webRequest.onBeforeRequest((details, callback) => {
      callback(
        guard.request(storeId, {
          webContentsId: details.webContentsId,
          url: details.url,
          method: details.method,
          resourceType: details.resourceType,
          uploadData: details.uploadData,
        }),
      );
    });
    // Workers whose own traffic webRequest cannot see are stopped at their script, for staff.
    ses.webRequest.onBeforeSendHeaders((details, callback) => {
      const worker = unguardedWorkerScript(details.requestHeaders);
      callback(worker && !guard.workerScript(worker, storeId, details.webContentsId, details.url) ? { cancel: true } : {});
    });
    ses.on('will-download', (event, item, webContents) => {
      if (!guard.download(storeId, webContents?.id, item.getURL())) event.preventDefault();
    });
    // Permissions (camera, microphone, notifications, geolocation, clipboard, HID/USB/serial…)
    // are granted by Electron unless a handler says otherwise: deny them all (F29). The store
    // model has no per-store allowances yet; this is where they would be consulted.
    ses.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
    ses.setPermissionCheckHandler(() => false);
    ses.setDevicePermissionHandler(() => false);
    ses.setDisplayMediaRequestHandler((_request, callback) => callback(null));
    // The spell checker downloads dictionaries outside the store's proxy; store pages do not need it.
    ses.setSpellCheckerEnabled(false);
  }
}
