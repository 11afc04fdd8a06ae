/**
 * ECS container instances: hosts that run tasks, each with an agent. `status` is the user's
 * (ACTIVE, DRAINING; INACTIVE once deregistered); `agentConnected` and `lastSeenAt` are observed
 * from the agent's heartbeats.
 */
import type { Tag } from './cluster.js';
import type { HostResources } from './placement.js';

export const CONTAINER_INSTANCE_STATUSES = ['ACTIVE', 'DRAINING', 'INACTIVE'] as const;
export type ContainerInstanceStatus = (typeof CONTAINER_INSTANCE_STATUSES)[number];

const CONTAINER_INSTANCE_MOVES: Readonly<Record<ContainerInstanceStatus, readonly ContainerInstanceStatus[]>> = {
  ACTIVE: ['DRAINING', 'INACTIVE'],
  DRAINING: ['ACTIVE', 'INACTIVE'],
  INACTIVE: [],
};

/**
 * Returns `to` when a container instance may move there from `from` (or stays); throws otherwise.
 * The user drains a host and makes it ACTIVE again (UpdateContainerInstancesState); a deregistered
 * host is INACTIVE for good (its agent registers anew).
 */
export function containerInstanceTransition(from: ContainerInstanceStatus, to: ContainerInstanceStatus): ContainerInstanceStatus {
  if (from !== to && !CONTAINER_INSTANCE_MOVES[from].includes(to)) throw new Error(`A container instance cannot move from ${from} to ${to}`);
  return to;
}

/** The drivers an agent can run containers with. */
export const DRIVER_NAMES = ['process', 'docker'] as const;
export type DriverName = (typeof DRIVER_NAMES)[number];

export interface ContainerInstance {
  /** 32 hex characters, as ECS's container instance ids. */
  readonly id: string;
  readonly cluster: string;
  /** The agent's name for its host (`--host-id`, default the hostname); unique among live instances of a cluster. */
  readonly hostId: string;
  readonly status: ContainerInstanceStatus;
  readonly agentConnected: boolean;
  /** sha256 of the agent's credential; the credential itself is never stored. */
  readonly credentialHash: string;
  /** Where the controller reaches the agent (logs, exec). */
  readonly agentUrl: string;
  readonly agentVersion: string;
  /** What the agent declared it offers (cpu units, MiB, reserved host ports). */
  readonly resources: HostResources;
  /** Built-in (`ecs.os-type`, `ecs.cpu-architecture`, `wharf.driver`, `wharf.host-id`) and custom attributes. */
  readonly attributes: Readonly<Record<string, string>>;
  /**
   * Custom attributes put by the user (ECS's PutAttributes), kept apart from the agent's so a
   * re-registration, which replaces the agent's, keeps them. Placement reads both (`effectiveAttributes`).
   */
  readonly customAttributes: Readonly<Record<string, string>>;
  /** The user's tags (TagResource). */
  readonly tags: readonly Tag[];
  /** Bumped whenever the set of tasks this host should run changes; the agent long-polls on it. */
  readonly desiredVersion: number;
  /** ms since the epoch. */
  readonly lastSeenAt: number;
  readonly registeredAt: number;
  readonly updatedAt: number;
}

/** The most custom attributes one container instance holds (ECS's quota "Attributes per resource"). */
export const MAX_CUSTOM_ATTRIBUTES = 10;

/** Attribute names the agent and ECS own: PutAttributes and DeleteAttributes refuse them. */
export const RESERVED_ATTRIBUTE_PREFIXES = ['ecs.', 'com.amazonaws.ecs.', 'wharf.'] as const;

/** Whether a custom attribute may take this name. */
export function isReservedAttribute(name: string): boolean {
  return RESERVED_ATTRIBUTE_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** The attributes placement and ListAttributes see: the agent's, then the user's custom ones. */
export function effectiveAttributes(instance: Pick<ContainerInstance, 'attributes' | 'customAttributes'>): Readonly<Record<string, string>> {
  return { ...instance.attributes, ...instance.customAttributes };
}
