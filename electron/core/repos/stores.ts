import { sameProxyAccount, Store, StoreInput, type ProxyConfig } from '../../../shared/model/store';
import { RepoError } from '../db/errors';
import { SecretUnavailableError, isSealed, openedSecret, storedSecret } from '../secrets/secret-box';
import { parseInput, parseJsonColumn, parseRow } from '../db/rows';
import { definedEntries, type RepoDeps } from './deps';

interface StoreRow {
  id: string;
  name: string;
  platform_id: string;
  site_id: string;
  home_url: string;
  group_name: string;
  colour: string;
  proxy: string | null;
  user_agent: string | null;
  accept_language: string | null;
  created_at: number;
  updated_at: number;
}

const PROXY_PASSWORD = 'proxy-password';

/**
 * Stores (F1, F3). The proxy password is kept in `secrets`, never in the store row, sealed by
 * the host's SecretBox when it has one. Every method answers without it (safe to show or export)
 * except `getWithSecrets`, for the host that has to authenticate to the proxy.
 */
export class StoresRepo {
  constructor(private readonly deps: RepoDeps) {}

  list(): Store[] {
    const rows = this.deps.db.prepare('SELECT * FROM stores ORDER BY name COLLATE NOCASE, id').all() as StoreRow[];
    return rows.map((row) => storeFromRow(row, null));
  }

  get(id: string): Store | null {
    const row = this.row(id);
    return row ? storeFromRow(row, null) : null;
  }

  /** The store with `proxy.password` filled in when one is stored. */
  getWithSecrets(id: string): Store | null {
    const row = this.row(id);
    return row ? storeFromRow(row, this.proxyPassword(id)) : null;
  }

  create(input: StoreInput): Store {
    const store = parseInput(StoreInput, input, 'store');
    const id = this.deps.newId();
    const now = this.deps.clock();
    this.deps.db.transaction(() => {
      this.deps.db
        .prepare(
          `INSERT INTO stores (id, name, platform_id, site_id, home_url, group_name, colour, proxy, user_agent, accept_language, created_at, updated_at)
           VALUES (@id, @name, @platformId, @siteId, @homeUrl, @group, @colour, @proxy, @userAgent, @acceptLanguage, @now, @now)`,
        )
        .run({ ...store, id, now, proxy: proxyJson(store.proxy) });
      this.writeProxyPassword(id, store.proxy?.password, now);
    })();
    return this.get(id)!;
  }

  /**
   * Changes the given fields. A `proxy` given without `password` keeps the stored password (the
   * console never receives it, so it cannot send it back) — unless it names another server or
   * account (scheme, host, port or username): a password is never sent to a proxy it was not
   * entered for, so that one is dropped. `password: ''` removes it; `proxy: null` removes the
   * proxy and its password.
   */
  update(id: string, patch: Partial<StoreInput>): Store {
    return this.deps.db.transaction(() => {
      const current = this.get(id);
      if (!current) throw new RepoError('not-found', `store ${id} not found`);
      const { id: _id, createdAt: _created, updatedAt: _updated, ...currentInput } = current;
      const changes = definedEntries(patch);
      const store = parseInput(StoreInput, { ...currentInput, ...changes }, 'store');
      const now = this.deps.clock();
      this.deps.db
        .prepare(
          `UPDATE stores SET name = @name, platform_id = @platformId, site_id = @siteId, home_url = @homeUrl, group_name = @group,
             colour = @colour, proxy = @proxy, user_agent = @userAgent, accept_language = @acceptLanguage, updated_at = @now
           WHERE id = @id`,
        )
        .run({ ...store, id, now, proxy: proxyJson(store.proxy) });
      // The stored password is left as it is (sealed or not, never opened) unless the patch names
      // one, or the proxy it was for is gone.
      if (!store.proxy || (changes.proxy?.password === undefined && !(current.proxy && sameProxyAccount(current.proxy, store.proxy)))) this.writeProxyPassword(id, undefined, now);
      else if (changes.proxy?.password !== undefined) this.writeProxyPassword(id, changes.proxy.password, now);
      return this.get(id)!;
    })();
  }

  /** Deletes the store; its assignments and secrets go with it (ON DELETE CASCADE). */
  delete(id: string): void {
    const { changes } = this.deps.db.prepare('DELETE FROM stores WHERE id = ?').run(id);
    if (changes === 0) throw new RepoError('not-found', `store ${id} not found`);
  }

  private row(id: string): StoreRow | undefined {
    return this.deps.db.prepare('SELECT * FROM stores WHERE id = ?').get(id) as StoreRow | undefined;
  }

  private proxyPassword(storeId: string): string | null {
    const row = this.deps.db.prepare('SELECT value FROM secrets WHERE store_id = ? AND name = ?').get(storeId, PROXY_PASSWORD) as
      | { value: string }
      | undefined;
    if (!row) return null;
    try {
      return openedSecret(row.value, this.deps.secretBox);
    } catch (error) {
      if (!(error instanceof SecretUnavailableError)) throw error;
      throw new RepoError('conflict', `the proxy password of this store cannot be read: ${error.message}`, [{ path: 'proxy.password', message: error.message }]);
    }
  }

  /**
   * Seals every secret still kept as plain text (saved before the host had a keychain), in one
   * transaction. Returns how many were sealed; 0 without a SecretBox.
   */
  sealPlainSecrets(): number {
    const box = this.deps.secretBox;
    if (!box) return 0;
    const rows = this.deps.db.prepare('SELECT store_id AS storeId, name, value FROM secrets').all() as { storeId: string; name: string; value: string }[];
    const plain = rows.filter((row) => !isSealed(row.value));
    const update = this.deps.db.prepare('UPDATE secrets SET value = ? WHERE store_id = ? AND name = ?');
    this.deps.db.transaction(() => {
      for (const row of plain) update.run(storedSecret(row.value, box), row.storeId, row.name);
    })();
    return plain.length;
  }

  private writeProxyPassword(storeId: string, password: string | undefined, now: number): void {
    if (password) {
      this.deps.db
        .prepare(
          `INSERT INTO secrets (store_id, name, value, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (store_id, name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        )
        .run(storeId, PROXY_PASSWORD, storedSecret(password, this.deps.secretBox), now);
    } else {
      this.deps.db.prepare('DELETE FROM secrets WHERE store_id = ? AND name = ?').run(storeId, PROXY_PASSWORD);
    }
  }
}

/** The proxy as stored in the row: everything but the password. */
function proxyJson(proxy: ProxyConfig | null): string | null {
  if (!proxy) return null;
  const { password: _password, ...rest } = proxy;
  return JSON.stringify(rest);
}

function storeFromRow(row: StoreRow, proxyPassword: string | null): Store {
  let proxy = row.proxy === null ? null : parseJsonColumn(row.proxy, 'stores', row.id, 'proxy');
  if (proxy !== null && typeof proxy === 'object') {
    const { password: _ignored, ...rest } = proxy as Record<string, unknown>;
    proxy = proxyPassword === null ? rest : { ...rest, password: proxyPassword };
  }
  return parseRow(
    Store,
    {
      id: row.id,
      name: row.name,
      platformId: row.platform_id,
      siteId: row.site_id,
      homeUrl: row.home_url,
      group: row.group_name,
      colour: row.colour,
      proxy,
      userAgent: row.user_agent,
      acceptLanguage: row.accept_language,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    },
    'stores',
    row.id,
  );
}
