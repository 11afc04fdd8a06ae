/**
 * The process driver: a container is a child process on the host (image `wharf/process`).
 *
 * Each container has a folder `<dataDir>/process-containers/<id>/` holding:
 *   state.json     what was started (spec, pid + its /proc start time, ports, env, cgroups)
 *   exit.json      how it ended (written once it has)
 *   stdout, stderr FIFOs the process writes to (it holds them read-write, so a missing agent never
 *                  breaks its pipe: output waits in the pipe until the agent reads again)
 *   logs/          capped output (LogStore)
 *   work/          the container's own working folder (relative workingDirectory is under it)
 *
 * The process leads its own process group (stop signals reach its children) and, where the host
 * allows, sits in its own cgroup(s) for memory and CPU limits. A new driver on the same data folder
 * (an agent restart) adopts the containers still running: a pid counts only if /proc/<pid>/stat
 * shows the start time recorded at launch, so a reused pid is never taken for the container.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { chownSync, closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, renameSync } from 'node:fs';
import { Socket } from 'node:net';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { childUmask, makePrivateDirSync, PRIVATE_DIR_MODE, writePrivateFileSync } from '../../files.js';
import { allowTraversal, DEFAULT_TASK_USER, lookupUser, runningAsRoot } from '../../users.js';
import { wharfError } from '../../model/errors.js';
import {
  cgroupMemory,
  cgroupOomKilled,
  cgroupPids,
  createContainerCgroup,
  probeCgroups,
  procsFiles,
  removeCgroupBases,
  removeContainerCgroup,
  type CgroupSupport,
  type ContainerCgroup,
} from './cgroups.js';
import { killGroup, launchArgv, resolveExecutable, runCommand, signalNumber, type LaunchContext } from './command.js';
import {
  DEFAULT_EXEC_TIMEOUT_SEC,
  EXEC_OUTPUT_MAX_BYTES,
  type ContainerSpec,
  type ContainerState,
  type ContainerStats,
  type Driver,
  type ExecResult,
  type HealthStatus,
  type LogLine,
  type LogOptions,
  type PortBinding,
} from './driver.js';
import { HealthMonitor } from './health.js';
import { LogStore } from './log-store.js';
import { cpuSeconds, isSameLiveProcess, processGroupMembers, readProcStat } from './proc.js';
import { probePort } from './ports.js';

const execFileAsync = promisify(execFile);

/** The image name that marks a process container in a task definition (see src/agent/README.md). */
export const PROCESS_IMAGE = 'wharf/process';
/** The folder under the agent's data folder that holds one folder per process container. */
export const PROCESS_CONTAINERS_FOLDER = 'process-containers';
/** How often the liveness of an adopted process (not our child) is checked. */
const ADOPTED_POLL_MS = 200;
/** How long output may keep arriving after the process exited (a straggler holding the pipe). */
const OUTPUT_DRAIN_TIMEOUT_MS = 2_000;
/** Output kept from one health probe; probes' output is not stored. */
const PROBE_OUTPUT_MAX_BYTES = 4096;
/** The reason given when an adopted process ended while nobody could collect its exit code. */
const UNKNOWN_EXIT_REASON = 'The process ended while no agent was watching it; its exit code is unknown';
/** The OOM reason ECS gives. */
const OOM_REASON = 'OutOfMemoryError: Container killed due to memory usage';

export interface ProcessDriverOptions {
  /** The agent's data folder; containers live under `<dataDir>/process-containers/`. */
  readonly dataDir: string;
  /** The host address the router should target for mapped ports (default 127.0.0.1). */
  readonly hostAddress?: string;
  readonly logger?: Logger;
  /** Set false to never use cgroups (limits then are not enforced). */
  readonly cgroups?: boolean;
  /** Who the host lets containers run as (the agent's settings); default: `DEFAULT_TASK_USER`, nobody else, nothing privileged. */
  readonly runAs?: RunAsPolicy;
}

/**
 * Who a process container may run as. An agent running as root starts a container whose definition
 * names no `user` as `taskUser`, a `user` naming anyone else only when `allowedUsers` lists it (by
 * name or uid; root is no exception), and a `privileged` container (which runs as root, the agent's
 * own user) only when `allowPrivileged`. An agent that is not root runs every container as itself.
 */
export interface RunAsPolicy {
  readonly taskUser: string;
  readonly allowedUsers: readonly string[];
  readonly allowPrivileged: boolean;
}

const DEFAULT_RUN_AS: RunAsPolicy = { taskUser: DEFAULT_TASK_USER, allowedUsers: [], allowPrivileged: false };

/** What state.json holds. */
interface ProcessRecord {
  readonly id: string;
  readonly spec: ContainerSpec;
  readonly pid: number;
  readonly startTicks: string;
  readonly startedAt: number;
  readonly ports: readonly PortBinding[];
  readonly launch: LaunchContext;
  readonly cgroup?: ContainerCgroup;
}

/**
 * A state.json written by an agent from before ContainerSpec took the agent protocol's container
 * shape: the same facts under the driver's old names (`containerName`, `stopTimeoutSec`,
 * `intervalSec`…). Read so an upgraded agent still adopts the containers its predecessor started.
 */
interface LegacyProcessRecord extends Omit<ProcessRecord, 'spec'> {
  readonly spec: Omit<ContainerSpec, 'name' | 'stopTimeout' | 'healthCheck' | 'essential' | 'dependsOn' | 'startTimeout'> & {
    readonly containerName: string;
    readonly stopTimeoutSec: number;
    readonly healthCheck?: { command: readonly string[]; intervalSec: number; timeoutSec: number; retries: number; startPeriodSec: number };
  };
}

/** The record in today's shape, whichever agent wrote it. */
function currentRecord(record: ProcessRecord | LegacyProcessRecord): ProcessRecord {
  if (!('containerName' in record.spec)) return record as ProcessRecord;
  const { containerName, stopTimeoutSec, healthCheck, ...rest } = record.spec;
  const spec: ContainerSpec = {
    // Not in old records and never read by the driver (the task runner has them from the desired set).
    essential: true,
    dependsOn: [],
    startTimeout: 0,
    ...rest,
    name: containerName,
    stopTimeout: stopTimeoutSec,
    ...(healthCheck ? { healthCheck: { command: healthCheck.command, interval: healthCheck.intervalSec, timeout: healthCheck.timeoutSec, retries: healthCheck.retries, startPeriod: healthCheck.startPeriodSec } } : {}),
  };
  return { ...record, spec };
}

/** What exit.json holds. */
interface ExitRecord {
  readonly exitCode?: number;
  readonly reason?: string;
  readonly finishedAt: number;
}

interface Entry {
  readonly record: ProcessRecord;
  readonly dir: string;
  readonly logs: LogStore;
  exit?: ExitRecord;
  health?: HealthMonitor;
  readers: Socket[];
  child?: ChildProcess;
  watcher?: NodeJS.Timeout;
  finishing: boolean;
  /** Set by stop(): how long SIGTERM was given, and whether SIGKILL followed. */
  stop?: { timeoutSec: number; killed: boolean };
  readonly exited: Promise<void>;
  resolveExited(): void;
}

/** Creates a process driver on `options.dataDir`, adopting the containers a previous agent left running. */
export async function createProcessDriver(options: ProcessDriverOptions): Promise<ProcessDriver> {
  const driver = new ProcessDriver(options);
  await driver.adoptAll();
  return driver;
}

/** The process driver (create it with `createProcessDriver`). */
export class ProcessDriver implements Driver {
  readonly name = 'process' as const;
  /** Which limits this host enforces (probed once). */
  readonly cgroupSupport: CgroupSupport;
  private readonly root: string;
  private readonly hostAddress: string;
  private readonly runAs: RunAsPolicy;
  private readonly log: Logger;
  private readonly entries = new Map<string, Entry>();
  private closed = false;

  constructor(options: ProcessDriverOptions) {
    this.root = path.join(options.dataDir, PROCESS_CONTAINERS_FOLDER);
    makePrivateDirSync(this.root);
    this.hostAddress = options.hostAddress ?? '127.0.0.1';
    this.runAs = options.runAs ?? DEFAULT_RUN_AS;
    this.log = (options.logger ?? pino({ level: 'silent' })).child({ driver: 'process' });
    this.cgroupSupport =
      options.cgroups === false ? { version: undefined, memory: false, cpu: false, notes: ['cgroups are turned off in the agent settings'], bases: {} } : probeCgroups();
    const missing = [!this.cgroupSupport.memory && 'memory', !this.cgroupSupport.cpu && 'cpu'].filter(Boolean);
    if (missing.length > 0) {
      this.log.warn({ notEnforced: missing, notes: this.cgroupSupport.notes }, `process containers: ${missing.join(' and ')} limits are NOT enforced on this host`);
    }
  }

  async start(spec: ContainerSpec): Promise<ContainerState> {
    this.assertOpen();
    const image = spec.image.replace(/:latest$/, '');
    if (image !== PROCESS_IMAGE) {
      throw wharfError('WHARF_E_DRIVER_IMAGE_UNSUPPORTED', {
        driver: 'process',
        image: spec.image,
        container: spec.name,
        reason: `it runs only containers whose image is "${PROCESS_IMAGE}" (a host process from entryPoint + command); use the docker driver for images`,
      });
    }
    const failed = (reason: string) => wharfError('WHARF_E_CONTAINER_START_FAILED', { container: spec.name, taskId: spec.taskId, reason });
    const id = randomBytes(12).toString('hex');
    const dir = path.join(this.root, id);
    let cgroup: ContainerCgroup | undefined;
    try {
      const workDir = path.join(dir, 'work');
      mkdirSync(workDir, { recursive: true, mode: PRIVATE_DIR_MODE });
      const owner = runAs(spec, this.runAs);
      if ('error' in owner) throw failed(owner.error);
      const cwd = resolveWorkingDirectory(workDir, spec.workingDirectory);
      if ('error' in cwd) throw failed(cwd.error);
      if (owner.uid !== undefined) {
        chownSync(workDir, owner.uid, owner.gid ?? owner.uid);
        this.openFolders(allowTraversal(dir));
      }

      const ports = await this.bindPorts(spec);
      const env = containerEnvironment(spec, workDir, ports);
      const argv = [...spec.entryPoint, ...spec.command];
      const executable = resolveExecutable(argv[0] ?? '', cwd.path, env.PATH ?? '');
      if ('error' in executable) throw failed(executable.error);
      const prlimit = prlimitArgs(spec);
      if ('error' in prlimit) throw failed(prlimit.error);

      if (spec.memory !== undefined || spec.memoryReservation !== undefined || spec.cpu !== undefined) {
        cgroup = createContainerCgroup(this.cgroupSupport, id, { memoryMiB: spec.memory, memoryReservationMiB: spec.memoryReservation, cpuShares: spec.cpu });
      }
      const umask = childUmask();
      const launch: LaunchContext = { cwd: cwd.path, env, uid: owner.uid, gid: owner.gid, procsFiles: cgroup ? procsFiles(cgroup) : [], ...(umask === undefined ? {} : { umask }) };
      let full: string[];
      try {
        full = launchArgv([executable.path, ...argv.slice(1)], launch, prlimit.args);
      } catch (error) {
        throw failed((error as Error).message);
      }

      // One mkfifo for both pipes, without blocking the event loop (the agent, and in `wharf up` the
      // controller, share this process).
      await execFileAsync('mkfifo', ['-m', '600', path.join(dir, 'stdout'), path.join(dir, 'stderr')]);
      const writers = ['stdout', 'stderr'].map((stream) => openSync(path.join(dir, stream), constants.O_RDWR));
      const logs = new LogStore(path.join(dir, 'logs'), spec.logMaxBytes);
      let child: ChildProcess;
      let readers: Socket[];
      try {
        readers = this.openReaders(dir, logs);
        child = spawn(full[0] as string, full.slice(1), { cwd: cwd.path, env, detached: true, stdio: ['ignore', writers[0] as number, writers[1] as number] });
        await new Promise<void>((resolve, reject) => {
          child.once('spawn', resolve);
          child.once('error', reject);
        });
      } catch (error) {
        logs.close();
        throw failed((error as Error).message);
      } finally {
        for (const fd of writers) closeSync(fd);
      }
      const pid = child.pid as number;
      const record: ProcessRecord = { id, spec, pid, startTicks: readProcStat(pid)?.startTicks ?? '', startedAt: Date.now(), ports, launch, cgroup };
      writeJson(path.join(dir, 'state.json'), record);
      const entry = this.track(record, dir, logs, readers);
      entry.child = child;
      child.once('exit', (code, signal) => {
        const exitCode = code ?? 128 + signalNumber(signal as NodeJS.Signals);
        void this.finish(entry, exitCode, signal ? `Terminated by ${signal}` : undefined);
      });
      this.log.info({ id, taskId: spec.taskId, container: spec.name, pid, ports: ports.map((port) => port.hostPort) }, 'container started');
      return this.stateOf(entry);
    } catch (error) {
      if (cgroup) removeContainerCgroup(cgroup);
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Says which folders were made searchable for the task user (once each: the next start finds them so). */
  private openFolders(changed: readonly string[]): void {
    const outside = changed.filter((folder) => folder !== this.root && !folder.startsWith(this.root + path.sep));
    if (outside.length > 0) this.log.info({ folders: outside }, 'made folders searchable (not listable) by others so that containers running as another user reach their own folders');
  }

  async inspect(id: string): Promise<ContainerState> {
    return this.stateOf(this.entry(id));
  }

  async wait(id: string): Promise<ContainerState> {
    const entry = this.entry(id);
    await entry.exited;
    return this.stateOf(entry);
  }

  async stop(id: string, timeoutSec?: number): Promise<ContainerState> {
    const entry = this.entry(id);
    if (entry.exit) return this.stateOf(entry);
    const timeout = timeoutSec ?? entry.record.spec.stopTimeout;
    entry.stop = { timeoutSec: timeout, killed: false };
    this.log.info({ id, timeoutSec: timeout }, 'stopping container: SIGTERM');
    this.signal(entry, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([entry.exited.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeout * 1000)))]);
    clearTimeout(timer);
    if (timedOut && !entry.exit) {
      entry.stop.killed = true;
      this.log.info({ id, timeoutSec: timeout }, 'container outlived the stop timeout: SIGKILL');
      this.signal(entry, 'SIGKILL');
    }
    await entry.exited;
    return this.stateOf(entry);
  }

  async remove(id: string): Promise<void> {
    const entry = this.entry(id);
    if (!entry.exit) {
      entry.stop = { timeoutSec: 0, killed: true };
      this.signal(entry, 'SIGKILL');
      await entry.exited;
    }
    entry.logs.close();
    this.entries.delete(id);
    rmSync(entry.dir, { recursive: true, force: true });
    this.log.info({ id }, 'container removed');
  }

  async *logs(id: string, options: LogOptions = {}): AsyncGenerator<LogLine> {
    yield* this.entry(id).logs.lines(options);
  }

  async exec(id: string, command: readonly string[], options: { timeoutSec?: number } = {}): Promise<ExecResult> {
    const entry = this.entry(id);
    if (entry.exit) throw this.notRunning(entry, 'run a command');
    const result = await runCommand(command, entry.record.launch, (options.timeoutSec ?? DEFAULT_EXEC_TIMEOUT_SEC) * 1000, EXEC_OUTPUT_MAX_BYTES);
    return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
  }

  async stats(id: string): Promise<ContainerStats> {
    const entry = this.entry(id);
    if (entry.exit) throw this.notRunning(entry, 'report its usage');
    const members = processGroupMembers(entry.record.pid);
    const memory = entry.record.cgroup ? cgroupMemory(entry.record.cgroup) : undefined;
    return {
      at: Date.now(),
      cpuSeconds: cpuSeconds(members),
      memoryBytes: memory?.usage ?? members.reduce((sum, stat) => sum + stat.rssBytes, 0),
      ...(memory?.limit !== undefined ? { memoryLimitBytes: memory.limit } : {}),
    };
  }

  async list(): Promise<ContainerState[]> {
    return [...this.entries.values()].map((entry) => this.stateOf(entry));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const entry of this.entries.values()) {
      entry.health?.stop();
      if (entry.watcher) clearInterval(entry.watcher);
      for (const reader of entry.readers) reader.destroy();
      entry.logs.close();
    }
    this.entries.clear();
    removeCgroupBases(this.cgroupSupport);
  }

  /** Reads every container folder: running processes are adopted, the others recorded as exited. */
  async adoptAll(): Promise<void> {
    for (const id of readdirSync(this.root)) {
      const dir = path.join(this.root, id);
      let record: ProcessRecord;
      try {
        record = currentRecord(JSON.parse(readFileSync(path.join(dir, 'state.json'), 'utf8')) as ProcessRecord | LegacyProcessRecord);
      } catch (error) {
        // A start that died half-way leaves a folder without a state file: nothing runs from it.
        this.log.warn({ dir, err: (error as Error).message }, 'ignoring a process container folder without a readable state.json');
        continue;
      }
      const logs = new LogStore(path.join(dir, 'logs'), record.spec.logMaxBytes);
      const exitFile = path.join(dir, 'exit.json');
      if (existsSync(exitFile)) {
        const entry = this.track(record, dir, logs, [], false);
        entry.exit = JSON.parse(readFileSync(exitFile, 'utf8')) as ExitRecord;
        logs.end();
        entry.resolveExited();
        continue;
      }
      const alive = isSameLiveProcess(record.pid, record.startTicks);
      const entry = this.track(record, dir, logs, alive ? this.openReaders(dir, logs) : [], alive);
      if (!alive) {
        void this.finish(entry, undefined, UNKNOWN_EXIT_REASON);
        continue;
      }
      if (record.launch.uid !== undefined) this.openFolders(allowTraversal(dir)); // the data folder was tightened at start
      this.log.info({ id, pid: record.pid, taskId: record.spec.taskId, container: record.spec.name }, 'adopted a running container');
      entry.watcher = setInterval(() => {
        if (!isSameLiveProcess(record.pid, record.startTicks)) void this.finish(entry, undefined, UNKNOWN_EXIT_REASON);
      }, ADOPTED_POLL_MS);
      entry.watcher.unref();
    }
  }

  private track(record: ProcessRecord, dir: string, logs: LogStore, readers: Socket[], running = true): Entry {
    let resolveExited!: () => void;
    const exited = new Promise<void>((resolve) => (resolveExited = resolve));
    const entry: Entry = { record, dir, logs, readers, finishing: false, exited, resolveExited };
    this.entries.set(record.id, entry);
    if (running && record.spec.healthCheck) {
      const spec = record.spec.healthCheck;
      const probe = async (command: readonly string[], timeoutMs: number) => {
        const argv = command[0] === 'CMD-SHELL' ? ['/bin/sh', '-c', command.slice(1).join(' ')] : command.slice(1);
        const result = await runCommand(argv, record.launch, timeoutMs, PROBE_OUTPUT_MAX_BYTES);
        return result.exitCode === 0 && !result.timedOut;
      };
      entry.health = new HealthMonitor(spec, probe, record.startedAt, (from: HealthStatus, to: HealthStatus) => this.log.info({ id: record.id, from, to }, 'container health changed'));
      entry.health.start();
    }
    return entry;
  }

  /** Opens the read ends of the container's output FIFOs and copies what comes into its log store. */
  private openReaders(dir: string, logs: LogStore): Socket[] {
    return (['stdout', 'stderr'] as const).map((stream) => {
      const fd = openSync(path.join(dir, stream), constants.O_RDONLY | constants.O_NONBLOCK);
      const socket = new Socket({ fd, readable: true, writable: false });
      socket.on('data', (chunk: Buffer) => logs.append(stream, chunk));
      socket.on('error', () => socket.destroy());
      return socket;
    });
  }

  /** The container's main process ended: clean up the rest of it, store how it ended, wake waiters. */
  private async finish(entry: Entry, exitCode: number | undefined, signalReason: string | undefined): Promise<void> {
    if (entry.finishing || this.closed) return;
    entry.finishing = true;
    entry.health?.stop();
    if (entry.watcher) clearInterval(entry.watcher);
    // A container ends with its main process: what it left behind goes too.
    killGroup(entry.record.pid, 'SIGKILL');
    if (entry.record.cgroup) for (const pid of cgroupPids(entry.record.cgroup)) tryKill(pid);
    await Promise.race([
      Promise.all(entry.readers.map((reader) => new Promise<void>((resolve) => (reader.destroyed || reader.readableEnded ? resolve() : reader.once('close', () => resolve()))))),
      new Promise<void>((resolve) => setTimeout(resolve, OUTPUT_DRAIN_TIMEOUT_MS).unref()),
    ]);
    for (const reader of entry.readers) reader.destroy();
    if (this.closed) return;
    entry.logs.end();
    const oom = entry.record.cgroup ? cgroupOomKilled(entry.record.cgroup) : false;
    const reason = oom
      ? OOM_REASON
      : entry.stop?.killed
        ? `Did not exit within the stop timeout of ${entry.stop.timeoutSec} s after SIGTERM; killed with SIGKILL`
        : signalReason;
    entry.exit = { ...(exitCode !== undefined ? { exitCode } : {}), ...(reason !== undefined ? { reason } : {}), finishedAt: Date.now() };
    writeJson(path.join(entry.dir, 'exit.json'), entry.exit);
    if (entry.record.cgroup && !removeContainerCgroup(entry.record.cgroup)) void removeCgroupSoon(entry.record.cgroup);
    this.log.info({ id: entry.record.id, taskId: entry.record.spec.taskId, container: entry.record.spec.name, exitCode, reason }, 'container exited');
    entry.resolveExited();
  }

  private signal(entry: Entry, signal: NodeJS.Signals): void {
    // Only while the recorded process is still the one we started (never a reused pid).
    if (!isSameLiveProcess(entry.record.pid, entry.record.startTicks)) {
      if (!entry.child) void this.finish(entry, undefined, UNKNOWN_EXIT_REASON);
      return;
    }
    killGroup(entry.record.pid, signal);
    if (signal === 'SIGKILL' && entry.record.cgroup) for (const pid of cgroupPids(entry.record.cgroup)) tryKill(pid);
  }

  private async bindPorts(spec: ContainerSpec): Promise<PortBinding[]> {
    const bindings: PortBinding[] = [];
    for (const mapping of spec.portMappings) {
      const probe = await probePort(mapping.hostPort, mapping.protocol);
      if (!probe.ok) throw wharfError('WHARF_E_HOST_PORT_IN_USE', { port: mapping.hostPort, protocol: mapping.protocol, container: spec.name, taskId: spec.taskId, reason: probe.reason });
      bindings.push({ ...mapping, hostPort: probe.port, target: { host: this.hostAddress, port: probe.port } });
    }
    return bindings;
  }

  private stateOf(entry: Entry): ContainerState {
    const { record, exit } = entry;
    return {
      id: record.id,
      taskId: record.spec.taskId,
      containerName: record.spec.name,
      status: exit ? 'exited' : 'running',
      ...(exit?.exitCode !== undefined ? { exitCode: exit.exitCode } : {}),
      ...(exit?.reason !== undefined ? { reason: exit.reason } : {}),
      health: exit || !entry.health ? 'UNKNOWN' : entry.health.status,
      startedAt: record.startedAt,
      ...(exit ? { finishedAt: exit.finishedAt } : {}),
      ports: record.ports,
    };
  }

  private entry(id: string): Entry {
    this.assertOpen();
    const entry = this.entries.get(id);
    if (!entry) throw wharfError('WHARF_E_CONTAINER_NOT_FOUND', { driver: 'process', id });
    return entry;
  }

  private notRunning(entry: Entry, action: string) {
    return wharfError('WHARF_E_CONTAINER_NOT_RUNNING', { id: entry.record.id, container: entry.record.spec.name, taskId: entry.record.spec.taskId, action });
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('this process driver was closed');
  }
}

/**
 * The environment of a process container: PATH and HOME (its working folder) and nothing else from
 * the agent's own environment (which holds the agent's credentials), then the task definition's
 * variables, then what Wharf sets: PORT (the first dynamic host port, else the first mapped one),
 * WHARF_HOST_PORT_<containerPort> for every mapping, WHARF_TASK_ID and WHARF_CONTAINER_NAME.
 */
export function containerEnvironment(spec: ContainerSpec, workDir: string, ports: readonly PortBinding[]): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', HOME: workDir, ...spec.environment };
  const first = ports.find((port, index) => spec.portMappings[index]?.hostPort === 0) ?? ports[0];
  if (first) env.PORT = String(first.hostPort);
  for (const port of ports) env[`WHARF_HOST_PORT_${port.containerPort}`] = String(port.hostPort);
  env.WHARF_TASK_ID = spec.taskId;
  env.WHARF_CONTAINER_NAME = spec.name;
  return env;
}

function resolveWorkingDirectory(workDir: string, requested: string | undefined): { path: string } | { error: string } {
  if (requested === undefined || requested === '') return { path: workDir };
  if (path.isAbsolute(requested)) {
    try {
      if (statSync(requested).isDirectory()) return { path: requested };
      return { error: `workingDirectory ${requested} is not a folder` };
    } catch (error) {
      return { error: `workingDirectory ${requested}: ${(error as Error).message}` };
    }
  }
  const full = path.resolve(workDir, requested);
  if (full !== workDir && !full.startsWith(workDir + path.sep)) return { error: `workingDirectory "${requested}" leads out of the container's own folder; give an absolute path instead` };
  mkdirSync(full, { recursive: true });
  return { path: full };
}

/**
 * The user a container runs as under `policy` (see RunAsPolicy): `{}` for the agent's own, ids for
 * another, or why the host refuses it.
 */
function runAs(spec: ContainerSpec, policy: RunAsPolicy): { uid?: number; gid?: number } | { error: string } {
  const named = spec.user === undefined || spec.user === '' ? undefined : spec.user;
  if (!runningAsRoot()) {
    if (spec.privileged === true) return { error: 'privileged containers need an agent that runs as root' };
    if (named === undefined) return {};
    const user = lookupUser(named);
    if ('error' in user) return user;
    if (user.uid !== process.getuid?.()) return { error: `the agent is not root, so it cannot run a container as user "${named}"` };
    return {};
  }
  if (spec.privileged === true) {
    if (!policy.allowPrivileged) return { error: 'privileged containers are refused on this host; an agent allows them with WHARF_AGENT_ALLOW_PRIVILEGED=true (they run as root)' };
    if (named === undefined) return {};
  }
  const user = lookupUser(named ?? policy.taskUser);
  if ('error' in user) {
    return named === undefined
      ? { error: `${user.error}: this agent runs tasks as "${policy.taskUser}"; create it with \`useradd --system --no-create-home --shell /usr/sbin/nologin ${policy.taskUser}\` (scripts/install-deps.sh does) or name another in WHARF_TASK_USER` }
      : user;
  }
  if (named !== undefined && spec.privileged !== true) {
    const [name = ''] = named.split(':');
    const taskUser = lookupUser(policy.taskUser);
    const isTaskUser = !('error' in taskUser) && taskUser.uid === user.uid;
    const allowed = policy.allowedUsers.some((entry) => entry === name || entry === String(user.uid));
    if (!isTaskUser && !allowed) {
      return { error: `user "${named}" is not allowed on this host: tasks run as "${policy.taskUser}" unless the agent lists the user in WHARF_AGENT_ALLOWED_TASK_USERS` };
    }
  }
  return { uid: user.uid, gid: user.gid };
}

/** `prlimit --nofile=soft:hard ...` for the spec's ulimits (none: no prlimit). */
function prlimitArgs(spec: ContainerSpec): { args: string[] } | { error: string } {
  if (spec.ulimits.length === 0) return { args: [] };
  const prlimit = resolveExecutable('prlimit', '/', process.env.PATH ?? '/usr/bin:/bin');
  if ('error' in prlimit) return { error: 'ulimits need the prlimit program (Debian package util-linux), which is not installed' };
  return { args: [prlimit.path, ...spec.ulimits.map((limit) => `--${limit.name}=${limit.softLimit}:${limit.hardLimit}`)] };
}

function writeJson(file: string, value: unknown): void {
  const temp = `${file}.tmp`;
  writePrivateFileSync(temp, JSON.stringify(value, null, 2));
  renameSync(temp, file);
}

function tryKill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone already
  }
}

/** Killed processes leave their cgroup a moment after they die: retry the removal for a while. */
async function removeCgroupSoon(cgroup: ContainerCgroup): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    if (removeContainerCgroup(cgroup)) return;
    await new Promise((resolve) => setTimeout(resolve, 100).unref());
  }
}
