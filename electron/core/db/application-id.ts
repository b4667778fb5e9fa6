import type { Database } from 'better-sqlite3';

/**
 * Stamped into the SQLite header (PRAGMA application_id) by migration 1: "ShWd". Lets us refuse
 * some other program's database instead of migrating it into a ShopWarden file.
 */
export const SHOPWARDEN_APPLICATION_ID = 0x53685764;

export function assertShopWardenFile(db: Database, file: string): void {
  const id = db.pragma('application_id', { simple: true }) as number;
  if (id !== 0 && id !== SHOPWARDEN_APPLICATION_ID) {
    throw new Error(`${file} is not a ShopWarden database (SQLite application_id ${id}); refusing to open it`);
  }
}
