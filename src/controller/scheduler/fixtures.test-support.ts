/** Fixture builders for the scheduler's tests and benchmark: complete, valid objects to tweak. */
import type { PlacementHost, TaskRequirement } from '../../model/placement.js';

/** A 4 vCPU / 8 GiB ACTIVE Linux host with a connected agent, nothing running, ECS's reserved ports taken. */
export function testHost(id: string, overrides: Partial<PlacementHost> & { cpu?: number; memory?: number } = {}): PlacementHost {
  const { cpu = 4096, memory = 8192, ...rest } = overrides;
  const reserved = [22, 2375, 2376, 51678, 51679];
  return {
    id,
    cluster: 'default',
    status: 'ACTIVE',
    agentConnected: true,
    registered: { cpu, memory, portsTcp: reserved, portsUdp: [] },
    remaining: { cpu, memory, portsTcp: reserved, portsUdp: [] },
    attributes: { 'ecs.os-type': 'linux', 'ecs.instance-type': 'm5.xlarge', 'ecs.availability-zone': 'zone-a', 'wharf.driver': 'process' },
    groupCounts: {},
    ...rest,
  };
}

/** A 256-unit / 512 MiB task of group `family:web`, no ports, constraints or strategies. */
export function testTask(overrides: Partial<TaskRequirement> = {}): TaskRequirement {
  return { cpu: 256, memory: 512, ports: [], group: 'family:web', placementConstraints: [], placementStrategy: [], ...overrides };
}
