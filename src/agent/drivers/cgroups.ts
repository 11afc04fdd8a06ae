/**
 * Memory and CPU limits for process containers through Linux cgroups, where the host lets the
 * agent create child cgroups (as root). `probeCgroups()` finds out once, at driver start:
 *
 * - cgroup v2: the unified hierarchy with the `memory` and `cpu` controllers delegated to the
 *   agent's own cgroup (or the agent in the root cgroup): `memory.max`, `memory.low`, `cpu.weight`;
 * - cgroup v1: the `memory` and `cpu` hierarchies: `memory.limit_in_bytes`,
 *   `memory.soft_limit_in_bytes`, `cpu.shares`.
 *
 * Each container gets `<agent's cgroup>/wharf/<container id>` in each hierarchy, nested under the
 * agent's own cgroup so whatever limits and tracks the agent also covers its containers. The
 * container's first process joins it before it execs the command (see process.ts), so no allocation
 * escapes the limit. What cannot be enforced is reported, never pretended.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** What limits the host lets the agent enforce, and why not when it does not. */
export interface CgroupSupport {
  readonly version: 1 | 2 | undefined;
  readonly memory: boolean;
  readonly cpu: boolean;
  /** Why a limit is not enforced (empty when both are). */
  readonly notes: readonly string[];
  /** Folders under which container cgroups are made, per controller. */
  readonly bases: { readonly memory?: string; readonly cpu?: string };
}

/** Limits for one container, from its ContainerSpec. */
export interface CgroupLimits {
  readonly memoryMiB?: number;
  readonly memoryReservationMiB?: number;
  readonly cpuShares?: number;
}

/** A container's cgroup folders (one per hierarchy; one folder on v2). */
export interface ContainerCgroup {
  readonly version: 1 | 2;
  /** Folder with the memory controller's files, when memory is limited here. */
  readonly memoryDir?: string;
  readonly cpuDir?: string;
}

const MIB = 1024 * 1024;

/** Finds out which limits this host lets the agent enforce, by trying (creates and removes a probe cgroup). */
export function probeCgroups(): CgroupSupport {
  const mounts = readMounts();
  const own = readOwnCgroups();
  const v2Mount = mounts.find((mount) => mount.type === 'cgroup2');
  const v1Memory = mounts.find((mount) => mount.type === 'cgroup' && mount.options.includes('memory'));
  const v1Cpu = mounts.find((mount) => mount.type === 'cgroup' && mount.options.includes('cpu'));
  const notes: string[] = [];

  if (v2Mount && own.v2 !== undefined) {
    const controllers = readText(path.join(v2Mount.dir, own.v2, 'cgroup.controllers')).split(/\s+/);
    if (controllers.includes('memory') || controllers.includes('cpu')) {
      const base = path.join(v2Mount.dir, own.v2, 'wharf');
      const result = tryV2(base, controllers);
      if (result.memory || result.cpu) {
        return { version: 2, memory: result.memory, cpu: result.cpu, notes: result.notes, bases: { memory: result.memory ? base : undefined, cpu: result.cpu ? base : undefined } };
      }
      notes.push(...result.notes);
    } else {
      notes.push(`cgroup v2 at ${v2Mount.dir} offers the agent's cgroup "${own.v2}" neither the memory nor the cpu controller`);
    }
  }
  if (v1Memory || v1Cpu) {
    const memoryBase = v1Memory && own.v1.memory !== undefined ? path.join(v1Memory.dir, own.v1.memory, 'wharf') : undefined;
    const cpuBase = v1Cpu && own.v1.cpu !== undefined ? path.join(v1Cpu.dir, own.v1.cpu, 'wharf') : undefined;
    const memory = memoryBase !== undefined && tryWrite(memoryBase, 'memory.limit_in_bytes', String(64 * MIB), notes, 'memory');
    const cpu = cpuBase !== undefined && tryWrite(cpuBase, 'cpu.shares', '512', notes, 'cpu');
    if (!v1Memory) notes.push('no cgroup v1 memory hierarchy is mounted');
    if (!v1Cpu) notes.push('no cgroup v1 cpu hierarchy is mounted');
    if (memory || cpu) return { version: 1, memory, cpu, notes: memory && cpu ? [] : notes, bases: { memory: memory ? memoryBase : undefined, cpu: cpu ? cpuBase : undefined } };
  }
  if (!v2Mount && !v1Memory && !v1Cpu) notes.push('no cgroup file system is mounted');
  return { version: undefined, memory: false, cpu: false, notes, bases: {} };
}

function tryV2(base: string, controllers: readonly string[]): { memory: boolean; cpu: boolean; notes: string[] } {
  const notes: string[] = [];
  const parent = path.dirname(base);
  const wanted = ['memory', 'cpu'].filter((name) => controllers.includes(name));
  try {
    // Delegate to children: refused (EBUSY) when the agent's own cgroup holds processes and is not the root.
    writeFileSync(path.join(parent, 'cgroup.subtree_control'), wanted.map((name) => `+${name}`).join(' '));
    mkdirSync(base, { recursive: true });
    writeFileSync(path.join(base, 'cgroup.subtree_control'), wanted.map((name) => `+${name}`).join(' '));
  } catch (error) {
    notes.push(`cannot delegate the ${wanted.join(' and ')} controllers below the agent's cgroup ${parent} (${(error as Error).message}); run the agent in a cgroup of its own with delegation (systemd Delegate=yes)`);
    return { memory: false, cpu: false, notes };
  }
  const memory = wanted.includes('memory') && tryWrite(base, 'memory.max', String(64 * MIB), notes, 'memory');
  const cpu = wanted.includes('cpu') && tryWrite(base, 'cpu.weight', '100', notes, 'cpu');
  return { memory, cpu, notes };
}

/** Makes a probe cgroup under `base`, writes one limit file, removes it. */
function tryWrite(base: string, file: string, value: string, notes: string[], what: string): boolean {
  const probe = path.join(base, `probe-${randomBytes(4).toString('hex')}`);
  try {
    mkdirSync(probe, { recursive: true });
    writeFileSync(path.join(probe, file), value);
    return true;
  } catch (error) {
    notes.push(`cannot set ${what} limits: writing ${path.join(probe, file)} failed (${(error as Error).message})`);
    return false;
  } finally {
    try {
      rmdirSync(probe);
    } catch {
      // never made
    }
  }
}

/** Creates a container's cgroup(s) and writes its limits. Throws when the host refuses. */
export function createContainerCgroup(support: CgroupSupport, containerId: string, limits: CgroupLimits): ContainerCgroup | undefined {
  if (support.version === undefined) return undefined;
  const memoryDir = support.memory && support.bases.memory ? path.join(support.bases.memory, containerId) : undefined;
  const cpuDir = support.cpu && support.bases.cpu ? path.join(support.bases.cpu, containerId) : undefined;
  for (const dir of new Set([memoryDir, cpuDir])) if (dir) mkdirSync(dir, { recursive: true });
  if (support.version === 2) {
    if (memoryDir && limits.memoryMiB !== undefined) writeFileSync(path.join(memoryDir, 'memory.max'), String(limits.memoryMiB * MIB));
    if (memoryDir && limits.memoryReservationMiB !== undefined) writeFileSync(path.join(memoryDir, 'memory.low'), String(limits.memoryReservationMiB * MIB));
    if (cpuDir && limits.cpuShares !== undefined) writeFileSync(path.join(cpuDir, 'cpu.weight'), String(sharesToWeight(limits.cpuShares)));
  } else {
    if (memoryDir && limits.memoryMiB !== undefined) writeFileSync(path.join(memoryDir, 'memory.limit_in_bytes'), String(limits.memoryMiB * MIB));
    if (memoryDir && limits.memoryReservationMiB !== undefined) writeFileSync(path.join(memoryDir, 'memory.soft_limit_in_bytes'), String(limits.memoryReservationMiB * MIB));
    if (cpuDir && limits.cpuShares !== undefined) writeFileSync(path.join(cpuDir, 'cpu.shares'), String(Math.max(2, Math.round(limits.cpuShares))));
  }
  return { version: support.version, memoryDir, cpuDir };
}

/** The `cgroup.procs` files a process writes its pid to, to join the container's cgroup(s). */
export function procsFiles(cgroup: ContainerCgroup): string[] {
  return [...new Set([cgroup.memoryDir, cgroup.cpuDir])].filter((dir): dir is string => dir !== undefined).map((dir) => path.join(dir, 'cgroup.procs'));
}

/** Pids in the container's cgroup(s) now. */
export function cgroupPids(cgroup: ContainerCgroup): number[] {
  const pids = new Set<number>();
  for (const file of procsFiles(cgroup)) {
    for (const line of readText(file).split('\n')) if (line.trim() !== '') pids.add(Number(line));
  }
  return [...pids];
}

/** Memory charged to the container (bytes) and its hard limit, when the memory controller is in use. */
export function cgroupMemory(cgroup: ContainerCgroup): { usage: number; limit?: number } | undefined {
  if (!cgroup.memoryDir) return undefined;
  const [usageFile, limitFile] = cgroup.version === 2 ? ['memory.current', 'memory.max'] : ['memory.usage_in_bytes', 'memory.limit_in_bytes'];
  const usage = Number(readText(path.join(cgroup.memoryDir, usageFile)).trim());
  const limitText = readText(path.join(cgroup.memoryDir, limitFile)).trim();
  const limit = limitText === 'max' || limitText === '' ? undefined : Number(limitText);
  // v1 reports "no limit" as a huge number.
  return { usage: Number.isFinite(usage) ? usage : 0, limit: limit !== undefined && limit < 2 ** 62 ? limit : undefined };
}

/** Whether the kernel's OOM killer has killed a process of the container. */
export function cgroupOomKilled(cgroup: ContainerCgroup): boolean {
  if (!cgroup.memoryDir) return false;
  const file = path.join(cgroup.memoryDir, cgroup.version === 2 ? 'memory.events' : 'memory.oom_control');
  const match = /^oom_kill (\d+)$/m.exec(readText(file));
  return match !== null && Number(match[1]) > 0;
}

/** Removes the container's cgroup folders (they must hold no process); false if one is still busy. */
export function removeContainerCgroup(cgroup: ContainerCgroup): boolean {
  let removed = true;
  for (const dir of new Set([cgroup.memoryDir, cgroup.cpuDir])) {
    if (!dir || !existsSync(dir)) continue;
    try {
      rmdirSync(dir);
    } catch {
      removed = false;
    }
  }
  return removed;
}

/** Removes the `wharf` folders containers' cgroups are made under, when no container uses them. */
export function removeCgroupBases(support: CgroupSupport): void {
  for (const dir of new Set([support.bases.memory, support.bases.cpu])) {
    if (!dir) continue;
    try {
      rmdirSync(dir);
    } catch {
      // in use by a container (this agent's or another's), or already gone
    }
  }
}

/** runc's mapping of CPU shares (2..262144) to cgroup v2 weight (1..10000). */
export function sharesToWeight(shares: number): number {
  const clamped = Math.min(262_144, Math.max(2, shares));
  return Math.round(1 + ((clamped - 2) * 9999) / 262_142);
}

interface Mount {
  readonly dir: string;
  readonly type: string;
  readonly options: readonly string[];
}

function readMounts(): Mount[] {
  return readText('/proc/self/mounts')
    .split('\n')
    .map((line) => line.split(' '))
    .filter((fields) => fields.length >= 4)
    .map(([, dir = '', type = '', options = '']) => ({ dir: dir.replace(/\\040/g, ' '), type, options: options.split(',') }))
    .filter((mount) => mount.type === 'cgroup' || mount.type === 'cgroup2');
}

/** The agent's own cgroup paths: the v2 one (`0::/path`) and the v1 memory and cpu ones. */
function readOwnCgroups(): { v2?: string; v1: { memory?: string; cpu?: string } } {
  const result: { v2?: string; v1: { memory?: string; cpu?: string } } = { v1: {} };
  for (const line of readText('/proc/self/cgroup').split('\n')) {
    const match = /^(\d+):([^:]*):(.*)$/.exec(line);
    if (!match) continue;
    const [, id, controllers = '', cgroupPath = '/'] = match;
    if (id === '0' && controllers === '') result.v2 = cgroupPath;
    const names = controllers.split(',');
    if (names.includes('memory')) result.v1.memory = cgroupPath;
    if (names.includes('cpu')) result.v1.cpu = cgroupPath;
  }
  return result;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
