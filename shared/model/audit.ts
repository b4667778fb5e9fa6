import { z } from 'zod';
import { Id, Timestamp } from './common';

/** Every kind of row in the operation log (F19). */
export const AuditKind = z.enum([
  'login',
  'login-failed',
  'lockout',
  'logout',
  'store-open',
  'store-close',
  'navigation',
  'mutation',
  'block',
  'download',
  'step-up-request',
  'step-up-grant',
  'step-up-deny',
  'owner-change',
  'session-closed',
  'policy-error',
]);
export type AuditKind = z.infer<typeof AuditKind>;

/**
 * Longest `detail` a log row holds, in characters (UTF-16 code units) of its stored canonical
 * JSON text. The one limit for both sides: the writer reduces a larger detail to fit
 * (electron/core/audit/event-row.ts), and archives and log bundles refuse rows over it
 * (electron/core/trust/chain.ts), so every row the log holds can leave the machine.
 */
export const AUDIT_DETAIL_MAX = 1_000_000;

/** What a writer is given; id, hashes and redaction are the log's business. */
export const AuditEventInput = z.object({
  ts: Timestamp,
  kind: AuditKind,
  actorId: Id.nullable().default(null),
  storeId: Id.nullable().default(null),
  url: z.string().max(8192).nullable().default(null),
  method: z.string().max(16).nullable().default(null),
  module: z.string().max(64).nullable().default(null),
  decision: z.enum(['allowed', 'blocked']).nullable().default(null),
  reason: z.string().max(64).nullable().default(null),
  ruleId: z.string().max(200).nullable().default(null),
  /**
   * Free-form context, e.g. { before, after } for owner changes. JSON-serialisable. Never
   * refused for its size: over AUDIT_DETAIL_MAX it is stored reduced, its largest fields
   * replaced by their size and SHA-256, and `detailReduced` says so.
   */
  detail: z.record(z.string(), z.unknown()).default({}),
});
export type AuditEventInput = z.input<typeof AuditEventInput>;

export const AuditEvent = AuditEventInput.extend({
  id: z.number().int().positive(),
  prevHash: z.string().length(64),
  hash: z.string().length(64),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

/** Result of checking the hash chain (F21). */
export type ChainVerdict = { intact: true; rows: number; head: string } | { intact: false; firstBadId: number; problem: string };
