/** ECS clusters: a named group of hosts (container instances) that tasks and services run on. */

export const CLUSTER_STATUSES = ['ACTIVE', 'INACTIVE'] as const;
export type ClusterStatus = (typeof CLUSTER_STATUSES)[number];

/** The cluster every request without a cluster means; it always exists. */
export const DEFAULT_CLUSTER = 'default';

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
