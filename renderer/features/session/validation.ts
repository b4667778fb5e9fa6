// Checks a form can make before sending (the service checks again): the same limits as the
// contract's Username and Password schemas, as message keys.
export type UsernameProblem = 'usernameShort' | 'usernameChars';
export type PasswordProblem = 'passwordShort' | 'passwordWeak';

const USERNAME = /^[\p{L}\p{N}_.@-]+$/u;

export function usernameProblem(name: string): UsernameProblem | null {
  const v = name.trim();
  if (v.length < 2) return 'usernameShort';
  if (v.length > 64 || !USERNAME.test(v)) return 'usernameChars';
  return null;
}

/** At least 10 characters (the contract), and not one character repeated or only digits. */
export function passwordProblem(password: string): PasswordProblem | null {
  if (password.length < 10) return 'passwordShort';
  if (new Set(password).size < 4 || /^\d+$/.test(password)) return 'passwordWeak';
  return null;
}
