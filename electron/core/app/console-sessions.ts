import { newConsoleSession, type ConsoleSession } from '../service/context';

/**
 * Every console session the hosts hold, so the core can sign a user out everywhere at once
 * (disabled by the owner, password reset, their own password change). Sessions are forgotten
 * when their host drops them.
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

  /** Whether the user is signed in on some console (other than `except`). */
  isSignedIn(userId: string, except: ConsoleSession | null = null): boolean {
    for (const session of this.sessions) if (session.user?.id === userId && session !== except) return true;
    return false;
  }

  /** Signs the user out of every console (but `except`); answers how many sessions that touched. */
  signOutEverywhere(userId: string, except: ConsoleSession | null = null): number {
    let count = 0;
    for (const session of this.sessions) {
      if (session.user?.id !== userId || session === except) continue;
      session.user = null;
      session.signedInAt = null;
      count++;
    }
    return count;
  }
}
