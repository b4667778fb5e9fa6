import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { Assignment } from '../../../shared/model/assignment';
import { Id } from '../../../shared/model/common';
import { Role } from '../../../shared/model/role';
import { Username } from '../../../shared/model/staff';
import { ProxyConfig, Store } from '../../../shared/model/store';
import { dummyCredentials } from '../auth/password-hash';
import { isUniqueViolation } from '../db/rows';
import type { Repositories } from '../repos';
import { usernameKey } from '../repos/users';
import { TrustError } from './errors';

/**
 * What a policy bundle carries (F25): stores without any secret (no proxy password; the
 * `secrets` table and store sessions are never read), staff without password material, roles
 * and assignments — each with its id, so log rows, partitions and assignments keep meaning the
 * same thing on every machine. Strict schemas: a bundle carrying a password field is refused.
 */
const BundleStore = Store.extend({ proxy: ProxyConfig.omit({ password: true }).strict().nullable() }).strict();
const BundleStaff = z.object({ id: Id, username: Username, displayName: z.string().trim().max(80), disabled: z.boolean() }).strict();

export const PolicyPayload = z
  .object({
    stores: z.array(BundleStore).max(10_000),
    staff: z.array(BundleStaff).max(10_000),
    roles: z.array(Role).max(10_000),
    assignments: z.array(Assignment).max(1_000_000),
  })
  .strict()
  .superRefine((p, ctx) => {
    const unique = (ids: string[], what: string) => {
      const seen = new Set<string>();
      for (const id of ids) {
        if (seen.has(id)) ctx.addIssue({ code: 'custom', message: `${what} ${id} appears twice` });
        seen.add(id);
      }
      return seen;
    };
    const stores = unique(p.stores.map((s) => s.id), 'store');
    const staff = unique(p.staff.map((s) => s.id), 'staff member');
    const roles = unique(p.roles.map((r) => r.id), 'role');
    unique(p.assignments.map((a) => a.id), 'assignment');
    unique(p.staff.map((s) => usernameKey(s.username)), 'username');
    unique(p.assignments.map((a) => `${a.staffId}/${a.storeId}`), 'staff/store pair');
    for (const a of p.assignments) {
      if (!stores.has(a.storeId) || !staff.has(a.staffId) || !roles.has(a.roleId)) ctx.addIssue({ code: 'custom', message: `assignment ${a.id} refers to a store, staff member or role not in the bundle` });
    }
  });
export type PolicyPayload = z.infer<typeof PolicyPayload>;

/** The owner's current policy, ready to sign. */
export function collectPolicy(repos: Repositories): PolicyPayload {
  return {
    stores: repos.stores.list().map((s) => {
      if (s.proxy === null) return { ...s, proxy: null };
      const { password: _never, ...proxy } = s.proxy;
      return { ...s, proxy };
    }),
    staff: repos.users
      .list()
      .filter((u) => u.kind === 'staff')
      .map((u) => ({ id: u.id, username: u.username, displayName: u.displayName, disabled: u.disabled })),
    roles: repos.roles.list(),
    assignments: repos.assignments.list(),
  };
}

export interface PolicyReplacement {
  counts: { stores: number; staff: number; roles: number; assignments: number };
  /** Stores deleted here: the host wipes their session data (noted for it, store-data-wipes.ts). */
  removedStoreIds: string[];
  removedStaffIds: string[];
  /** Staff the policy disables: signed out and their stores closed like those removed. */
  disabledStaffIds: string[];
  /** Staff new to this machine: they cannot sign in until the owner sets a password here. */
  newStaffIds: string[];
}

/**
 * Makes the policy tables equal to the payload. Must run inside the caller's transaction.
 * Existing staff keep their password on this machine; new staff get unusable credentials.
 * The local owner account and settings are left alone.
 */
export function replacePolicyTables(db: Database, payload: PolicyPayload, now: number): PolicyReplacement {
  if (!db.inTransaction) throw new Error('replacePolicyTables must run inside a transaction');
  const ids = (sql: string) => (db.prepare(sql).all() as Array<{ id: string }>).map((r) => r.id);
  db.prepare('DELETE FROM assignments').run();

  const storeIds = new Set(payload.stores.map((s) => s.id));
  const upsertStore = db.prepare(
    `INSERT INTO stores (id, name, platform_id, site_id, home_url, group_name, colour, proxy, user_agent, accept_language, created_at, updated_at)
     VALUES (@id, @name, @platformId, @siteId, @homeUrl, @group, @colour, @proxy, @userAgent, @acceptLanguage, @createdAt, @updatedAt)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, platform_id = excluded.platform_id, site_id = excluded.site_id, home_url = excluded.home_url,
       group_name = excluded.group_name, colour = excluded.colour, proxy = excluded.proxy, user_agent = excluded.user_agent,
       accept_language = excluded.accept_language, updated_at = excluded.updated_at`,
  );
  for (const s of payload.stores) {
    upsertStore.run({ ...s, proxy: s.proxy === null ? null : JSON.stringify(s.proxy) });
    if (s.proxy === null) db.prepare("DELETE FROM secrets WHERE store_id = ? AND name = 'proxy-password'").run(s.id);
  }
  const removedStoreIds = ids('SELECT id FROM stores').filter((id) => !storeIds.has(id));
  for (const id of removedStoreIds) db.prepare('DELETE FROM stores WHERE id = ?').run(id);

  const staffIds = new Set(payload.staff.map((s) => s.id));
  const removedStaffIds = ids("SELECT id FROM users WHERE kind = 'staff'").filter((id) => !staffIds.has(id));
  for (const id of removedStaffIds) db.prepare('DELETE FROM users WHERE id = ?').run(id);
  // Free every staff name first, so a bundle that swaps two names does not trip over itself.
  db.prepare("UPDATE users SET username_key = char(1) || id WHERE kind = 'staff'").run();
  const newStaffIds: string[] = [];
  for (const s of payload.staff) {
    const existing = db.prepare('SELECT kind FROM users WHERE id = ?').get(s.id) as { kind: string } | undefined;
    if (existing && existing.kind !== 'staff') throw new TrustError('conflict', `staff member ${s.username} has the id of this machine's owner account`);
    try {
      if (existing) {
        db.prepare('UPDATE users SET username = ?, username_key = ?, display_name = ?, disabled = ?, updated_at = ? WHERE id = ?').run(s.username, usernameKey(s.username), s.displayName, s.disabled ? 1 : 0, now, s.id);
      } else {
        const credentials = dummyCredentials();
        db.prepare(
          `INSERT INTO users (id, username, username_key, display_name, kind, disabled, password_hash, password_salt, created_at, updated_at)
           VALUES (?, ?, ?, ?, 'staff', ?, ?, ?, ?, ?)`,
        ).run(s.id, s.username, usernameKey(s.username), s.displayName, s.disabled ? 1 : 0, credentials.passwordHash, credentials.passwordSalt, now, now);
        newStaffIds.push(s.id);
      }
    } catch (error) {
      if (isUniqueViolation(error)) throw new TrustError('conflict', `the username "${s.username}" is taken on this machine by its owner account`);
      throw error;
    }
  }

  const roleIds = new Set(payload.roles.map((r) => r.id));
  const upsertRole = db.prepare(
    `INSERT INTO roles (id, name, description, template, levels, other_level, rules, switches, step_up, default_validity_days, created_at, updated_at)
     VALUES (@id, @name, @description, @template, @levels, @otherLevel, @rules, @switches, @stepUp, @defaultValidityDays, @createdAt, @updatedAt)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description, template = excluded.template, levels = excluded.levels,
       other_level = excluded.other_level, rules = excluded.rules, switches = excluded.switches, step_up = excluded.step_up,
       default_validity_days = excluded.default_validity_days, updated_at = excluded.updated_at`,
  );
  for (const r of payload.roles) {
    upsertRole.run({ ...r, levels: JSON.stringify(r.levels), rules: JSON.stringify(r.rules), switches: JSON.stringify(r.switches), stepUp: JSON.stringify(r.stepUp) });
  }
  for (const id of ids('SELECT id FROM roles').filter((id) => !roleIds.has(id))) db.prepare('DELETE FROM roles WHERE id = ?').run(id);

  const insertAssignment = db.prepare(
    `INSERT INTO assignments (id, staff_id, store_id, role_id, valid_from, valid_until, scope, created_at, updated_at)
     VALUES (@id, @staffId, @storeId, @roleId, @validFrom, @validUntil, @scope, @createdAt, @updatedAt)`,
  );
  for (const a of payload.assignments) insertAssignment.run({ ...a, scope: JSON.stringify(a.scope) });

  return {
    counts: { stores: payload.stores.length, staff: payload.staff.length, roles: payload.roles.length, assignments: payload.assignments.length },
    removedStoreIds,
    removedStaffIds,
    disabledStaffIds: payload.staff.filter((s) => s.disabled).map((s) => s.id),
    newStaffIds,
  };
}
