import { z } from 'zod';
import { HttpMethod, Id, Level, Slug, Timestamp } from './common';

/**
 * An owner-written rule in Chrome's URLBlocklist/URLAllowlist filter format (F13), optionally
 * narrowed to some HTTP methods. `{name}` placeholders expand to the assignment's scope values.
 * The filter text itself is validated by the policy parser (shared/policy), not here.
 */
export const CustomRule = z.object({
  id: Id,
  action: z.enum(['allow', 'block']),
  filter: z.string().trim().min(1).max(2048),
  methods: z.array(HttpMethod).max(7).optional(),
  note: z.string().max(200).default(''),
});
export type CustomRule = z.infer<typeof CustomRule>;

export const SensitiveSwitches = z.object({
  downloads: z.boolean(),
  uploads: z.boolean(),
  devtools: z.boolean(),
  printing: z.boolean(),
});
export type SensitiveSwitches = z.infer<typeof SensitiveSwitches>;

export const TemplateKey = z.enum([
  'super-admin',
  'operations-manager',
  'operator',
  'ads-specialist',
  'customer-service',
  'finance',
  'temporary',
]);
export type TemplateKey = z.infer<typeof TemplateKey>;

export const RoleInput = z.object({
  name: z.string().trim().min(1).max(80),
  description: z.string().max(500).default(''),
  /** Which built-in template this role was made from, if any. */
  template: TemplateKey.nullable().default(null),
  /** Level per module id; a module not listed is None (least privilege, F11). */
  levels: z.record(Slug, Level).default({}),
  /** Level for URLs that no module of the store's platform covers. */
  otherLevel: Level.default('view'),
  rules: z.array(CustomRule).max(1000).default([]),
  switches: SensitiveSwitches.default({ downloads: false, uploads: false, devtools: false, printing: false }),
  /** Filters (Chrome format) of pages that need the owner's on-the-spot approval (F17). */
  stepUp: z.array(z.string().trim().min(1).max(2048)).max(200).default([]),
  /** Days an assignment with this role lasts by default (temporary staff); null = no end. */
  defaultValidityDays: z.number().int().min(1).max(3650).nullable().default(null),
});
export type RoleInput = z.input<typeof RoleInput>;

export const Role = RoleInput.extend({ id: Id, createdAt: Timestamp, updatedAt: Timestamp });
export type Role = z.infer<typeof Role>;
