/**
 * The docker driver: a container is a Docker Engine container, driven through dockerode on the
 * engine's unix socket.
 *
 * - Labels mark Wharf's containers (`wharf.agent`, `wharf.task-id`, `wharf.container-name`), so a
 *   restarted agent finds the ones it runs with one filtered list call.
 * - Output is attached before the start (logs on a not-yet-started container return nothing) and
 *   copied into the same capped LogStore the process driver uses, under
 *   `<dataDir>/docker-containers/<id>/logs`. The engine's own json-file log is capped too; a
 *   restarted agent fills the gap from it.
 * - `HostConfig.Init` puts docker-init as PID 1, so SIGTERM reaches the app.
 * - The health check is Docker's own HEALTHCHECK, built from the task definition's.
 * - The router targets the container's own bridge address (a third faster than docker-proxy).
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import Docker from 'dockerode';
import type { ContainerInspectInfo } from 'dockerode';
import { pino, type Logger } from 'pino';
import { makePrivateDirSync } from '../../files.js';
import { wharfError, WharfError } from '../../model/errors.js';
import { DEFAULT_STOP_TIMEOUT_SEC } from '../../model/task-definition.js';
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
import { LogStore } from './log-store.js';
import { PROCESS_IMAGE } from './process.js';

/** Label keys on every container Wharf starts. */
export const LABELS = {
  agent: 'wharf.agent',
  taskId: 'wharf.task-id',
  containerName: 'wharf.container-name',
  stopTimeout: 'wharf.stop-timeout',
  logMaxBytes: 'wharf.log-max-bytes',
} as const;
/** The folder under the agent's data folder for docker containers' logs. */
export const DOCKER_CONTAINERS_FOLDER = 'docker-containers';
/** How long output may keep arriving after the container exited. */
const OUTPUT_DRAIN_TIMEOUT_MS = 2_000;
/** Docker's PATH when an image sets none. */
const DOCKER_DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const OOM_REASON = 'OutOfMemoryError: Container killed due to memory usage';
const MIB = 1024 * 1024;

export interface DockerDriverOptions {
  /** The engine's unix socket, e.g. /var/run/docker.sock. */
  readonly socketPath: string;
  /** The agent's data folder (logs go under `<dataDir>/docker-containers/`). */
  readonly dataDir: string;
  /** Marks this agent's containers (label `wharf.agent`); several agents may share one engine. */
  readonly agentId: string;
  /** This host's address, for targets on published ports (default 127.0.0.1). */
  readonly hostAddress?: string;
  /**
   * Target the container's own bridge address and container port (default true: the router runs on
   * this host). False: target `hostAddress` and the published host port.
   */
  readonly targetContainerAddress?: boolean;
  /** Start containers that ask to be `privileged` (default false: they fail to start, as with ECS_DISABLE_PRIVILEGED). */
  readonly allowPrivileged?: boolean;
  readonly logger?: Logger;
}

interface Entry {
  readonly id: string;
  readonly logs: LogStore;
  streams: Readable[];
  stopRequest?: { timeoutSec: number; at: number };
  exitedAt?: number;
  readonly exited: Promise<void>;
  resolveExited(): void;
}

/** Connects to the engine (failing with WHARF_E_DOCKER_UNREACHABLE) and adopts this agent's containers. */
export async function createDockerDriver(options: DockerDriverOptions): Promise<DockerDriver> {
  const docker = new Docker({ socketPath: options.socketPath });
  try {
    await docker.ping();
  } catch (error) {
    throw wharfError('WHARF_E_DOCKER_UNREACHABLE', { socket: options.socketPath, reason: engineMessage(error) }, { cause: error });
  }
  const driver = new DockerDriver(docker, options);
  await driver.adoptAll();
  return driver;
}

/** The docker driver (create it with `createDockerDriver`). */
export class DockerDriver implements Driver {
  readonly name = 'docker' as const;
  private readonly root: string;
  private readonly log: Logger;
  private readonly entries = new Map<string, Entry>();
  private readonly abort = new AbortController();
  private closed = false;

  constructor(
    private readonly docker: Docker,
    private readonly options: DockerDriverOptions,
  ) {
    this.root = path.join(options.dataDir, DOCKER_CONTAINERS_FOLDER);
    makePrivateDirSync(this.root);
    this.log = (options.logger ?? pino({ level: 'silent' })).child({ driver: 'docker' });
  }

  async start(spec: ContainerSpec): Promise<ContainerState> {
    this.assertOpen();
    if (spec.image.replace(/:latest$/, '') === PROCESS_IMAGE) {
      throw wharfError('WHARF_E_DRIVER_IMAGE_UNSUPPORTED', {
        driver: 'docker',
        image: spec.image,
        container: spec.name,
        reason: `"${PROCESS_IMAGE}" names a host process, which only the process driver runs`,
      });
    }
    const failed = (reason: string, cause?: unknown) => wharfError('WHARF_E_CONTAINER_START_FAILED', { container: spec.name, taskId: spec.taskId, reason }, { cause });
    if (spec.privileged === true && this.options.allowPrivileged !== true) {
      throw failed('privileged containers are refused on this host; an agent allows them with WHARF_AGENT_ALLOW_PRIVILEGED=true');
    }
    let container: Docker.Container;
    try {
      container = await this.docker.createContainer(this.createOptions(spec));
    } catch (error) {
      const message = engineMessage(error);
      if (statusOf(error) === 404 || /no such image/i.test(message)) {
        throw wharfError('WHARF_E_IMAGE_NOT_FOUND', { image: spec.image, container: spec.name, taskId: spec.taskId, reason: message }, { cause: error });
      }
      throw failed(message, error);
    }
    const dir = path.join(this.root, container.id);
    let logs: LogStore | undefined;
    try {
      const created = await container.inspect();
      const missing = await this.missingExecutable(container, created);
      if (missing) throw failed(missing);
      logs = new LogStore(path.join(dir, 'logs'), spec.logMaxBytes);
      const stream = (await container.attach({ stream: true, stdout: true, stderr: true, abortSignal: this.abort.signal })) as unknown as Readable;
      const entry = this.track(container.id, logs, [stream]);
      pipeFrames(stream, logs, false);
      try {
        await container.start();
      } catch (error) {
        const message = engineMessage(error);
        if (/address already in use|port is already allocated/i.test(message)) {
          const port = /(?:0\.0\.0\.0|\]):(\d+)/.exec(message)?.[1] ?? String(spec.portMappings.find((mapping) => mapping.hostPort !== 0)?.hostPort ?? '?');
          const protocol = spec.portMappings.find((mapping) => String(mapping.hostPort) === port)?.protocol ?? 'tcp';
          throw wharfError('WHARF_E_HOST_PORT_IN_USE', { port, protocol, container: spec.name, taskId: spec.taskId, reason: message }, { cause: error });
        }
        throw failed(message, error);
      }
      this.watch(entry, container);
      const state = await this.inspect(container.id);
      this.log.info({ id: container.id, taskId: spec.taskId, container: spec.name, ports: state.ports.map((port) => port.hostPort) }, 'container started');
      return state;
    } catch (error) {
      this.entries.get(container.id)?.streams.forEach((stream) => stream.destroy());
      this.entries.delete(container.id);
      logs?.close();
      await container.remove({ force: true }).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
      throw error instanceof WharfError ? error : failed(engineMessage(error), error);
    }
  }

  async inspect(id: string): Promise<ContainerState> {
    const entry = this.entry(id);
    return this.stateOf(await this.inspectRaw(id), entry);
  }

  async wait(id: string): Promise<ContainerState> {
    const entry = this.entry(id);
    await entry.exited;
    return this.inspect(id);
  }

  async stop(id: string, timeoutSec?: number): Promise<ContainerState> {
    const entry = this.entry(id);
    const info = await this.inspectRaw(id);
    if (!info.State.Running) return this.stateOf(info, entry);
    // Every container this driver starts carries its stop timeout as a label; one without it gets ECS's.
    const timeout = Math.ceil(timeoutSec ?? Number(info.Config.Labels?.[LABELS.stopTimeout] ?? DEFAULT_STOP_TIMEOUT_SEC));
    entry.stopRequest = { timeoutSec: timeout, at: Date.now() };
    this.log.info({ id, timeoutSec: timeout }, 'stopping container: SIGTERM, then SIGKILL after the timeout');
    try {
      await this.docker.getContainer(id).stop({ t: timeout });
    } catch (error) {
      if (statusOf(error) !== 304) throw error; // 304: it had stopped already
    }
    await entry.exited;
    return this.inspect(id);
  }

  async remove(id: string): Promise<void> {
    const entry = this.entry(id);
    await this.docker.getContainer(id).remove({ force: true });
    await Promise.race([entry.exited, new Promise((resolve) => setTimeout(resolve, OUTPUT_DRAIN_TIMEOUT_MS))]);
    for (const stream of entry.streams) stream.destroy();
    entry.logs.close();
    this.entries.delete(id);
    rmSync(path.join(this.root, id), { recursive: true, force: true });
    this.log.info({ id }, 'container removed');
  }

  async *logs(id: string, options: LogOptions = {}): AsyncGenerator<LogLine> {
    yield* this.entry(id).logs.lines(options);
  }

  async exec(id: string, command: readonly string[], options: { timeoutSec?: number } = {}): Promise<ExecResult> {
    this.entry(id);
    const info = await this.inspectRaw(id);
    if (!info.State.Running) throw this.notRunning(info, 'run a command');
    const container = this.docker.getContainer(id);
    const exec = await container.exec({ Cmd: [...command], AttachStdout: true, AttachStderr: true });
    const stream = (await exec.start({ hijack: true, stdin: false })) as unknown as Readable;
    const output = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    const sizes = { stdout: 0, stderr: 0 };
    const done = new Promise<void>((resolve) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', () => resolve());
    });
    pipeFrames(stream, {
      append(name, chunk) {
        const room = EXEC_OUTPUT_MAX_BYTES - sizes[name];
        if (room <= 0) return;
        output[name].push(chunk.subarray(0, room));
        sizes[name] += Math.min(room, chunk.length);
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([done.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), (options.timeoutSec ?? DEFAULT_EXEC_TIMEOUT_SEC) * 1000)))]);
    clearTimeout(timer);
    if (timedOut) stream.destroy();
    const result = timedOut ? undefined : await exec.inspect();
    return {
      exitCode: timedOut ? 137 : (result?.ExitCode ?? 0),
      stdout: Buffer.concat(output.stdout).toString('utf8'),
      stderr: Buffer.concat(output.stderr).toString('utf8') + (timedOut ? `exec did not finish within ${options.timeoutSec ?? DEFAULT_EXEC_TIMEOUT_SEC} s\n` : ''),
    };
  }

  async stats(id: string): Promise<ContainerStats> {
    this.entry(id);
    const info = await this.inspectRaw(id);
    if (!info.State.Running) throw this.notRunning(info, 'report its usage');
    const stats = (await this.docker.getContainer(id).stats({ stream: false, 'one-shot': true } as { stream: false })) as unknown as DockerStats;
    const limit = info.HostConfig.Memory ?? 0;
    return {
      at: Date.now(),
      cpuSeconds: (stats.cpu_stats?.cpu_usage?.total_usage ?? 0) / 1e9,
      memoryBytes: stats.memory_stats?.usage ?? 0,
      ...(limit > 0 ? { memoryLimitBytes: limit } : {}),
    };
  }

  async list(): Promise<ContainerState[]> {
    this.assertOpen();
    const states: ContainerState[] = [];
    for (const entry of this.entries.values()) {
      try {
        states.push(this.stateOf(await this.inspectRaw(entry.id), entry));
      } catch (error) {
        // Removed behind the agent's back (docker rm): it is gone.
        if (!(error instanceof WharfError && error.code === 'WHARF_E_CONTAINER_NOT_FOUND')) throw error;
        entry.logs.close();
        this.entries.delete(entry.id);
      }
    }
    return states;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.abort.abort();
    for (const entry of this.entries.values()) {
      for (const stream of entry.streams) stream.destroy();
      entry.logs.close();
    }
    this.entries.clear();
  }

  /** Finds this agent's containers on the engine and follows them again. */
  async adoptAll(): Promise<void> {
    const found = await this.docker.listContainers({ all: true, filters: { label: [`${LABELS.agent}=${this.options.agentId}`] } });
    for (const summary of found) {
      const container = this.docker.getContainer(summary.Id);
      const info = await container.inspect();
      const maxBytes = Number(info.Config.Labels?.[LABELS.logMaxBytes]) || undefined;
      const logs = new LogStore(path.join(this.root, summary.Id, 'logs'), maxBytes ?? 10 * MIB);
      const stored = logs.read({ tail: 1 })[0];
      if (!info.State.Running) {
        const entry = this.track(summary.Id, logs, []);
        logs.end();
        entry.resolveExited();
        continue;
      }
      // Fill in what the container wrote while no agent watched, from the engine's own log.
      const since = stored ? Math.floor(stored.time / 1000) : 0;
      const stream = (await container.logs({ follow: true, stdout: true, stderr: true, timestamps: true, since, abortSignal: this.abort.signal })) as unknown as Readable;
      const entry = this.track(summary.Id, logs, [stream]);
      pipeFrames(stream, logs, true, stored?.time);
      this.watch(entry, container);
      this.log.info({ id: summary.Id, taskId: info.Config.Labels?.[LABELS.taskId] }, 'adopted a running container');
    }
  }

  private createOptions(spec: ContainerSpec): Docker.ContainerCreateOptions {
    const exposed: Record<string, object> = {};
    const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
    for (const mapping of spec.portMappings) {
      const key = `${mapping.containerPort}/${mapping.protocol}`;
      exposed[key] = {};
      bindings[key] = [{ HostIp: '0.0.0.0', HostPort: mapping.hostPort === 0 ? '' : String(mapping.hostPort) }];
    }
    const env: Record<string, string> = { ...spec.environment, WHARF_TASK_ID: spec.taskId, WHARF_CONTAINER_NAME: spec.name };
    const first = spec.portMappings.find((mapping) => mapping.hostPort === 0) ?? spec.portMappings[0];
    if (first) env.PORT = String(first.containerPort);
    const health = spec.healthCheck;
    const seconds = (value: number) => Math.round(value * 1e9);
    return {
      name: `wharf-${safeName(spec.taskId)}-${safeName(spec.name)}-${randomBytes(3).toString('hex')}`,
      Image: spec.image,
      ...(spec.entryPoint.length > 0 ? { Entrypoint: [...spec.entryPoint] } : {}),
      ...(spec.command.length > 0 ? { Cmd: [...spec.command] } : {}),
      Env: Object.entries(env).map(([name, value]) => `${name}=${value}`),
      Labels: {
        ...spec.labels,
        [LABELS.agent]: this.options.agentId,
        [LABELS.taskId]: spec.taskId,
        [LABELS.containerName]: spec.name,
        [LABELS.stopTimeout]: String(spec.stopTimeout),
        [LABELS.logMaxBytes]: String(spec.logMaxBytes),
      },
      ...(spec.workingDirectory ? { WorkingDir: spec.workingDirectory } : {}),
      ...(spec.user ? { User: spec.user } : {}),
      ExposedPorts: exposed,
      StopTimeout: Math.ceil(spec.stopTimeout),
      ...(health
        ? {
            Healthcheck: {
              Test: [...health.command],
              Interval: seconds(health.interval),
              Timeout: seconds(health.timeout),
              Retries: health.retries,
              StartPeriod: seconds(health.startPeriod),
            },
          }
        : {}),
      HostConfig: {
        Init: true,
        NetworkMode: 'bridge',
        ...(spec.privileged === true ? { Privileged: true } : {}),
        PortBindings: bindings,
        ...(spec.cpu !== undefined ? { CpuShares: Math.max(2, Math.round(spec.cpu)) } : {}),
        ...(spec.memory !== undefined ? { Memory: spec.memory * MIB } : {}),
        ...(spec.memoryReservation !== undefined ? { MemoryReservation: spec.memoryReservation * MIB } : {}),
        Ulimits: spec.ulimits.map((limit) => ({ Name: limit.name, Soft: limit.softLimit, Hard: limit.hardLimit })),
        LogConfig: { Type: 'json-file', Config: { 'max-size': String(Math.max(1024, Math.ceil(spec.logMaxBytes / 2))), 'max-file': '2' } },
      },
    };
  }

  /**
   * With docker-init as PID 1 a missing command only shows as exit code 127 after the start; look
   * for it in the created container's file system first (as runc would), to fail the start instead.
   */
  private async missingExecutable(container: Docker.Container, info: ContainerInspectInfo): Promise<string | undefined> {
    const argv = [...(info.Config.Entrypoint ?? []), ...(info.Config.Cmd ?? [])];
    const name = argv[0];
    if (name === undefined) return 'the image has no command and the task definition gives no entryPoint or command';
    const workDir = info.Config.WorkingDir || '/';
    const envPath = info.Config.Env?.find((entry) => entry.startsWith('PATH='))?.slice(5) ?? DOCKER_DEFAULT_PATH;
    const candidates = name.includes('/') ? [path.posix.resolve(workDir, name)] : envPath.split(':').filter(Boolean).map((dir) => path.posix.join(dir, name));
    for (const candidate of candidates) {
      try {
        const response = (await container.infoArchive({ path: candidate })) as unknown as { headers?: Record<string, string>; resume?: () => void };
        response.resume?.();
        return undefined;
      } catch (error) {
        if (statusOf(error) !== 404) return undefined; // cannot tell: let the start decide
      }
    }
    return name.includes('/') ? `exec: "${name}": stat ${candidates[0]}: no such file or directory` : `exec: "${name}": executable file not found in $PATH (${envPath})`;
  }

  private track(id: string, logs: LogStore, streams: Readable[]): Entry {
    let resolveExited!: () => void;
    const exited = new Promise<void>((resolve) => (resolveExited = resolve));
    const entry: Entry = { id, logs, streams, exited, resolveExited };
    this.entries.set(id, entry);
    return entry;
  }

  /** Waits for the container to exit, lets its output drain, ends its log and wakes waiters. */
  private watch(entry: Entry, container: Docker.Container): void {
    void (async () => {
      try {
        await container.wait({ abortSignal: this.abort.signal });
      } catch {
        if (this.closed) return;
        // The wait broke (engine restart, removal): fall back to polling.
        while (!this.closed && (await isRunning(container))) await new Promise((resolve) => setTimeout(resolve, 500));
      }
      if (this.closed) return;
      await Promise.race([
        Promise.all(entry.streams.map((stream) => new Promise<void>((resolve) => (stream.destroyed || stream.readableEnded ? resolve() : stream.once('close', () => resolve()).once('end', () => resolve()))))),
        new Promise<void>((resolve) => setTimeout(resolve, OUTPUT_DRAIN_TIMEOUT_MS).unref()),
      ]);
      entry.logs.end();
      entry.exitedAt = Date.now();
      this.log.info({ id: entry.id }, 'container exited');
      entry.resolveExited();
    })();
  }

  private async inspectRaw(id: string): Promise<ContainerInspectInfo> {
    try {
      return await this.docker.getContainer(id).inspect();
    } catch (error) {
      if (statusOf(error) === 404) throw wharfError('WHARF_E_CONTAINER_NOT_FOUND', { driver: 'docker', id });
      throw error;
    }
  }

  private stateOf(info: ContainerInspectInfo, entry: Entry | undefined): ContainerState {
    const labels = info.Config.Labels ?? {};
    const running = info.State.Running || info.State.Restarting;
    const ip = info.NetworkSettings.Networks?.bridge?.IPAddress || Object.values(info.NetworkSettings.Networks ?? {})[0]?.IPAddress || '';
    const ports: PortBinding[] = [];
    for (const [key, published] of Object.entries(info.HostConfig.PortBindings ?? {}) as [string, { HostPort?: string }[]][]) {
      const [port = '0', protocol = 'tcp'] = key.split('/');
      const actual = (info.NetworkSettings.Ports?.[key] ?? [])[0]?.HostPort ?? published[0]?.HostPort ?? '0';
      const hostPort = Number(actual) || 0;
      const containerPort = Number(port);
      const useContainer = (this.options.targetContainerAddress ?? true) && ip !== '';
      ports.push({
        containerPort,
        hostPort,
        protocol: protocol === 'udp' ? 'udp' : 'tcp',
        target: useContainer ? { host: ip, port: containerPort } : { host: this.options.hostAddress ?? '127.0.0.1', port: hostPort },
      });
    }
    let reason: string | undefined;
    if (!running) {
      const stop = entry?.stopRequest;
      if (info.State.OOMKilled) reason = OOM_REASON;
      else if (stop && info.State.ExitCode === 137) reason = `Did not exit within the stop timeout of ${stop.timeoutSec} s after SIGTERM; killed with SIGKILL`;
      else if (info.State.Error) reason = info.State.Error;
    }
    const finished = Date.parse(info.State.FinishedAt);
    return {
      id: info.Id,
      taskId: labels[LABELS.taskId] ?? '',
      containerName: labels[LABELS.containerName] ?? '',
      status: running ? 'running' : 'exited',
      ...(running ? {} : { exitCode: info.State.ExitCode }),
      ...(reason !== undefined ? { reason } : {}),
      health: running ? healthOf(info.State.Health?.Status) : 'UNKNOWN',
      startedAt: Date.parse(info.State.StartedAt) || Date.parse(info.Created),
      ...(!running && finished > 0 ? { finishedAt: finished } : {}),
      ports,
    };
  }

  private entry(id: string): Entry {
    this.assertOpen();
    const entry = this.entries.get(id);
    if (!entry) throw wharfError('WHARF_E_CONTAINER_NOT_FOUND', { driver: 'docker', id });
    return entry;
  }

  private notRunning(info: ContainerInspectInfo, action: string) {
    const labels = info.Config.Labels ?? {};
    return wharfError('WHARF_E_CONTAINER_NOT_RUNNING', { id: info.Id, container: labels[LABELS.containerName] ?? '', taskId: labels[LABELS.taskId] ?? '', action });
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('this docker driver was closed');
  }
}

interface DockerStats {
  cpu_stats?: { cpu_usage?: { total_usage?: number } };
  memory_stats?: { usage?: number; limit?: number };
}

function healthOf(status: string | undefined): HealthStatus {
  if (status === 'healthy') return 'HEALTHY';
  if (status === 'unhealthy') return 'UNHEALTHY';
  return 'UNKNOWN';
}

/** Where multiplexed output goes. */
interface FrameSink {
  append(stream: 'stdout' | 'stderr', chunk: Buffer, now?: number): void;
}

/**
 * Splits Docker's multiplexed stream (8-byte headers: stream, 0, 0, 0, length big-endian) into
 * stdout and stderr. With `timestamps`, each line starts with the engine's RFC 3339 time: it becomes
 * the line's time, and lines not after `after` (already stored) are skipped.
 */
function pipeFrames(stream: Readable, sink: FrameSink, timestamps = false, after?: number): void {
  let pending: Buffer = Buffer.alloc(0);
  stream.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= 8) {
      const size = pending.readUInt32BE(4);
      if (pending.length < 8 + size) break;
      const name = pending[0] === 2 ? 'stderr' : 'stdout';
      const payload = pending.subarray(8, 8 + size);
      pending = pending.subarray(8 + size);
      if (!timestamps) {
        sink.append(name, payload);
        continue;
      }
      const text = payload.toString('utf8');
      const space = text.indexOf(' ');
      const time = Date.parse(text.slice(0, space));
      if (after !== undefined && time <= after) continue;
      sink.append(name, Buffer.from(text.slice(space + 1)), Number.isFinite(time) ? time : Date.now());
    }
  });
  stream.on('error', () => stream.destroy());
}

async function isRunning(container: Docker.Container): Promise<boolean> {
  try {
    return (await container.inspect()).State.Running;
  } catch {
    return false;
  }
}

/** The engine's own message for a failed call (dockerode puts it in `json.message`). */
export function engineMessage(error: unknown): string {
  const failure = error as { json?: unknown; message?: string };
  const json = failure.json;
  if (json && typeof json === 'object' && 'message' in json && typeof (json as { message: unknown }).message === 'string') return (json as { message: string }).message.trim();
  if (typeof json === 'string' && json.trim() !== '') return json.trim();
  if (Buffer.isBuffer(json)) return json.toString('utf8').trim();
  return (failure.message ?? String(error)).trim();
}

function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number }).statusCode;
}

function safeName(value: string): string {
  return value.replace(/[^a-zA-Z0-9_.-]/g, '-').slice(0, 60);
}

