/** ECS clusters: a named group of hosts (container instances) that tasks and services run on. */

export const CLUSTER_STATUSES = ['ACTIVE', 'INACTIVE'] as const;
export type ClusterStatus = (typeof CLUSTER_STATUSES)[number];

/** The cluster every request without a cluster means; it always exists. */
export const DEFAULT_CLUSTER = 'default';

/**
 * ECS's quota "Services per cluster": services of one cluster that are not INACTIVE. CreateService
 * past it is refused (WHARF_E_QUOTA_EXCEEDED); `WHARF_MAX_SERVICES_PER_CLUSTER` changes it.
 */
export const MAX_SERVICES_PER_CLUSTER = 5_000;

/**
 * ECS's quota "Tasks in the PROVISIONING state per cluster": the cluster's tasks not yet RUNNING
 * and not STOPPED (PROVISIONING, PENDING, ACTIVATING). A RunTask whose `count` would take them past
 * it is refused whole; `WHARF_MAX_PROVISIONING_TASKS_PER_CLUSTER` changes it.
 */
export const MAX_PROVISIONING_TASKS_PER_CLUSTER = 500;

/**
 * Tasks per host: the tasks not STOPPED one container instance may hold. Placement treats a host
 * holding this many as full (failure reason `RESOURCE:TASKS`), whatever CPU and memory it has left;
 * `WHARF_MAX_TASKS_PER_HOST` changes it. ECS has no such quota (an EC2 instance runs out of ENIs or
 * memory first), but a Wharf host's agent reports every task it holds in one heartbeat, which must
 * stay under the controller's body limit (1 MiB by default) or the host is declared lost: a
 * running one-container task reports about 530 bytes (its id, statuses, port binding, runtime id,
 * usage), so 1,000 tasks take about half the limit, leaving room for a second container, stop
 * reasons (up to 1 KiB each) and tasks still STOPPING. A host with 5,994 tiny tasks sent 3 MB.
 */
export const MAX_TASKS_PER_HOST = 1_000;

/**
 * The quotas a controller enforces per cluster and per host: ECS's figures by default, set
 * otherwise through settings (a small installation may want lower ones; tests do).
 */
export interface ClusterQuotas {
  /** Services not INACTIVE, per cluster. */
  readonly servicesPerCluster: number;
  /** Tasks not yet RUNNING (and not STOPPED), per cluster, that RunTask may bring about. */
  readonly provisioningTasksPerCluster: number;
  /** Tasks not STOPPED per host (container instance), that placement fills a host up to. */
  readonly tasksPerHost: number;
}

export interface Tag {
  readonly key: string;
  readonly value: string;
}

export interface ClusterSetting {
  readonly name: string;
  readonly value: string;
}

/** A cluster as stored. Counts (instances, tasks, services) are computed when described, never stored. */
export interface Cluster {
  readonly clusterName: string;
  readonly status: ClusterStatus;
  readonly tags: readonly Tag[];
  readonly settings: readonly ClusterSetting[];
  /** ms since the epoch. */
  readonly createdAt: number;
  readonly updatedAt: number;
}
