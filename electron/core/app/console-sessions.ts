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

  /** Who is signed in on some console. */
  signedInUserIds(): Set<string> {
    const ids = new Set<string>();
    for (const session of this.sessions) if (session.user) ids.add(session.user.id);
    return ids;
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
