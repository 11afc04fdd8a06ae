/**
 * Tasks' CPU and memory use as their agents report it, kept in memory on the leading controller
 * (observed state of compute that agents send again every heartbeat; `agents.ts` records it). Two
 * samples give a task's CPU rate. Auto scaling reads it for its CPU metric.
 */

interface Sample {
  readonly cpuSeconds: number;
  readonly memoryBytes: number;
  readonly at: number;
}

/** A task's samples older than this no longer count. */
export const USAGE_STALE_MS = 60_000;

export class UsageBoard {
  private readonly samples = new Map<string, { previous?: Sample; last: Sample }>();

  record(taskId: string, sample: Sample): void {
    const known = this.samples.get(taskId);
    if (known && sample.at <= known.last.at) return;
    this.samples.set(taskId, { previous: known?.last, last: sample });
  }

  forget(taskId: string): void {
    this.samples.delete(taskId);
  }

  /**
   * A task's CPU utilisation in percent of its reserved CPU units (1024 when it reserves none, as
   * one vCPU), from its last two samples; undefined without two fresh ones.
   */
  cpuUtilization(taskId: string, reservedCpuUnits: number, now: number): number | undefined {
    const s = this.samples.get(taskId);
    if (!s?.previous || now - s.last.at > USAGE_STALE_MS || s.last.at <= s.previous.at) return undefined;
    const cores = (s.last.cpuSeconds - s.previous.cpuSeconds) / ((s.last.at - s.previous.at) / 1000);
    return (Math.max(0, cores) * 100 * 1024) / (reservedCpuUnits > 0 ? reservedCpuUnits : 1024);
  }
}
