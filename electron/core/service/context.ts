import type { PublicUser } from '../../../shared/ipc/contract';

/** One console's sign-in state; the host keeps one per console window / connection. */
export interface ConsoleSession {
  user: PublicUser | null;
  signedInAt: number | null;
}

export interface CallContext {
  session: ConsoleSession;
  reportInternalError?: (error: unknown) => void;
  /** True on a managed staff machine: channels that change what policy bundles carry are refused. */
  policyManaged?: () => boolean;
}

export function newConsoleSession(): ConsoleSession {
  return { user: null, signedInAt: null };
}
