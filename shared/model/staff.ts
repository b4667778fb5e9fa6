import { z } from 'zod';
import { Id, Timestamp } from './common';

export const UserKind = z.enum(['owner', 'staff']);
export type UserKind = z.infer<typeof UserKind>;

/** Login names: the guide's 部门_姓名_站点 convention needs CJK letters, so any letter is fine. */
export const Username = z
  .string()
  .trim()
  .min(2, 'at least 2 characters')
  .max(64)
  .regex(/^[\p{L}\p{N}_.@-]+$/u, 'letters, digits, "_", ".", "@" and "-" only');

export const Password = z.string().min(10, 'at least 10 characters').max(256);

/** A person with their own account (一人一号, F6-F7). Password material lives only in core. */
export const User = z.object({
  id: Id,
  username: Username,
  displayName: z.string().trim().max(80),
  kind: UserKind,
  disabled: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type User = z.infer<typeof User>;

export const StaffInput = z.object({
  username: Username,
  displayName: z.string().trim().max(80).default(''),
  password: Password,
});
export type StaffInput = z.input<typeof StaffInput>;
