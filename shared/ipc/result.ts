import { z } from 'zod';

/** Error codes every channel may answer with; the UI localises them. */
export const ErrorCode = z.enum([
  'invalid-payload',
  'unknown-channel',
  'not-signed-in',
  'forbidden',
  'not-found',
  'conflict',
  'invalid-credentials',
  'locked',
  'disabled',
  'already-set-up',
  /** This computer cannot do it (e.g. no program to show folders); the message says what is missing. */
  'unavailable',
  /** A managed staff machine refused a change its policy must come from a signed bundle for (F25). */
  'managed',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const IpcError = z.object({
  code: ErrorCode,
  message: z.string(),
  /** Field-level problems, e.g. from zod: path "rules.2.filter" → message. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).default([]),
});
export type IpcError = z.infer<typeof IpcError>;

export type IpcResult<T> = { ok: true; data: T } | { ok: false; error: IpcError };
