/** Reading Linux's /proc for the process driver: identity of a pid, members of a process group, usage. */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second for /proc times (USER_HZ, 100 on every Linux the agent targets). */
const CLOCK_TICKS_PER_SEC = 100;
const PAGE_BYTES = 4096;

/** The fields of /proc/<pid>/stat the driver uses. */
export interface ProcStat {
  readonly pid: number;
  /** R, S, D, Z (zombie), T, ... */
  readonly state: string;
  readonly pgrp: number;
  /** Start time in clock ticks after boot: with the pid, it names one process (pids are reused). */
  readonly startTicks: string;
  readonly cpuTicks: number;
  readonly rssBytes: number;
}

/** /proc/<pid>/stat, or undefined when there is no such process. */
export function readProcStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: fields resume after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return {
    pid,
    state: fields[0] ?? '?',
    pgrp: Number(fields[2]),
    cpuTicks: Number(fields[11]) + Number(fields[12]),
    startTicks: fields[19] ?? '',
    rssBytes: Number(fields[21]) * PAGE_BYTES,
  };
}

/** Whether `pid` is still the process that started at `startTicks` and has not exited (zombies have). */
export function isSameLiveProcess(pid: number, startTicks: string): boolean {
  const stat = readProcStat(pid);
  return stat !== undefined && stat.startTicks === startTicks && stat.state !== 'Z' && stat.state !== 'X';
}

/** Every live process whose process group is `pgrp`. */
export function processGroupMembers(pgrp: number): ProcStat[] {
  const members: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProcStat(Number(name));
    if (stat && stat.pgrp === pgrp && stat.state !== 'Z') members.push(stat);
  }
  return members;
}

/** CPU seconds of a set of processes. */
export function cpuSeconds(processes: readonly ProcStat[]): number {
  return processes.reduce((sum, stat) => sum + stat.cpuTicks, 0) / CLOCK_TICKS_PER_SEC;
}
