/**
 * The one interface the agent runs containers through, and the plain types it speaks. Two drivers
 * implement it and pass one contract suite (`test/agent/driver-contract.ts`):
 *
 * - `process` (./process.ts): a container is a child process on the host, image `wharf/process`;
 * - `docker`  (./docker.ts):  a container is a Docker Engine container.
 *
 * The agent owns the task lifecycle (PENDING → RUNNING → STOPPED, stop codes, essential containers);
 * a driver only starts, watches, stops and removes single containers and reports what it sees.
 * See src/agent/README.md for the flow and the process-container convention.
 */
import { ULIMIT_NAMES } from '../../model/task-definition.js';

/** Seconds between SIGTERM and SIGKILL when a stop gives none (ECS `stopTimeout`, agent default). */
export const DEFAULT_STOP_TIMEOUT_SEC = 30;
/** Newest bytes of output kept per container; older output is dropped (so a chatty task never fills the disk). */
export const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024;
/** Output kept from one `exec` (stdout and stderr each); the rest is dropped. */
export const EXEC_OUTPUT_MAX_BYTES = 1024 * 1024;
/** How long an `exec` may run unless told otherwise. */
export const DEFAULT_EXEC_TIMEOUT_SEC = 60;

/** ECS container health check defaults (task definition `healthCheck`, §10.3 of the reference). */
export const HEALTH_CHECK_DEFAULTS = { intervalSec: 30, timeoutSec: 5, retries: 3, startPeriodSec: 0 } as const;
/** The ranges ECS accepts; the API validates against them, drivers take any positive value (tests use short ones). */
export const HEALTH_CHECK_RANGES = {
  intervalSec: [5, 300],
  timeoutSec: [2, 60],
  retries: [1, 10],
  startPeriodSec: [0, 300],
} as const;

/** The soft and hard limits ECS's `ulimits` may name (they map 1:1 to `prlimit` and Docker names). */
export { ULIMIT_NAMES };
export type UlimitName = (typeof ULIMIT_NAMES)[number];

/** One container port and the host port it is published on (0 = the driver picks a free one). */
export interface PortMapping {
  readonly containerPort: number;
  readonly hostPort: number;
  readonly protocol: 'tcp' | 'udp';
}

/**
 * A container health check. `command` is `['CMD', exe, ...args]` (run directly) or
 * `['CMD-SHELL', 'a shell string']` (run by `/bin/sh -c`). Exit 0 = healthy.
 * A success during `startPeriodSec` marks the container HEALTHY and ends the grace; failures during
 * it do not count. After it, `retries` failures in a row mark it UNHEALTHY; one success heals it.
 */
export interface HealthCheckSpec {
  readonly command: readonly string[];
  readonly intervalSec: number;
  readonly timeoutSec: number;
  readonly retries: number;
  readonly startPeriodSec: number;
}

export interface Ulimit {
  readonly name: UlimitName;
  readonly softLimit: number;
  readonly hardLimit: number;
}

/** Everything a driver needs to start one container of a task; build it with `containerSpec()`. */
export interface ContainerSpec {
  readonly taskId: string;
  /** The container's name in its task definition. */
  readonly containerName: string;
  /** An image reference; `wharf/process` for the process driver. */
  readonly image: string;
  readonly entryPoint: readonly string[];
  readonly command: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
  readonly portMappings: readonly PortMapping[];
  /** CPU units (1024 = one core), a relative weight (Docker `--cpu-shares`), not a cap. */
  readonly cpu?: number;
  /** Hard memory limit, MiB: the container is killed when it uses more. */
  readonly memory?: number;
  /** Soft memory limit, MiB: what the kernel tries to leave it under memory pressure. */
  readonly memoryReservation?: number;
  readonly healthCheck?: HealthCheckSpec;
  /** Seconds between SIGTERM and SIGKILL when the container is stopped. */
  readonly stopTimeoutSec: number;
  readonly workingDirectory?: string;
  /** `user`, `user:group`, `uid` or `uid:gid`. */
  readonly user?: string;
  readonly ulimits: readonly Ulimit[];
  /** Extra labels (Docker labels; kept in the state file by the process driver). */
  readonly labels: Readonly<Record<string, string>>;
  /** Newest bytes of output kept for `logs`. */
  readonly logMaxBytes: number;
}

/** The fields of a ContainerSpec that have no default. */
export type ContainerSpecInput = Pick<ContainerSpec, 'taskId' | 'containerName' | 'image'> &
  Partial<Omit<ContainerSpec, 'taskId' | 'containerName' | 'image' | 'healthCheck'>> & {
    readonly healthCheck?: Partial<HealthCheckSpec> & Pick<HealthCheckSpec, 'command'>;
  };

/** A complete, frozen ContainerSpec from the required fields plus any overrides, with ECS defaults. */
export function containerSpec(input: ContainerSpecInput): ContainerSpec {
  const { healthCheck, ...rest } = input;
  return Object.freeze({
    entryPoint: [],
    command: [],
    environment: {},
    portMappings: [],
    stopTimeoutSec: DEFAULT_STOP_TIMEOUT_SEC,
    ulimits: [],
    labels: {},
    logMaxBytes: DEFAULT_LOG_MAX_BYTES,
    ...rest,
    ...(healthCheck ? { healthCheck: healthCheckSpec(healthCheck) } : {}),
  });
}

/** A health check with ECS defaults filled in; a command starting with neither CMD nor CMD-SHELL gets CMD (as ECS does). */
export function healthCheckSpec(input: Partial<HealthCheckSpec> & Pick<HealthCheckSpec, 'command'>): HealthCheckSpec {
  const command = input.command[0] === 'CMD' || input.command[0] === 'CMD-SHELL' ? input.command : ['CMD', ...input.command];
  return Object.freeze({ ...HEALTH_CHECK_DEFAULTS, ...input, command });
}

/** Where the router should send a mapped port's traffic. */
export interface Target {
  readonly host: string;
  readonly port: number;
}

/** A port mapping as started: the host port actually published and the address to target. */
export interface PortBinding extends PortMapping {
  /** For docker: the container's own address and port when reachable; else this host and `hostPort`. */
  readonly target: Target;
}

/** Container health as ECS reports it: UNKNOWN while being evaluated or when no check is defined. */
export type HealthStatus = 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';

/** What a driver observes about one of its containers. */
export interface ContainerState {
  /** The driver's id for the container (Docker's container id; a generated id for processes). */
  readonly id: string;
  readonly taskId: string;
  readonly containerName: string;
  readonly status: 'running' | 'exited';
  /** Set once exited: the exit code (128 + signal number when killed by a signal), when known. */
  readonly exitCode?: number;
  /** Why it exited, when there is more to say than the code (`OutOfMemoryError: ...`, the signal, ...). */
  readonly reason?: string;
  readonly health: HealthStatus;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  readonly finishedAt?: number;
  readonly ports: readonly PortBinding[];
}

/** One line of container output. */
export interface LogLine {
  /** Epoch milliseconds when the agent received it. */
  readonly time: number;
  readonly stream: 'stdout' | 'stderr';
  /** The line without its newline (very long lines arrive split). */
  readonly text: string;
}

export interface LogOptions {
  /** Only lines received at or after this time (epoch ms). */
  readonly since?: number;
  /** Only the last N lines of what is stored (after `since`). */
  readonly tail?: number;
  /** Keep yielding new lines until the container's output ends or the consumer stops iterating. */
  readonly follow?: boolean;
}

export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ContainerStats {
  /** Epoch milliseconds of the sample. */
  readonly at: number;
  /** CPU time used since start, seconds (take two samples for a rate). */
  readonly cpuSeconds: number;
  readonly memoryBytes: number;
  /** The enforced memory limit, when there is one. */
  readonly memoryLimitBytes?: number;
}

/**
 * Runs containers on this host. Every method that takes an id throws WHARF_E_CONTAINER_NOT_FOUND for
 * an id this driver does not know. Containers outlive the driver object (and the agent process):
 * `close()` lets go of them and `list()` on a new driver finds them again.
 */
export interface Driver {
  readonly name: 'process' | 'docker';
  /**
   * Starts a container and returns once it runs (its health is still being evaluated). Fails with
   * WHARF_E_IMAGE_NOT_FOUND, WHARF_E_CONTAINER_START_FAILED or WHARF_E_HOST_PORT_IN_USE, leaving
   * nothing behind.
   */
  start(spec: ContainerSpec): Promise<ContainerState>;
  /** The container's state now. */
  inspect(id: string): Promise<ContainerState>;
  /** Resolves with the final state once the container has exited (at once if it has). */
  wait(id: string): Promise<ContainerState>;
  /** SIGTERM, then SIGKILL after `timeoutSec` if still running; resolves with the final state. */
  stop(id: string, timeoutSec?: number): Promise<ContainerState>;
  /** Forgets an exited container: its logs and records go (a running one is killed first). */
  remove(id: string): Promise<void>;
  /** The container's stored output, oldest first; with `follow`, then its new output as it comes. */
  logs(id: string, options?: LogOptions): AsyncIterable<LogLine>;
  /** Runs a command in a running container (its working folder and environment) to completion. */
  exec(id: string, command: readonly string[], options?: { timeoutSec?: number }): Promise<ExecResult>;
  /** CPU and memory use now. */
  stats(id: string): Promise<ContainerStats>;
  /** Every container this driver's agent started and has not removed, running or exited. */
  list(): Promise<ContainerState[]>;
  /** Stops watching (health checks, log copying); the containers keep running. */
  close(): Promise<void>;
}
