/**
 * Wakes agents' long polls when the tasks their host should run change. In-process: only the
 * leading controller serves agents, and it is the one that writes. A waiter that misses a wake-up
 * (it registered just after one) still answers at its deadline with the current version.
 */

type Waiter = () => void;

export class DesiredStateBus {
  private readonly waiters = new Map<string, Set<Waiter>>();

  /** Resolves when `containerInstanceId` is notified, or after `timeoutMs`, or when `signal` aborts. */
  wait(containerInstanceId: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let set = this.waiters.get(containerInstanceId);
      if (!set) this.waiters.set(containerInstanceId, (set = new Set()));
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        set.delete(done);
        if (set.size === 0) this.waiters.delete(containerInstanceId);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
      set.add(done);
    });
  }

  /** Wakes everyone waiting on these instances. Call after the transaction that changed them commits. */
  notify(containerInstanceIds: Iterable<string>): void {
    for (const id of new Set(containerInstanceIds)) {
      for (const wake of [...(this.waiters.get(id) ?? [])]) wake();
    }
  }

  /** Wakes every waiter (on shutdown). */
  notifyAll(): void {
    this.notify([...this.waiters.keys()]);
  }
}
