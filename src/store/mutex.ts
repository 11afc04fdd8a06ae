/**
 * A first-in, first-out async mutex. The store uses one per store to run transactions one at a
 * time: a SQLite connection can hold only one transaction, and running PostgreSQL transactions of
 * one controller in order gives both stores the same semantics.
 */
export class AsyncMutex {
  private held = false;
  private readonly waiters: Array<() => void> = [];

  /** True while some holder runs. */
  get locked(): boolean {
    return this.held;
  }

  /** Runs `work` once every earlier holder has finished; releases when it settles. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.held = false;
  }
}
