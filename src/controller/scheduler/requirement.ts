/**
 * From a task definition (and a RunTask/service request) to what placement needs: CPU units,
 * memory MiB, host ports, group, constraints and strategies. Follows ECS (spec §10.1, §10.2):
 * - CPU: the task-level `cpu` when set, else the sum of container `cpu` (unset counts as 0).
 * - Memory: the task-level `memory` when set, else per container `memoryReservation` (the soft
 *   limit) when set, else its `memory` (the hard limit), summed.
 * - Ports: `bridge` maps `hostPort` as given, 0 or unset meaning a dynamic port; `host` uses the
 *   container port as the host port (when `hostPort` is unset or 0); `awsvpc` and `none` take no host ports.
 */
import type { PlacementConstraint, PlacementStrategy, PortNeed, PortProtocol, TaskRequirement } from '../../model/placement.js';

/** The fields of a port mapping that placement reads (ECS `PortMapping`). */
export interface PortMappingInput {
  readonly containerPort?: number;
  readonly hostPort?: number;
  readonly protocol?: PortProtocol;
}

/** The fields of a container definition that placement reads. */
export interface ContainerResourcesInput {
  readonly cpu?: number;
  readonly memory?: number;
  readonly memoryReservation?: number;
  readonly portMappings?: readonly PortMappingInput[];
}

/** The fields of a task definition that placement reads; `cpu` and `memory` already in units and MiB. */
export interface TaskDefinitionResourcesInput {
  readonly family: string;
  readonly cpu?: number;
  readonly memory?: number;
  readonly networkMode?: 'bridge' | 'host' | 'awsvpc' | 'none';
  readonly containerDefinitions: readonly ContainerResourcesInput[];
  /** Task-definition constraints (ECS allows only memberOf there). */
  readonly placementConstraints?: readonly PlacementConstraint[];
}

/** What the request adds: the group (default `family:<family>`), more constraints, the strategy list. */
export interface PlacementRequestInput {
  readonly group?: string;
  readonly placementConstraints?: readonly PlacementConstraint[];
  readonly placementStrategy?: readonly PlacementStrategy[];
}

/** CPU units a task reserves on its host. */
export function taskCpu(def: Pick<TaskDefinitionResourcesInput, 'cpu' | 'containerDefinitions'>): number {
  if (def.cpu !== undefined) return def.cpu;
  let sum = 0;
  for (const c of def.containerDefinitions) sum += c.cpu ?? 0;
  return sum;
}

/** MiB a task reserves on its host. */
export function taskMemory(def: Pick<TaskDefinitionResourcesInput, 'memory' | 'containerDefinitions'>): number {
  if (def.memory !== undefined) return def.memory;
  let sum = 0;
  for (const c of def.containerDefinitions) sum += c.memoryReservation ?? c.memory ?? 0;
  return sum;
}

/** Host ports a task needs, in container then mapping order (0 = dynamic). */
export function taskPorts(def: Pick<TaskDefinitionResourcesInput, 'networkMode' | 'containerDefinitions'>): PortNeed[] {
  const mode = def.networkMode ?? 'bridge';
  if (mode === 'awsvpc' || mode === 'none') return [];
  const needs: PortNeed[] = [];
  for (const c of def.containerDefinitions) {
    for (const m of c.portMappings ?? []) {
      const protocol = m.protocol ?? 'tcp';
      const hostPort = mode === 'host' ? m.hostPort || m.containerPort || 0 : (m.hostPort ?? 0);
      needs.push({ hostPort, protocol });
    }
  }
  return needs;
}

/**
 * The placement requirement of one task of `def` launched by `request`: the task definition's
 * constraints come first, then the request's (ECS counts both against the limit of 10).
 */
export function taskRequirement(def: TaskDefinitionResourcesInput, request: PlacementRequestInput = {}): TaskRequirement {
  return {
    cpu: taskCpu(def),
    memory: taskMemory(def),
    ports: taskPorts(def),
    group: request.group ?? `family:${def.family}`,
    placementConstraints: [...(def.placementConstraints ?? []), ...(request.placementConstraints ?? [])],
    placementStrategy: [...(request.placementStrategy ?? [])],
  };
}

/**
 * `constraints` plus a memberOf that pins a task to the host whose `ec2InstanceId` is given: how a
 * DAEMON service places the task a host lacks. `room` is how many constraints the list may hold
 * (ECS's 10 less the task definition's); without room for one more, the memberOf expressions and
 * the pin fold into one expression and distinctInstance stays once.
 */
export function pinToHost(constraints: readonly PlacementConstraint[], ec2InstanceId: string, room: number): PlacementConstraint[] {
  const pin = `ec2InstanceId == "${ec2InstanceId.replace(/[\\"]/g, '\\$&')}"`;
  if (constraints.length < room) return [...constraints, { type: 'memberOf', expression: pin }];
  const memberOf = constraints.flatMap((c) => (c.type === 'memberOf' ? [`(${c.expression})`] : []));
  const distinct = constraints.some((c) => c.type === 'distinctInstance') ? [{ type: 'distinctInstance' as const }] : [];
  return [...distinct, { type: 'memberOf', expression: [...memberOf, pin].join(' and ') }];
}
