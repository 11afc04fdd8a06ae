/**
 * The simulated cluster and workload the scheduler benchmarks share: hosts of mixed sizes and
 * attributes, and jobs (batches) of tasks with binpack or spread, some constrained. Deterministic
 * from a seed.
 */
import type { PlacementHost, PlacementStrategy, TaskRequirement } from '../../src/model/placement.js';
import type { Rng } from '../../src/controller/scheduler/random.js';

/** vCPU and GiB per host shape, and how often it appears. */
const SHAPES: readonly { readonly type: string; readonly vcpu: number; readonly gib: number; readonly weight: number }[] = [
  { type: 'c5.2xlarge', vcpu: 8, gib: 16, weight: 2 },
  { type: 'm5.2xlarge', vcpu: 8, gib: 32, weight: 3 },
  { type: 'm5.4xlarge', vcpu: 16, gib: 64, weight: 3 },
  { type: 'r5.4xlarge', vcpu: 16, gib: 128, weight: 1 },
  { type: 'c5.9xlarge', vcpu: 36, gib: 72, weight: 1 },
  { type: 'm5.12xlarge', vcpu: 48, gib: 192, weight: 1 },
];
const ZONES = ['zone-a', 'zone-b', 'zone-c'];
const RESERVED_PORTS = [22, 2375, 2376, 51678, 51679];

function pick<T extends { weight: number }>(items: readonly T[], rng: Rng): T {
  const total = items.reduce((a, b) => a + b.weight, 0);
  let r = rng() * total;
  for (const item of items) {
    r -= item.weight;
    if (r < 0) return item;
  }
  return items[items.length - 1]!;
}

/** `n` hosts: mixed shapes, three zones, 70 % `stack=prod`, a few DRAINING or disconnected. */
export function simulatedHosts(n: number, rng: Rng): PlacementHost[] {
  return Array.from({ length: n }, (_, i) => {
    const shape = pick(SHAPES, rng);
    const cpu = shape.vcpu * 1024;
    const memory = shape.gib * 1024 - 512;
    const r = rng();
    return {
      id: `host-${String(i).padStart(5, '0')}`,
      cluster: 'bench',
      status: r < 0.01 ? 'DRAINING' : 'ACTIVE',
      agentConnected: !(r >= 0.01 && r < 0.02),
      registered: { cpu, memory, portsTcp: RESERVED_PORTS, portsUdp: [] },
      remaining: { cpu, memory, portsTcp: RESERVED_PORTS, portsUdp: [] },
      attributes: {
        'ecs.availability-zone': ZONES[i % ZONES.length]!,
        'ecs.instance-type': shape.type,
        'ecs.os-type': 'linux',
        'ecs.cpu-architecture': rng() < 0.2 ? 'arm64' : 'x86_64',
        'wharf.driver': rng() < 0.5 ? 'docker' : 'process',
        stack: rng() < 0.7 ? 'prod' : 'dev',
      },
      groupCounts: {},
    };
  });
}

export type JobKind = 'binpack' | 'spread';

/**
 * Job `j`'s task: small like C2M's (cpu 32-64 units, 32-256 MiB); every other job binpacks
 * (memory or cpu), the rest spread over zones then hosts; one in five is constrained to
 * `stack == prod`, one in ten to m5 hosts, one in ten is distinctInstance; 30 % take a dynamic port.
 */
export function jobTask(j: number, rng: Rng): { kind: JobKind; task: TaskRequirement } {
  const kind: JobKind = j % 2 === 0 ? 'binpack' : 'spread';
  const strategy: PlacementStrategy[] =
    kind === 'binpack'
      ? [{ type: 'binpack', field: j % 4 === 0 ? 'memory' : 'cpu' }]
      : [
          { type: 'spread', field: 'attribute:ecs.availability-zone' },
          { type: 'spread', field: 'instanceId' },
        ];
  const constraints: TaskRequirement['placementConstraints'][number][] = [];
  if (j % 5 === 1) constraints.push({ type: 'memberOf', expression: 'attribute:stack == prod' });
  if (j % 10 === 3) constraints.push({ type: 'memberOf', expression: 'attribute:ecs.instance-type =~ m5.*' });
  if (j % 10 === 7) constraints.push({ type: 'distinctInstance' });
  return {
    kind,
    task: {
      cpu: [32, 48, 64][Math.floor(rng() * 3)]!,
      memory: [32, 64, 128, 256][Math.floor(rng() * 4)]!,
      ports: rng() < 0.3 ? [{ hostPort: 0, protocol: 'tcp' }] : [],
      group: `service:job-${j}`,
      placementConstraints: constraints,
      placementStrategy: strategy,
    },
  };
}

/** Quantile of an ascending array. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
