import { z } from 'zod';
import { Assignment, AssignmentInput, Scope } from '../model/assignment';
import { AuditEvent, AuditKind } from '../model/audit';
import { Id, Timestamp, TimeZone } from '../model/common';
import { Decision } from '../model/decision';
import { Role, RoleInput } from '../model/role';
import { Password, StaffInput, User, Username } from '../model/staff';
import { Store, StoreInput } from '../model/store';
import { Platform } from '../catalog/schema';
import {
  AccessReview,
  AlertRules,
  AlertWithRows,
  AppliedSuggestion,
  ArchiveInfo,
  ExpiringChoice,
  ExportedFile,
  ImportedCursor,
  ImportedEvent,
  KeyInfo,
  LogImportResult,
  MachineInfo,
  MAX_LOG_BUNDLE_CHARS,
  MAX_POLICY_BUNDLE_CHARS,
  MAX_PUBLIC_KEY_CHARS,
  PolicyApplyResult,
  RetentionRun,
  RetentionSettings,
  ReviewOptions,
  TrustStatus,
} from './trust';

/**
 * The one contract between the console (renderer) and the main process, for both hosts.
 * Each channel names who may call it, what it takes and what it answers. The Electron preload,
 * the system-browser host's HTTP bridge and the core service are all driven by this table.
 */
type Access = 'public' | 'signed-in' | 'owner';
interface ChannelOptions {
  /**
   * Changes what a policy bundle carries (stores, staff, roles, assignments): refused with
   * `managed` on a staff machine that takes its policy from the owner's signed bundles (F25).
   */
  changesPolicy?: true;
}
function channel<Req extends z.ZodType, Res extends z.ZodType>(access: Access, request: Req, response: Res, options: ChannelOptions = {}) {
  return { access, request, response, changesPolicy: options.changesPolicy ?? false };
}
/** See ChannelOptions.changesPolicy. */
const POLICY_EDIT: ChannelOptions = { changesPolicy: true };

type WithoutDefault<T> = T extends z.ZodDefault<infer Inner> ? Inner : T;

/**
 * An update patch of `object`: every field optional, and none filled in with its default —
 * zod's partial() keeps the defaults, so a patch naming one field would reset the others.
 */
function patchOf<Shape extends z.ZodRawShape>(object: z.ZodObject<Shape>) {
  const shape = Object.fromEntries(Object.entries(object.shape).map(([key, field]) => [key, ((field instanceof z.ZodDefault ? field.unwrap() : field) as z.ZodType).optional()]));
  return z.object(shape as unknown as { [K in keyof Shape]: z.ZodOptional<WithoutDefault<Shape[K]>> }).strict();
}

const Empty = z.object({}).strict();
/** A file's name with no folder in it (not "..", no separators). */
const FileName = z
  .string()
  .min(1)
  .max(255)
  .refine((name) => !/[\\/]/.test(name) && !name.includes('\0') && name !== '.' && name !== '..', 'a file name, without any folder');
const Ok = z.object({ ok: z.literal(true) });
const ById = z.object({ id: Id }).strict();

export const PublicUser = User.pick({ id: true, username: true, displayName: true, kind: true, disabled: true });
export type PublicUser = z.infer<typeof PublicUser>;

export const SessionInfo = z.object({ user: PublicUser, signedInAt: Timestamp });
export type SessionInfo = z.infer<typeof SessionInfo>;

export const AppStatus = z.object({
  needsSetup: z.boolean(),
  session: SessionInfo.nullable(),
  /** For the login picker: who can sign in on this machine. */
  users: z.array(PublicUser),
});

export const WorkspaceStore = z.object({
  store: Store.omit({ proxy: true }),
  roleName: z.string(),
  validUntil: Timestamp.nullable(),
  /** Open for this user right now (so a reloaded console shows its tabs again). */
  open: z.boolean(),
});
export type WorkspaceStore = z.infer<typeof WorkspaceStore>;

/** The browser buttons of an open store (F5), carried out by the host in the store's window or tab. */
export const StoreNavigation = z.enum(['back', 'forward', 'reload', 'home']);
export type StoreNavigation = z.infer<typeof StoreNavigation>;

export const LogFilter = z
  .object({
    actorId: Id.optional(),
    storeId: Id.optional(),
    module: z.string().max(64).optional(),
    kinds: z.array(AuditKind).max(20).optional(),
    decision: z.enum(['allowed', 'blocked']).optional(),
    from: Timestamp.optional(),
    to: Timestamp.optional(),
    urlContains: z.string().max(500).optional(),
  })
  .strict();
export type LogFilter = z.infer<typeof LogFilter>;

/** log:daily covers at most this many days (one bar each). */
export const LOG_DAILY_MAX_DAYS = 3660;

/** log:count stops here: the console shows "more than 10,000" rather than wait for the rest. */
export const LOG_COUNT_LIMIT = 10_000;

export const StepUpRequest = z.object({
  id: Id,
  storeId: Id,
  userId: Id,
  url: z.string(),
  /** The step-up filter that matched; a grant covers exactly this filter. */
  filter: z.string(),
  at: Timestamp,
});
export type StepUpRequest = z.infer<typeof StepUpRequest>;

export const AppSettings = z.object({
  /** Minutes without input before the console locks; 0 = never. */
  idleLockMinutes: z.number().int().min(0).max(480),
});
export type AppSettings = z.infer<typeof AppSettings>;

export const RuleTestRequest = z
  .object({ url: z.string().min(1).max(8192), method: z.string().min(1).max(16).default('GET'), staffId: Id, storeId: Id })
  .strict();

export const contract = {
  'app:status': channel('public', Empty, AppStatus),
  /** The console's interface language (F27), told on start and on every switch: the host's own pages (blocked, approval needed) follow it. */
  'app:language': channel('public', z.object({ language: z.enum(['en', 'zh-CN']) }).strict(), Ok),
  'auth:setup-owner': channel('public', z.object({ username: Username, password: Password, displayName: z.string().max(80).default('') }).strict(), SessionInfo),
  'auth:login': channel('public', z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }).strict(), SessionInfo),
  'auth:logout': channel('signed-in', Empty, Ok),
  'auth:change-password': channel('signed-in', z.object({ current: z.string().min(1).max(256), next: Password }).strict(), Ok),

  'catalog:platforms': channel('signed-in', Empty, z.array(Platform)),

  'stores:list': channel('owner', Empty, z.array(Store)),
  'stores:create': channel('owner', StoreInput.strict(), Store, POLICY_EDIT),
  /** Changes policy too, but a managed machine may still set a proxy's password (no bundle carries one): its handler decides. */
  'stores:update': channel('owner', z.object({ id: Id, patch: patchOf(StoreInput) }).strict(), Store),
  'stores:delete': channel('owner', ById, Ok, POLICY_EDIT),

  'staff:list': channel('owner', Empty, z.array(PublicUser)),
  'staff:create': channel('owner', StaffInput.strict(), PublicUser, POLICY_EDIT),
  'staff:update': channel('owner', z.object({ id: Id, displayName: z.string().trim().max(80) }).strict(), PublicUser, POLICY_EDIT),
  // Not a policy edit on a managed machine: there it suspends on this computer (handlers/staff.ts).
  'staff:set-disabled': channel('owner', z.object({ id: Id, disabled: z.boolean() }).strict(), PublicUser),
  'staff:reset-password': channel('owner', z.object({ id: Id, password: Password }).strict(), Ok),
  'staff:delete': channel('owner', ById, Ok, POLICY_EDIT),

  'roles:list': channel('owner', Empty, z.array(Role)),
  'roles:create': channel('owner', RoleInput.strict(), Role, POLICY_EDIT),
  'roles:update': channel('owner', z.object({ id: Id, patch: patchOf(RoleInput) }).strict(), Role, POLICY_EDIT),
  'roles:delete': channel('owner', ById, Ok, POLICY_EDIT),

  'assignments:list': channel('owner', z.object({ storeId: Id.optional(), staffId: Id.optional() }).strict(), z.array(Assignment)),
  'assignments:upsert': channel('owner', AssignmentInput, Assignment, POLICY_EDIT),
  'assignments:delete': channel('owner', ById, Ok, POLICY_EDIT),
  /** F10: copy one store's assignments to other stores of the same platform (hosts translated). */
  'assignments:copy-to-stores': channel('owner', z.object({ fromStoreId: Id, toStoreIds: z.array(Id).min(1).max(500) }).strict(), z.array(Assignment), POLICY_EDIT),
  /**
   * F10: one role for one staff member on many stores at once. `validUntil` applies to every
   * store (null: no end); `scope` when given. A store the person is already assigned to keeps
   * its start (and its scope when none is given).
   */
  'assignments:apply-role': channel(
    'owner',
    z.object({ staffId: Id, roleId: Id, storeIds: z.array(Id).min(1).max(500), validUntil: Timestamp.nullable().default(null), scope: Scope.optional() }).strict(),
    z.array(Assignment),
    POLICY_EDIT,
  ),

  /** The decision and the rule behind it; the console puts it in words in the person's language. */
  'policy:test': channel('owner', RuleTestRequest, z.object({ decision: Decision })),

  'policy:problems': channel('owner', Empty, z.array(z.string())),

  'workspace:stores': channel('signed-in', Empty, z.array(WorkspaceStore)),
  /** Opens (or focuses) the store in its own session; refused without a valid assignment. */
  'workspace:open-store': channel('signed-in', z.object({ storeId: Id }).strict(), Ok),
  'workspace:close-store': channel('signed-in', z.object({ storeId: Id }).strict(), Ok),
  /** Electron: hide the store tabs so the console fills the window (the system browser has separate windows). */
  'workspace:show-console': channel('signed-in', Empty, Ok),
  /** Back / forward / reload / home in a store this console opened; "not-found" when it is not open. */
  'workspace:navigate': channel('signed-in', z.object({ storeId: Id, action: StoreNavigation }).strict(), Ok),
  /** Step-up pages this user hit and that wait for the owner's approval (F17). */
  'stepup:pending': channel('signed-in', Empty, z.array(StepUpRequest)),
  /** The owner, at the staff member's screen, approves one step-up page with their password. */
  'stepup:approve': channel(
    'signed-in',
    z.object({ requestId: Id, ownerPassword: z.string().min(1).max(256), minutes: z.number().int().min(1).max(240).default(15) }).strict(),
    z.object({ until: Timestamp }),
  ),
  'stepup:dismiss': channel('signed-in', z.object({ requestId: Id }).strict(), Ok),

  'settings:get': channel('signed-in', Empty, AppSettings),
  'settings:update': channel('owner', patchOf(AppSettings), AppSettings),

  /**
   * One page of the matching rows, newest first, after the keyset cursor `beforeId`. `throughId`
   * fixes the viewer's snapshot: only rows up to that id (inclusive) are read. Without it the
   * answer's `throughId` is the newest row now; pass it back with every later page (and a page
   * read again), so rows logged meanwhile neither shift the pages nor hide rows between them.
   */
  'log:query': channel(
    'owner',
    z
      .object({
        filter: LogFilter.default({}),
        beforeId: z.number().int().positive().optional(),
        throughId: z.number().int().nonnegative().optional(),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
    z.object({ rows: z.array(AuditEvent), nextBeforeId: z.number().int().positive().nullable(), throughId: z.number().int().nonnegative() }),
  ),
  'log:daily': channel(
    'owner',
    z
      .object({ from: Timestamp, to: Timestamp, utcOffsetMinutes: z.number().int().min(-840).max(840).default(0) })
      .strict()
      .refine((range) => range.to - range.from <= LOG_DAILY_MAX_DAYS * 86_400_000, { message: `at most ${LOG_DAILY_MAX_DAYS} days`, path: ['to'] }),
    z.array(z.object({ day: z.string(), start: z.number(), blocks: z.number().int(), mutations: z.number().int() })),
  ),
  /**
   * Streams the matching rows (oldest first) into a file in the app's exports folder.
   * throughId: the viewer's snapshot (log:query's answer), so the file holds the rows it counted.
   * timeZone: CSV times are written in it, with their offset (default UTC, "…Z").
   */
  'log:export': channel(
    'owner',
    z.object({ filter: LogFilter.default({}), format: z.enum(['csv', 'jsonl']), throughId: z.number().int().nonnegative().optional(), timeZone: TimeZone.optional() }).strict(),
    z.object({ path: z.string(), fileName: z.string(), rows: z.number().int().nonnegative() }),
  ),
  /**
   * Rows matching the filter, counted up to LOG_COUNT_LIMIT: beyond it `capped` is true and
   * `count` is the limit (counting a common URL text to the end visits every match).
   */
  'log:count': channel(
    'owner',
    // throughId: the viewer's snapshot (log:query's answer), so the count is of the rows it shows.
    z.object({ filter: LogFilter.default({}), throughId: z.number().int().nonnegative().optional() }).strict(),
    z.object({ count: z.number().int().nonnegative(), capped: z.boolean() }),
  ),
  /**
   * Shows a file the app wrote (an export, a bundle, an archive) in the system's file manager.
   * Only a plain name inside the app's own folder is accepted.
   */
  'files:reveal': channel('owner', z.object({ folder: z.enum(['exports', 'archives']), fileName: FileName }).strict(), Ok),
  'log:verify': channel(
    'owner',
    Empty,
    z.union([
      z.object({ intact: z.literal(true), rows: z.number().int(), head: z.string() }),
      z.object({ intact: z.literal(false), firstBadId: z.number().int(), problem: z.string() }),
    ]),
  ),

  // ---- Audit you can trust (issue #5, F22–F26) ----
  /** F23: granted against used, per staff member, with suggestions. */
  'review:get': channel('owner', ReviewOptions, AccessReview),
  /** Carries out one suggestion of a review built now with the same options (never a suggestion the console made up). */
  'review:apply': channel('owner', ReviewOptions.extend({ suggestionId: z.string().min(1).max(200), choice: ExpiringChoice.optional() }).strict(), AppliedSuggestion, POLICY_EDIT),
  /** The review as CSV or a printable HTML page, written to the exports folder. */
  'review:export': channel(
    'owner',
    ReviewOptions.extend({ format: z.enum(['csv', 'html']), timeZone: TimeZone.optional(), title: z.string().max(200).optional() }).strict(),
    ExportedFile,
  ),
  /** F24 */
  'alerts:rules-get': channel('owner', Empty, AlertRules),
  'alerts:rules-set': channel('owner', AlertRules, AlertRules),
  /** Newest first, each with (up to MAX_ALERT_ROWS of) the log rows behind it. */
  'alerts:list': channel('owner', z.object({ includeDismissed: z.boolean().default(false) }).strict(), z.object({ alerts: z.array(AlertWithRows), undismissed: z.number().int() })),
  'alerts:dismiss': channel('owner', z.object({ ids: z.array(z.string().min(1).max(200)).min(1).max(1000) }).strict(), z.object({ dismissed: z.number().int() })),
  /** F22 */
  'retention:get': channel('owner', Empty, RetentionSettings),
  'retention:set': channel('owner', RetentionSettings.strict(), RetentionSettings),
  /** Archives and removes rows older than keepDays now (the log must verify first). */
  'retention:run': channel('owner', Empty, RetentionRun),
  'retention:archives': channel('owner', Empty, z.object({ folder: z.string(), archives: z.array(ArchiveInfo) })),
  /** Keys of this machine and what it is enrolled to (F25, F26). */
  'trust:owner-key': channel('owner', Empty, TrustStatus),
  /** Staff machine: accept policy bundles signed by this owner key (replaces an earlier enrolment). */
  'trust:enrol': channel('owner', z.object({ publicKeyPem: z.string().min(1).max(MAX_PUBLIC_KEY_CHARS) }).strict(), KeyInfo),
  /** F25: signs the current policy (creates the owner key, sealed with this password, on first use). */
  'policy-bundle:export': channel(
    'owner',
    z.object({ password: z.string().min(1).max(256) }).strict(),
    ExportedFile.extend({ version: z.number().int(), counts: z.object({ stores: z.number().int(), staff: z.number().int(), roles: z.number().int(), assignments: z.number().int() }) }),
  ),
  /** Staff machine: checks and applies a bundle; a refusal is an answer ({ ok: false, code, reason }), nothing changed. */
  'policy-bundle:apply': channel('owner', z.object({ text: z.string().min(1).max(MAX_POLICY_BUNDLE_CHARS) }).strict(), PolicyApplyResult),
  /** F26: this machine's log since the last export, signed, written to the exports folder. */
  'log-bundle:export': channel(
    'owner',
    z.object({ machineName: z.string().trim().min(1).max(80).optional() }).strict(),
    ExportedFile.extend({ rows: z.number().int(), fromId: z.number().int(), throughId: z.number().int(), more: z.boolean(), fingerprint: z.string() }),
  ),
  'log-bundle:import': channel('owner', z.object({ text: z.string().min(1).max(MAX_LOG_BUNDLE_CHARS) }).strict(), LogImportResult),
  'log-bundle:machines': channel('owner', Empty, z.array(MachineInfo)),
  /** Imported rows, newest first, tagged with the machine they came from. */
  'log-bundle:query': channel(
    'owner',
    z.object({ machineId: z.string().min(1).max(64).optional(), after: ImportedCursor.optional(), limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    z.object({ rows: z.array(ImportedEvent), next: ImportedCursor.nullable() }),
  ),
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type RequestOf<C extends Channel> = z.input<Contract[C]['request']>;
export type ResponseOf<C extends Channel> = z.output<Contract[C]['response']>;
export const CHANNELS = Object.keys(contract) as Channel[];

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}
