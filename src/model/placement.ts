/**
 * Task placement: the scheduler's view of a host (an ECS container instance), what a task needs,
 * and ECS's placement strategies, constraints and failures in their JSON shapes. Plain data and
 * tiny predicates only; the placement itself lives in `src/controller/scheduler`.
 */

/** Host statuses the scheduler sees; only ACTIVE hosts take new tasks (ECS §17.3, §17.4). */
export const PLACEMENT_HOST_STATUSES = ['ACTIVE', 'DRAINING'] as const;
export type PlacementHostStatus = (typeof PLACEMENT_HOST_STATUSES)[number];

export const PORT_PROTOCOLS = ['tcp', 'udp'] as const;
export type PortProtocol = (typeof PORT_PROTOCOLS)[number];

/**
 * Resources of a host, ECS-style. `cpu` in CPU units (1 vCPU = 1024), `memory` in MiB. The port
 * lists are ECS's `PORTS` / `PORTS_UDP` string sets: host ports already taken (reserved ports such
 * as 22 included), not ports that are free.
 */
export interface HostResources {
  readonly cpu: number;
  readonly memory: number;
  readonly portsTcp: readonly number[];
  readonly portsUdp: readonly number[];
}

/**
 * A host (container instance) as placement sees it: a snapshot the caller builds from the store.
 * `groupCounts` counts the non-stopped tasks on the host per task group (`service:<name>`,
 * `family:<family>`, or a RunTask group); it drives spread and distinctInstance.
 */
export interface PlacementHost {
  readonly id: string;
  readonly cluster: string;
  readonly status: PlacementHostStatus;
  readonly agentConnected: boolean;
  readonly registered: HostResources;
  readonly remaining: HostResources;
  /** Attribute name to value: built-ins (`ecs.os-type`, `ecs.availability-zone`, `wharf.driver`) and custom ones. */
  readonly attributes: Readonly<Record<string, string>>;
  readonly groupCounts: Readonly<Record<string, number>>;
  /** Running plus pending tasks; `runningTasksCount` in the cluster query language. Defaults to the sum of `groupCounts`. */
  readonly runningTasksCount?: number;
  /** `agentVersion` in the cluster query language, e.g. `1.4.0`. */
  readonly agentVersion?: string;
  /** `ec2InstanceId` in the cluster query language; defaults to `id`. */
  readonly ec2InstanceId?: string;
  /** `registeredAt` in the cluster query language, ms since the epoch. */
  readonly registeredAt?: number;
}

export const PLACEMENT_STRATEGY_TYPES = ['binpack', 'spread', 'random'] as const;
export type PlacementStrategyType = (typeof PLACEMENT_STRATEGY_TYPES)[number];

/**
 * ECS `PlacementStrategy`. `field`: for binpack `cpu` or `memory`; for spread `instanceId` (alias
 * `host`) or `attribute:<name>`; none for random.
 */
export interface PlacementStrategy {
  readonly type: PlacementStrategyType;
  readonly field?: string;
}

export const PLACEMENT_CONSTRAINT_TYPES = ['distinctInstance', 'memberOf'] as const;
export type PlacementConstraintType = (typeof PLACEMENT_CONSTRAINT_TYPES)[number];

/** ECS `PlacementConstraint`; `expression` (cluster query language) only with memberOf. */
export interface PlacementConstraint {
  readonly type: PlacementConstraintType;
  readonly expression?: string;
}

/** ECS limits on one task's placement lists (task definition and request together for constraints). */
export const MAX_PLACEMENT_STRATEGIES = 5;
export const MAX_PLACEMENT_CONSTRAINTS = 10;

/** A host port a task needs. `hostPort` 0 means dynamic: any free port from the ephemeral range. */
export interface PortNeed {
  readonly hostPort: number;
  readonly protocol: PortProtocol;
}

/** What one task needs from a host, and how to choose among hosts. Build it with `taskRequirement()`. */
export interface TaskRequirement {
  /** CPU units reserved on the host. */
  readonly cpu: number;
  /** MiB reserved on the host (task memory, else the sum of container memoryReservation or memory). */
  readonly memory: number;
  /** Host ports, in container and port-mapping order; placements return the chosen ports in this order. */
  readonly ports: readonly PortNeed[];
  /** The task group: `service:<name>` for service tasks, `family:<family>` for standalone tasks by default. */
  readonly group: string;
  readonly placementConstraints: readonly PlacementConstraint[];
  readonly placementStrategy: readonly PlacementStrategy[];
}

/** ECS's dynamic host port range when the host does not say otherwise (49153-65535). */
export const DEFAULT_DYNAMIC_PORT_RANGE: { readonly from: number; readonly to: number } = { from: 49153, to: 65535 };

/**
 * Why a task could not be placed: ECS's `Failure.reason` values (§18.1) plus `INACTIVE` (only
 * non-ACTIVE hosts left), `DISTINCT_INSTANCE` (every fitting host already runs the group),
 * `RESOURCE:TASKS` (the host holds as many tasks as Wharf's tasks-per-host quota allows) and
 * `MISSING` (the cluster has no hosts at all; ECS answers "No Container Instances were found in
 * your cluster.").
 */
export const PLACEMENT_FAILURE_REASONS = [
  'MISSING',
  'INACTIVE',
  'AGENT',
  'ATTRIBUTE',
  'DISTINCT_INSTANCE',
  'RESOURCE:TASKS',
  'RESOURCE:CPU',
  'RESOURCE:MEMORY',
  'RESOURCE:PORTS',
  'RESOURCE:PORTS_UDP',
] as const;
export type PlacementFailureReason = (typeof PLACEMENT_FAILURE_REASONS)[number];

/** An ECS-shaped failure for tasks that could not be placed; `count` tasks of the request failed alike. */
export interface PlacementFailure {
  readonly reason: PlacementFailureReason;
  readonly detail: string;
  readonly count: number;
}

/** One placed task: the host and the host ports chosen, in the order of `TaskRequirement.ports`. */
export interface Placement {
  readonly hostId: string;
  readonly hostPorts: readonly number[];
}

/** True when a host may take new tasks at all (ACTIVE with a live agent). */
export function acceptsTasks(host: Pick<PlacementHost, 'status' | 'agentConnected'>): boolean {
  return host.status === 'ACTIVE' && host.agentConnected;
}
