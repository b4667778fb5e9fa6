import { z } from 'zod';
import { Id, Level } from './common';

/** What a host asks the guard about one request of a store page. */
export const ResourceType = z.enum([
  'mainFrame',
  'subFrame',
  'xhr',
  'fetch',
  'script',
  'stylesheet',
  'image',
  'font',
  'media',
  'websocket',
  'ping',
  'worker',
  'download',
  'other',
]);
export type ResourceType = z.infer<typeof ResourceType>;

export const GuardRequest = z.object({
  storeId: Id,
  userId: Id,
  url: z.string(),
  method: z.string(),
  resourceType: ResourceType,
  isMainFrame: z.boolean(),
});
export type GuardRequest = z.infer<typeof GuardRequest>;

/** Why the guard decided as it did; stable codes, localised by the UI. */
export const DecisionReason = z.enum([
  'owner',
  'rule-allow',
  'rule-block',
  'module-edit',
  'module-view',
  'module-view-readonly-post',
  'module-view-mutation',
  'module-none',
  'other-edit',
  'other-view',
  'other-view-mutation',
  'other-none',
  'baseline',
  'internal-page',
  'step-up-granted',
  'step-up-required',
  'download-disabled',
  'scheme-blocked',
  'invalid-url',
  'no-assignment',
  'assignment-not-started',
  'assignment-expired',
  'staff-disabled',
  'unknown-store',
  'error',
]);
export type DecisionReason = z.infer<typeof DecisionReason>;

export const Decision = z.object({
  allowed: z.boolean(),
  reason: DecisionReason,
  /** Module whose filter matched the URL (null when none did). */
  module: z.string().nullable(),
  /** The subject's level on that module (or on "other" URLs). */
  level: Level.nullable(),
  /** Custom rule that decided, or "module:<id>" for a module filter, "baseline", or null. */
  ruleId: z.string().nullable(),
  /** The filter text that decided, for the rule tester and the blocked page. */
  filter: z.string().nullable(),
  /**
   * Set when the path as a lenient server reads it decided, not the path as sent
   * (`//payments` read as `/payments`: shared/policy/server-path.ts).
   */
  servedPath: z.string().optional(),
});
export type Decision = z.infer<typeof Decision>;
