/**
 * The log bench/log-viewer.ts measures: a small business (8 stores on Amazon and Taobao/Tmall,
 * 12 staff and the owner) created through the core as the owner would, and a long, realistic
 * operation log of it (every kind, guard rows as the guard writes them, page URLs with the ids
 * and query strings such pages carry) appended by the app's own AuditWriter.
 */
import { BUILTIN_PLATFORMS, expandSiteFilters } from '../shared/catalog';
import type { CatalogModule, Platform } from '../shared/catalog';
import type { AuditEventInput, AuditKind } from '../shared/model/audit';
import type { AppCore } from '../electron/core/app/app-core';
import type { ConsoleSession } from '../electron/core/service/context';
import { AuditWriter } from '../electron/core/audit';
import { UrlIndexer } from '../electron/core/audit/url-indexer';
import { openDatabase } from '../electron/core/db';
import type { Rng } from './seeded-random';

export const DAY = 86_400_000;
/** Inside the default retention of 180 days (it runs a minute after start and would cut the oldest rows mid-run). */
export const SPAN_DAYS = 179;
/** Rows per transaction while seeding. */
export const SEED_BATCH = 10_000;
export const OWNER = { username: 'owner', displayName: 'Lin Mei', password: 'bench-owner-password-1' };

// ---------------------------------------------------------------------------------------------
// The world: stores and staff created through the core, as the owner would
// ---------------------------------------------------------------------------------------------

interface WorldStore {
  id: string;
  name: string;
  platform: Platform;
  siteId: string;
  /** Module id → expanded filters ("sellercentral.amazon.de/orders-v3"). */
  pages: Array<{ module: CatalogModule; prefixes: string[] }>;
  baseline: string[];
}

export interface World {
  ownerId: string;
  stores: WorldStore[];
  staff: Array<{ id: string; username: string; stores: number[]; weight: number }>;
}

const STORES: Array<{ name: string; platformId: string; siteId: string }> = [
  { name: 'Mugs US', platformId: 'amazon', siteId: 'us' },
  { name: 'Mugs CA', platformId: 'amazon', siteId: 'ca' },
  { name: 'Lamps UK', platformId: 'amazon', siteId: 'uk' },
  { name: 'Lamps DE', platformId: 'amazon', siteId: 'de' },
  { name: 'Lamps FR', platformId: 'amazon', siteId: 'fr' },
  { name: 'Kettles JP', platformId: 'amazon', siteId: 'jp' },
  { name: '杯子淘宝店', platformId: 'taobao', siteId: 'taobao' },
  { name: '灯具天猫旗舰店', platformId: 'taobao', siteId: 'tmall' },
];

const STAFF = ['CS_Li_US', 'CS_Zhao_EU', 'CS_Chen_JP', 'OPS_Wang_DE', 'OPS_Liu_US', 'OPS_Yang_TB', 'ADS_Huang', 'ADS_Zhou', 'FIN_Wu', 'WH_Xu', 'CS_Sun_TB', 'INTERN_Ma'];

/** How often staff visit each module (unlisted modules: 1). */
const MODULE_WEIGHT: Record<string, number> = { orders: 30, messages: 14, listings: 12, inventory: 12, shipping: 8, returns: 6, advertising: 8, pricing: 5, promotions: 4, reports: 5, performance: 2 };

export async function createWorld(core: AppCore, session: ConsoleSession, rng: Rng): Promise<World> {
  const call = async <T>(channel: string, payload: unknown): Promise<T> => {
    const answer = await core.invoke(session, channel, payload);
    if (!answer.ok) throw new Error(`${channel}: ${answer.error.code} ${answer.error.message}`);
    return answer.data as T;
  };
  const owner = await call<{ user: { id: string } }>('auth:setup-owner', OWNER);
  const stores: WorldStore[] = [];
  for (const s of STORES) {
    const platform = BUILTIN_PLATFORMS.find((p) => p.id === s.platformId)!;
    const site = platform.sites.find((x) => x.id === s.siteId)!;
    const created = await call<{ id: string }>('stores:create', { name: s.name, platformId: s.platformId, siteId: s.siteId, homeUrl: site.homeUrl });
    stores.push({
      id: created.id,
      name: s.name,
      platform,
      siteId: s.siteId,
      pages: platform.modules.map((module) => ({ module, prefixes: expandSiteFilters(module.filters, site) })),
      baseline: expandSiteFilters(platform.baseline.filter((f) => f.includes('{')), site),
    });
  }
  const staff: World['staff'] = [];
  for (const [i, username] of STAFF.entries()) {
    const created = await call<{ id: string }>('staff:create', { username, displayName: '', password: `bench-staff-password-${i}` });
    // Each works in one to three stores (the Taobao people on the Taobao shops), some far more than others.
    const taobao = username.endsWith('_TB');
    const pool = stores.map((_, index) => index).filter((index) => (stores[index]!.platform.id === 'taobao') === taobao);
    const count = Math.min(pool.length, rng.int(1, 3));
    const mine = new Set<number>();
    while (mine.size < count) mine.add(rng.pick(pool));
    staff.push({ id: created.id, username, stores: [...mine], weight: username.startsWith('INTERN') ? 1 : rng.int(2, 12) });
  }
  return { ownerId: owner.user.id, stores, staff };
}

// ---------------------------------------------------------------------------------------------
// Realistic rows
// ---------------------------------------------------------------------------------------------

const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
const digits = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.int(0, 9)).join('');
const asin = (rng: Rng) => `B0${Array.from({ length: 8 }, () => rng.pick([...ALNUM])).join('')}`;
const amazonOrder = (rng: Rng) => `${rng.pick(['111', '112', '113', '114', '171', '249', '503'])}-${digits(rng, 7)}-${digits(rng, 7)}`;

/** A page URL a person would visit in `module` of `store`, with the ids and query strings such pages carry. */
function pageUrl(rng: Rng, store: WorldStore, prefix: string): string {
  const base = `https://${prefix.replace(/\/$/, '')}`;
  const taobao = store.platform.id === 'taobao';
  const order = taobao ? digits(rng, 19) : amazonOrder(rng);
  const item = taobao ? digits(rng, 12) : asin(rng);
  const variants = [
    () => `${base}`,
    () => `${base}/order/${order}`,
    () => `${base}/${taobao ? 'item.htm' : 'detail'}?${taobao ? 'id' : 'asin'}=${item}`,
    () => `${base}?page=${rng.int(1, 40)}&sort=date_desc&status=${rng.pick(['all', 'unshipped', 'pending', 'shipped', 'cancelled'])}`,
    () => `${base}/search?q=${encodeURIComponent(rng.pick(['mug', 'lamp', 'kettle', '杯子', '台灯', 'gift set', 'refund']))}&ref=xx_${rng.pick(['nav', 'home', 'search'])}_dnav_xx`,
    () => `${base}/${order}/edit?session-id=${digits(rng, 3)}-${digits(rng, 7)}&token=${digits(rng, 16)}`,
  ];
  return rng.pick(variants)();
}

const KINDS: ReadonlyArray<readonly [AuditKind, number]> = [
  ['navigation', 540],
  ['mutation', 180],
  ['block', 120],
  ['download', 30],
  ['store-open', 30],
  ['store-close', 28],
  ['login', 20],
  ['logout', 18],
  ['login-failed', 4],
  ['step-up-request', 6],
  ['step-up-grant', 3],
  ['step-up-deny', 1],
  ['owner-change', 4],
  ['session-closed', 3],
  ['policy-error', 1],
  ['lockout', 0.2],
];

const SENSITIVE_BLOCK_MODULES = new Set(['payments', 'tax', 'account', 'user-permissions', 'close-account', 'login-security', 'advertising', 'pricing']);

function makeEvent(rng: Rng, world: World, ts: number): AuditEventInput {
  const kind = rng.weighted(KINDS);
  if (kind === 'owner-change') {
    const store = rng.pick(world.stores);
    return {
      ts,
      kind,
      actorId: world.ownerId,
      detail: { entity: rng.pick(['store', 'assignment', 'role', 'staff']), id: store.id, before: { name: store.name, group: '' }, after: { name: store.name, group: rng.pick(['EU', 'US', 'CN']) } },
    };
  }
  const byOwner = rng.next() < 0.06;
  const person = byOwner ? null : rng.weighted(world.staff.map((s) => [s, s.weight] as const));
  const actorId = person?.id ?? world.ownerId;
  const store = world.stores[person ? rng.pick(person.stores) : rng.int(0, world.stores.length - 1)]!;
  switch (kind) {
    case 'login':
    case 'logout':
    case 'login-failed':
    case 'lockout':
      return { ts, kind, actorId, detail: kind === 'login-failed' ? { username: person?.username ?? OWNER.username } : {} };
    case 'store-open':
    case 'store-close':
    case 'session-closed':
    case 'policy-error':
      return { ts, kind, actorId, storeId: store.id, reason: kind === 'store-close' ? rng.pick(['closed', 'idle-lock', 'expired']) : kind === 'session-closed' ? rng.pick(['expired', 'revoked']) : kind === 'policy-error' ? 'catalog-invalid' : null };
    default:
      break;
  }
  // Guard rows, as electron/core/app/guard-log.ts writes them.
  const blocked = kind === 'block' || kind === 'step-up-request' || kind === 'step-up-deny';
  const onBaseline = !blocked && rng.next() < 0.07;
  const page = onBaseline
    ? null
    : blocked
      ? rng.weighted(store.pages.map((p) => [p, SENSITIVE_BLOCK_MODULES.has(p.module.id) ? 6 : 1] as const))
      : rng.weighted(store.pages.map((p) => [p, MODULE_WEIGHT[p.module.id] ?? 1] as const));
  const prefix = page ? rng.pick(page.prefixes) : rng.pick(store.baseline);
  const url = pageUrl(rng, store, prefix);
  const method = kind === 'mutation' ? rng.pick(['POST', 'POST', 'PUT', 'PATCH', 'DELETE']) : blocked && rng.next() < 0.3 ? 'POST' : 'GET';
  const owner = actorId === world.ownerId;
  const reason = owner
    ? blocked
      ? 'step-up-required'
      : 'owner'
    : kind === 'block'
      ? rng.pick(['module-none', 'module-view-mutation', 'rule-block', 'other-none', 'download-disabled'])
      : kind.startsWith('step-up')
        ? 'step-up-required'
        : onBaseline
          ? 'baseline'
          : kind === 'mutation'
            ? 'module-edit'
            : rng.pick(['module-edit', 'module-view']);
  const level = page && !owner ? (reason === 'module-edit' ? 'edit' : reason === 'module-none' ? 'none' : 'view') : null;
  return {
    ts,
    kind,
    actorId,
    storeId: store.id,
    url,
    method,
    module: page?.module.id ?? null,
    decision: blocked ? 'blocked' : 'allowed',
    reason,
    ruleId: reason === 'rule-block' ? `rule-${rng.int(1, 40)}` : page ? `module:${page.module.id}` : onBaseline ? 'baseline' : null,
    detail: { resourceType: kind === 'download' ? 'download' : kind === 'mutation' ? 'xhr' : 'mainFrame', ...(page ? { filter: prefix } : {}), ...(level ? { level } : {}) },
  };
}

/** Appends `rows` events through the app's AuditWriter, SEED_BATCH per transaction; ts rises over SPAN_DAYS up to `end`. */
export function seedLog(file: string, world: World, rows: number, end: number, rng: Rng): { seconds: number; urlIndexSeconds: number } {
  const db = openDatabase(file);
  const started = performance.now();
  try {
    const writer = new AuditWriter(db, { batchSize: SEED_BATCH, maxQueued: SEED_BATCH * 2, flushIntervalMs: 60_000 });
    const start = end - SPAN_DAYS * DAY;
    const step = (SPAN_DAYS * DAY) / rows;
    for (let i = 0; i < rows; i++) {
      // Busy working hours, quiet nights: rows bunch up, ts never goes backwards.
      const ts = Math.floor(start + i * step + rng.next() * step);
      writer.append(makeEvent(rng, world, ts));
      if ((i + 1) % SEED_BATCH === 0) writer.flush();
    }
    writer.close();
    // The writer indexes URLs in idle time, which a tight seeding loop never leaves it; the log
    // is measured as an app that has been idle since would hold it: fully indexed.
    const indexStarted = performance.now();
    UrlIndexer.open(db)!.catchUp();
    return { seconds: (indexStarted - started) / 1000, urlIndexSeconds: (performance.now() - indexStarted) / 1000 };
  } finally {
    db.close();
  }
}
