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
import type { AgentContainer, AgentPortMapping } from '../../model/agent-protocol.js';

/** Newest bytes of output kept per container; older output is dropped (so a chatty task never fills the disk). */
export const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024;
/** Output kept from one `exec` (stdout and stderr each); the rest is dropped. */
export const EXEC_OUTPUT_MAX_BYTES = 1024 * 1024;
/** How long an `exec` may run unless told otherwise. */
export const DEFAULT_EXEC_TIMEOUT_SEC = 60;

/**
 * Everything a driver needs to start one container of a task: the container exactly as the agent
 * protocol carries it (every default already resolved by the controller), plus what the agent adds
 * on this host. Drivers default nothing.
 */
export interface ContainerSpec extends AgentContainer {
  readonly taskId: string;
  /** Extra labels (Docker labels; kept in the state file by the process driver). */
  readonly labels: Readonly<Record<string, string>>;
  /** Newest bytes of output kept for `logs` (the agent passes DEFAULT_LOG_MAX_BYTES). */
  readonly logMaxBytes: number;
}

/** Where the router should send a mapped port's traffic. */
export interface Target {
  readonly host: string;
  readonly port: number;
}

/** A port mapping as started: the host port actually published and the address to target. */
export interface PortBinding extends AgentPortMapping {
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
