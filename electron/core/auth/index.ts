export { Auth, type AuthOptions, type LoginResult, type LoginFailure, type PasswordChangeResult, type PreparedPasswordChange } from './auth';
export { AuthError, type AuthErrorCode } from './errors';
export { DEFAULT_LOCKOUT_POLICY, isLocked, afterFailedAttempt, type LockoutPolicy } from './lockout';
export { DEFAULT_SCRYPT_PARAMS, hashPassword, verifyPassword, needsRehash, type ScryptParams } from './password-hash';
export { checkNewPassword } from './password-policy';
