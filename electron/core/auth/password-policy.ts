import { Password } from '../../../shared/model/staff';
import { AuthError } from './errors';

/** Rejects a new password that the shared `Password` schema refuses, saying why. */
export function checkNewPassword(password: string, field = 'password'): void {
  const result = Password.safeParse(password);
  if (result.success) return;
  const messages = result.error.issues.map((i) => i.message);
  throw new AuthError('weak-password', `the new password is not acceptable: ${messages.join('; ')}`, messages.map((message) => ({ path: field, message })));
}
