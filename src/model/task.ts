/**
 * ECS tasks: the lifecycle states, stop codes, and the one transition function that moves a task's
 * `lastStatus` and rejects illegal moves. `desiredStatus` is the controller's; `lastStatus` follows
 * what the agent observed.
 *
 *   PROVISIONING ─▶ PENDING ─▶ ACTIVATING ─▶ RUNNING ─▶ DEACTIVATING ─▶ STOPPING ─▶ DEPROVISIONING ─▶ STOPPED
 *        │             │            │                                      ▲
 *        └─────────────┴────────────┴──────────────────────────────────────┘  (stop before running)
 */

export const TASK_STATUSES = ['PROVISIONING', 'PENDING', 'ACTIVATING', 'RUNNING', 'DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const DESIRED_TASK_STATUSES = ['RUNNING', 'STOPPED'] as const;
export type DesiredTaskStatus = (typeof DESIRED_TASK_STATUSES)[number];

/** ECS TaskStopCode values Wharf sets. */
export const STOP_CODES = ['TaskFailedToStart', 'EssentialContainerExited', 'UserInitiated', 'ServiceSchedulerInitiated', 'TerminationNotice', 'InfrastructureHealth'] as const;
export type StopCode = (typeof STOP_CODES)[number];

export const HEALTH_STATUSES = ['HEALTHY', 'UNHEALTHY', 'UNKNOWN'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

/** Container states as ECS reports them per container. */
export const CONTAINER_STATUSES = ['PENDING', 'RUNNING', 'STOPPED'] as const;
export type ContainerStatus = (typeof CONTAINER_STATUSES)[number];

const ORDER = new Map<TaskStatus, number>(TASK_STATUSES.map((s, i) => [s, i]));

/** True once a task can never run again. */
export function isTerminal(status: TaskStatus): boolean {
  return status === 'STOPPED';
}

/** True for the states in which a task holds resources on its host (everything before STOPPED). */
export function holdsResources(status: TaskStatus): boolean {
  return status !== 'STOPPED';
}

/**
 * Whether `from → to` is a legal move. Tasks move forward only; any state before STOPPING may jump
 * to the stopping states (a task stopped before it ran), and anything may become STOPPED (a lost
 * host). Staying put is legal and a no-op.
 */
export function canTransition(from: TaskStatus, to: TaskStatus): boolean {
  if (from === to) return true;
  if (from === 'STOPPED') return false;
  if (to === 'STOPPED') return true;
  return (ORDER.get(to) ?? 0) > (ORDER.get(from) ?? 0);
}

/** Raised for an illegal move; carries both ends for the log. */
export class IllegalTransitionError extends Error {
  constructor(
    readonly from: TaskStatus,
    readonly to: TaskStatus,
  ) {
    super(`A task cannot move from ${from} to ${to}`);
    this.name = 'IllegalTransitionError';
  }
}

/** Returns `to` when the move is legal, else throws IllegalTransitionError. */
export function transition(from: TaskStatus, to: TaskStatus): TaskStatus {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
  return to;
}

/**
 * A task's health from its essential containers' (ECS): HEALTHY when all essential containers with
 * a check are HEALTHY, UNHEALTHY when any is UNHEALTHY, else UNKNOWN.
 */
export function taskHealth(containers: readonly { essential: boolean; hasHealthCheck: boolean; health: HealthStatus }[]): HealthStatus {
  const checked = containers.filter((c) => c.essential && c.hasHealthCheck);
  if (checked.some((c) => c.health === 'UNHEALTHY')) return 'UNHEALTHY';
  if (checked.length > 0 && checked.every((c) => c.health === 'HEALTHY')) return 'HEALTHY';
  return 'UNKNOWN';
}

/** How a task's containers were told to differ from the task definition (RunTask `overrides`). */
export interface TaskOverrides {
  readonly containerOverrides?: readonly {
    readonly name: string;
    readonly command?: readonly string[];
    readonly environment?: readonly { name: string; value: string }[];
    readonly cpu?: number;
    readonly memory?: number;
    readonly memoryReservation?: number;
  }[];
  readonly cpu?: string;
  readonly memory?: string;
}

/** A container's host port binding as ECS reports it (`networkBindings`). */
export interface NetworkBinding {
  readonly bindIP: string;
  readonly containerPort: number;
  readonly hostPort: number;
  readonly protocol: 'tcp' | 'udp';
}

/** What the agent last reported about one container of a task. */
export interface ContainerState {
  readonly name: string;
  readonly lastStatus: ContainerStatus;
  readonly exitCode: number | null;
  readonly reason: string | null;
  readonly healthStatus: HealthStatus;
  readonly networkBindings: readonly NetworkBinding[];
  /** Where the router should send traffic for this container's first port, `host:port`, when it serves one. */
  readonly targetAddress: string | null;
  /** The driver's id for it (Docker container id, or the process driver's id). */
  readonly runtimeId: string | null;
}

/**
 * A task as stored. The controller writes `desiredStatus`, placement (`containerInstanceId`,
 * `hostPorts`) and stop intent (`stopCode`, `stoppedReason` when it asks for the stop); the agent's
 * reports write `lastStatus`, `containers`, `healthStatus` and the timestamps of what happened.
 * `version` increases on every write.
 */
export interface TaskRecord {
  readonly id: string;
  readonly cluster: string;
  readonly family: string;
  readonly revision: number;
  readonly containerInstanceId: string;
  readonly desiredStatus: DesiredTaskStatus;
  readonly lastStatus: TaskStatus;
  readonly healthStatus: HealthStatus;
  /** `family:<family>` for standalone tasks unless RunTask names one; `service:<name>` for service tasks. */
  readonly group: string;
  readonly startedBy: string | null;
  /** CPU units and MiB reserved on the host. */
  readonly cpu: number;
  readonly memory: number;
  /** Static host ports the task holds, in the order of the task definition's port mappings; 0 where the host picks one when the container starts. */
  readonly hostPorts: readonly number[];
  readonly overrides: TaskOverrides;
  readonly tags: readonly { key: string; value: string }[];
  readonly containers: readonly ContainerState[];
  readonly stopCode: StopCode | null;
  readonly stoppedReason: string | null;
  /**
   * While DEACTIVATING: until when its agent keeps it running, so the router drains its in-flight
   * requests (the target group's deregistration delay); null once released to stop.
   */
  readonly drainUntil: number | null;
  readonly version: number;
  /** ms since the epoch, or null until it happened. */
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly stoppingAt: number | null;
  readonly stoppedAt: number | null;
}
