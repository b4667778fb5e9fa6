/**
 * Keeps retention's cut (F22) from running in the middle of an export. An export counts the
 * matching rows and then reads them in slices, on several connections, for seconds; a cut in
 * between would delete rows it counted before it reads them. So exports share the gate and a
 * cut takes it alone: a cut waits for the exports under way, and an export that starts during a
 * cut waits for it. One cut at a time; exports never wait for each other.
 */
export class LogCutGate {
  private readers = 0;
  private cutting: Promise<unknown> | null = null;
  private waitingForReaders: Array<() => void> = [];

  /** Runs an export (or any read that must see the log whole) while no cut runs. */
  async read<T>(work: () => Promise<T>): Promise<T> {
    while (this.cutting) await this.cutting;
    this.readers++;
    try {
      return await work();
    } finally {
      this.readers--;
      if (this.readers === 0) for (const wake of this.waitingForReaders.splice(0)) wake();
    }
  }

  /** Runs a cut once no read and no other cut runs. */
  async cut<T>(work: () => Promise<T>): Promise<T> {
    for (;;) {
      if (this.cutting) await this.cutting;
      else if (this.readers > 0) await new Promise<void>((resolve) => this.waitingForReaders.push(resolve));
      else break;
    }
    // Nothing awaited since the checks: no read or cut can have started in between.
    const run = work();
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.cutting = settled;
    try {
      return await run;
    } finally {
      if (this.cutting === settled) this.cutting = null;
    }
  }
}
