import { newConsoleSession, type ConsoleSession } from '../service/context';

/**
 * Every console session the hosts hold, so the core can sign a user out everywhere at once
 * (disabled by the owner, password reset). Sessions are forgotten when their host drops them.
 */
export class ConsoleSessions {
  private readonly sessions = new Set<ConsoleSession>();

  create(): ConsoleSession {
    const session = newConsoleSession();
    this.sessions.add(session);
    return session;
  }

  forget(session: ConsoleSession): void {
    this.sessions.delete(session);
  }

  /** Whether the user is signed in on some console. */
  isSignedIn(userId: string): boolean {
    for (const session of this.sessions) if (session.user?.id === userId) return true;
    return false;
  }

  /** Signs the user out of every console; answers how many sessions that touched. */
  signOutEverywhere(userId: string): number {
    let count = 0;
    for (const session of this.sessions) {
      if (session.user?.id !== userId) continue;
      session.user = null;
      session.signedInAt = null;
      count++;
    }
    return count;
  }
}
