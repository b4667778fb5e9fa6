import { z } from 'zod';
import { Id, Timestamp } from './common';

/** Scope values usable in rules as `{key}`, e.g. { asin: ["B0ABC12345"] } (F9). */
export const Scope = z.record(
  z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'scope keys are lower-case identifiers'),
  z.array(z.string().trim().min(1).max(200).regex(/^[^\s/?#@*]+$/, 'no spaces, "/", "?", "#", "@" or "*"')).max(1000),
);
export type Scope = z.infer<typeof Scope>;

const AssignmentFields = z.object({
  staffId: Id,
  storeId: Id,
  roleId: Id,
  validFrom: Timestamp.nullable().default(null),
  validUntil: Timestamp.nullable().default(null),
  scope: Scope.default({}),
});

function windowIsOrdered(a: { validFrom: number | null; validUntil: number | null }): boolean {
  return a.validFrom === null || a.validUntil === null || a.validFrom < a.validUntil;
}
const WINDOW_MESSAGE = { message: 'validUntil must be after validFrom', path: ['validUntil'] };

/** staff × store × role with an optional validity window (F9). */
export const AssignmentInput = AssignmentFields.refine(windowIsOrdered, WINDOW_MESSAGE);
export type AssignmentInput = z.input<typeof AssignmentInput>;

export const Assignment = AssignmentFields.extend({ id: Id, createdAt: Timestamp, updatedAt: Timestamp }).refine(
  windowIsOrdered,
  WINDOW_MESSAGE,
);
export type Assignment = z.infer<typeof Assignment>;

/** Whether the assignment's window contains `now` (validFrom inclusive, validUntil exclusive). */
export function assignmentActiveAt(a: Pick<Assignment, 'validFrom' | 'validUntil'>, now: number): boolean {
  return (a.validFrom === null || now >= a.validFrom) && (a.validUntil === null || now < a.validUntil);
}
