/**
 * ECS services, their task sets (ECS's `deployments[]`) and the deployments that move traffic and
 * tasks between sets. Plain records, the one deployment policy type, and the state machines of
 * deployments and task sets; the logic lives in `src/controller/services` and `src/controller/deploy`.
 */

export const SERVICE_STATUSES = ['ACTIVE', 'DRAINING', 'INACTIVE'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

export const TASK_SET_STATUSES = ['PRIMARY', 'ACTIVE', 'INACTIVE'] as const;
export type TaskSetStatus = (typeof TASK_SET_STATUSES)[number];

export const ROLLOUT_STATES = ['IN_PROGRESS', 'COMPLETED', 'FAILED'] as const;
export type RolloutState = (typeof ROLLOUT_STATES)[number];

/**
 * ECS's quota "Tasks per service": a service's desired count (and an auto scaling target's
 * capacity) is at most this, so one request cannot ask a cluster for an unbounded number of tasks.
 */
export const MAX_TASKS_PER_SERVICE = 5_000;
/** The field error for a desired count over the quota. */
export const MAX_TASKS_PER_SERVICE_MESSAGE = `A service runs at most ${MAX_TASKS_PER_SERVICE.toLocaleString('en')} tasks (ECS quota "Tasks per service")`;

/** ECS defaults for a REPLICA service's deployment configuration. */
export const DEFAULT_MINIMUM_HEALTHY_PERCENT = 100;
export const DEFAULT_MAXIMUM_PERCENT = 200;

/**
 * ECS defaults for a DAEMON service (one task per host): a host's old task stops before its new one
 * starts there, so the maximum is fixed at 100 and the minimum defaults to 0.
 */
export const DAEMON_MINIMUM_HEALTHY_PERCENT = 0;
export const DAEMON_MAXIMUM_PERCENT = 100;

export interface LoadBalancerBinding {
  readonly targetGroupArn: string;
  readonly containerName: string;
  readonly containerPort: number;
}

export interface DeploymentConfiguration {
  readonly minimumHealthyPercent: number;
  readonly maximumPercent: number;
  readonly deploymentCircuitBreaker: { readonly enable: boolean; readonly rollback: boolean };
}

/**
 * Elastic Beanstalk's deployment policies (`aws:elasticbeanstalk:command` DeploymentPolicy, the option
 * catalogue's rule), as plans on the one engine (`src/controller/deploy`).
 */
export const DEPLOYMENT_POLICIES = ['AllAtOnce', 'Rolling', 'RollingWithAdditionalBatch', 'Immutable', 'TrafficSplitting'] as const;
export type DeploymentPolicyName = (typeof DEPLOYMENT_POLICIES)[number];

/**
 * A Wharf extension of a service: the Elastic Beanstalk policy its revision rollouts follow instead
 * of ECS's rolling update (set by the platform for an environment's service; ECS's API never sets it).
 */
export interface DeploymentPolicy {
  readonly name: DeploymentPolicyName;
  /** Tasks per batch (Rolling, RollingWithAdditionalBatch). */
  readonly batch: number;
  /** TrafficSplitting: the new set's share during the evaluation, and its length. */
  readonly newVersionPercent?: number;
  readonly evaluationMs?: number;
  /** TrafficSplitting: how much worse than the old set the new one may answer before it is rolled back. */
  readonly canary?: CanaryMargins;
  /**
   * Set when the next rollout replaces instances (an Elastic Beanstalk configuration update, such as
   * a new instance size): it follows this `aws:autoscaling:updatepolicy:rollingupdate` plan instead
   * of `name`'s, and so does its circuit-breaker rollback (EB rolls back with another rolling
   * update). Absent on records written before it existed.
   */
  readonly rollingUpdate?: RollingUpdatePolicy;
}

/** `aws:autoscaling:updatepolicy:rollingupdate` RollingUpdateType's values (the option catalogue's rule). */
export const ROLLING_UPDATE_TYPES = ['Time', 'Health', 'Immutable'] as const;
/** A rolling update's type: RollingUpdateType's values, and Disabled for RollingUpdateEnabled false. */
export type RollingUpdateType = 'Disabled' | (typeof ROLLING_UPDATE_TYPES)[number];

/** A configuration update's plan settings (Elastic Beanstalk's rolling update of instances). */
export interface RollingUpdatePolicy {
  readonly type: RollingUpdateType;
  /** Time and Health: tasks replaced per batch at most (MaxBatchSize). */
  readonly maxBatchSize: number;
  /** Time and Health: tasks that stay in service while a batch is replaced (MinInstancesInService). */
  readonly minInstancesInService: number;
  /** Time: how long each batch holds once healthy before the next (PauseTime), ms. */
  readonly pauseMs: number;
}

/**
 * A Wharf extension of TrafficSplitting: during the evaluation, the new set's 5xx share and mean
 * latency are compared with the old set's over the same window; worse beyond these margins, the
 * deployment fails and traffic returns to the old set.
 */
export interface CanaryMargins {
  /** Percentage points the new set's 5xx share may exceed the old set's. */
  readonly errorRatePoints: number;
  /** Percent the new set's mean latency may exceed the old set's. */
  readonly latencyPercent: number;
  /** Requests the new set must have answered in the window before it is judged on them. */
  readonly minRequests: number;
}

export interface ServiceRecord {
  readonly cluster: string;
  readonly serviceName: string;
  readonly status: ServiceStatus;
  /** REPLICA: the user's. DAEMON: computed, the container instances that take one of its tasks each. */
  readonly desiredCount: number;
  /** REPLICA keeps desiredCount tasks; DAEMON one task on each eligible container instance. Never changes. */
  readonly schedulingStrategy: 'REPLICA' | 'DAEMON';
  readonly deploymentConfiguration: DeploymentConfiguration;
  readonly healthCheckGracePeriodSeconds: number;
  readonly loadBalancers: readonly LoadBalancerBinding[];
  readonly placementStrategy: readonly { type: 'binpack' | 'spread' | 'random'; field?: string }[];
  readonly placementConstraints: readonly { type: 'distinctInstance' | 'memberOf'; expression?: string }[];
  readonly tags: readonly { key: string; value: string }[];
  /**
   * The Elastic Beanstalk policy last handed to CreateService or UpdateService (absent: ECS's rolling
   * update), written with the deployment it started; kept for the deployments no caller hands one
   * (the circuit breaker's rollback, UpdateService from ECS or auto scaling).
   */
  readonly deploymentPolicy?: DeploymentPolicy;
  /** ms since the epoch. */
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Increases on every write (compare-and-set). */
  readonly version: number;
}

/**
 * The tasks of one revision within a service. `targetCount` is what the current deployment step
 * wants it to have; `weight` its share of the service's traffic (0-100).
 */
export interface TaskSetRecord {
  /** `ecs-svc/<digits>`, also each of its tasks' `startedBy`. */
  readonly id: string;
  readonly cluster: string;
  readonly serviceName: string;
  readonly family: string;
  readonly revision: number;
  readonly status: TaskSetStatus;
  readonly targetCount: number;
  readonly weight: number;
  readonly rolloutState: RolloutState;
  readonly rolloutStateReason: string;
  /** Tasks of this set that failed to start or were replaced for failing health (circuit breaker). */
  readonly failedTasks: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** One step of a deployment plan: set target counts and weights, then wait until they hold. */
export interface DeploymentStep {
  /** `start set`, `scale set`, `shift weight`, `drain set`, `stop set`: for events and logs. */
  readonly name: string;
  /** Target task count per set id; sets not named keep theirs. */
  readonly targets: Readonly<Record<string, number>>;
  /** Traffic weight per set id; sets not named keep theirs. */
  readonly weights?: Readonly<Record<string, number>>;
  /** Once the targets hold, keep watching this long before the next step (TrafficSplitting's evaluation). */
  readonly holdMs?: number;
  /**
   * While holding, judge the deployment's new set against its old ones: a new task that turns
   * unhealthy, or traffic worse beyond these margins, fails the deployment and rolls it back.
   */
  readonly judge?: CanaryMargins;
}

export const DEPLOYMENT_STATUSES = ['IN_PROGRESS', 'COMPLETED', 'FAILED', 'ROLLED_BACK', 'SUPERSEDED'] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

export interface DeploymentRecord {
  readonly cluster: string;
  readonly serviceName: string;
  /** Increases per service: 1, 2, 3, … */
  readonly id: number;
  /** What built the plan: `ECS_ROLLING`, `ECS_DAEMON` (one task per host), `ROLLBACK`, or an Elastic Beanstalk policy name. */
  readonly kind: string;
  /** The set this deployment moves to. */
  readonly toSet: string;
  /** The sets it moves away from. */
  readonly fromSets: readonly string[];
  readonly steps: readonly DeploymentStep[];
  /** Index of the current step; `steps.length` once all are done. */
  readonly cursor: number;
  /** When the current step's targets were written (null: not yet). */
  readonly stepAppliedAt: number | null;
  /** When the current step's targets first all held (for `holdMs`). */
  readonly stepHeldSince: number | null;
  readonly status: DeploymentStatus;
  readonly reason: string;
  /** The deployment this one rolls back, if it is a rollback. */
  readonly rollbackOf: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

const DEPLOYMENT_MOVES: Readonly<Record<DeploymentStatus, readonly DeploymentStatus[]>> = {
  IN_PROGRESS: ['COMPLETED', 'FAILED', 'ROLLED_BACK', 'SUPERSEDED'],
  COMPLETED: [],
  FAILED: ['ROLLED_BACK'],
  ROLLED_BACK: [],
  SUPERSEDED: [],
};

/** Returns `to` when a deployment may move there from `from` (or stays); throws otherwise. */
export function deploymentTransition(from: DeploymentStatus, to: DeploymentStatus): DeploymentStatus {
  if (from !== to && !DEPLOYMENT_MOVES[from].includes(to)) throw new Error(`A deployment cannot move from ${from} to ${to}`);
  return to;
}

const TASK_SET_MOVES: Readonly<Record<TaskSetStatus, readonly TaskSetStatus[]>> = {
  PRIMARY: ['ACTIVE', 'INACTIVE'],
  ACTIVE: ['PRIMARY', 'INACTIVE'],
  INACTIVE: [],
};

/**
 * Returns `to` when a task set may move there from `from` (or stays); throws otherwise. A set
 * becomes ACTIVE when a newer one becomes PRIMARY, PRIMARY again when a rollback or an abort
 * returns to it, INACTIVE once a deployment away from it completes (or its service is deleted);
 * an INACTIVE set never comes back (its revision returns as a new set).
 */
export function taskSetTransition(from: TaskSetStatus, to: TaskSetStatus): TaskSetStatus {
  if (from !== to && !TASK_SET_MOVES[from].includes(to)) throw new Error(`A task set cannot move from ${from} to ${to}`);
  return to;
}

const SERVICE_MOVES: Readonly<Record<ServiceStatus, readonly ServiceStatus[]>> = {
  ACTIVE: ['DRAINING'],
  DRAINING: ['INACTIVE'],
  INACTIVE: [],
};

/**
 * Returns `to` when a service may move there from `from` (or stays); throws otherwise. DeleteService
 * makes it DRAINING; the service runner makes it INACTIVE once its last task stopped.
 */
export function serviceTransition(from: ServiceStatus, to: ServiceStatus): ServiceStatus {
  if (from !== to && !SERVICE_MOVES[from].includes(to)) throw new Error(`A service cannot move from ${from} to ${to}`);
  return to;
}

/** ECS's circuit-breaker threshold: clamp(ceil(desired / 2), 10, 200). */
export function circuitBreakerThreshold(desiredCount: number): number {
  return Math.min(200, Math.max(10, Math.ceil(desiredCount / 2)));
}
