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
