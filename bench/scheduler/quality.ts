/**
 * Placement quality of the bounded sample against scoring every feasible host, on the simulated
 * cluster of the placement benchmark:
 * - spread: imbalance of one group's tasks over hosts (max - min tasks per host) and over zones;
 * - binpack: hosts used and the share of their CPU or memory reserved.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/scheduler/quality.js [--hosts 5000] [--seed 1] [--json]
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { PlacementHost, TaskRequirement } from '../../src/model/placement.js';
import type { PlaceOptions } from '../../src/controller/scheduler/place.js';
import { placeTasks } from '../../src/controller/scheduler/place.js';
import { seededRandom } from '../../src/controller/scheduler/random.js';
import { createPlacementCluster } from '../../src/controller/scheduler/view.js';
import { simulatedHosts } from './cluster.js';

export interface QualityRow {
  readonly scenario: string;
  readonly metric: string;
  readonly sampled: number;
  readonly full: number;
  readonly sampledSeconds: number;
  readonly fullSeconds: number;
}

interface Scenario {
  readonly name: string;
  readonly task: TaskRequirement;
  readonly count: number;
  /** Metric name and value from the view after placing. */
  readonly measure: (hosts: readonly PlacementHost[], view: ReturnType<typeof createPlacementCluster>, hostIds: readonly string[]) => Record<string, number>;
}

function spreadMetrics(group: string) {
  return (hosts: readonly PlacementHost[], view: ReturnType<typeof createPlacementCluster>): Record<string, number> => {
    const counts: number[] = [];
    const zones = new Map<string, number>();
    hosts.forEach((h, i) => {
      if (h.status !== 'ACTIVE' || !h.agentConnected) return;
      const c = view.groupCount(group, i);
      counts.push(c);
      const zone = h.attributes['ecs.availability-zone']!;
      zones.set(zone, (zones.get(zone) ?? 0) + c);
    });
    const z = [...zones.values()];
    return { 'host imbalance (max-min tasks per host)': Math.max(...counts) - Math.min(...counts), 'zone imbalance (max-min tasks per zone)': Math.max(...z) - Math.min(...z) };
  };
}

function binpackMetrics(field: 'cpu' | 'memory') {
  return (hosts: readonly PlacementHost[], view: ReturnType<typeof createPlacementCluster>, hostIds: readonly string[]): Record<string, number> => {
    const used = new Set(hostIds.map((id) => view.indexOf(id)));
    let registered = 0;
    let left = 0;
    for (const i of used) {
      registered += hosts[i]!.registered[field];
      left += field === 'cpu' ? view.cpu[i]! : view.memory[i]!;
    }
    return { 'hosts used': used.size, [`${field} reserved on used hosts (%)`]: 100 * (1 - left / registered) };
  };
}

const base: Omit<TaskRequirement, 'placementStrategy' | 'group'> = { cpu: 64, memory: 128, ports: [], placementConstraints: [] };
const SCENARIOS: readonly Scenario[] = [
  {
    name: 'spread zone, instanceId: 20,000 tasks of one group',
    task: { ...base, group: 's1', placementStrategy: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }, { type: 'spread', field: 'instanceId' }] },
    count: 20_000,
    measure: spreadMetrics('s1'),
  },
  {
    name: 'spread instanceId: 20,000 tasks of one group',
    task: { ...base, group: 's2', placementStrategy: [{ type: 'spread', field: 'instanceId' }] },
    count: 20_000,
    measure: spreadMetrics('s2'),
  },
  {
    name: 'spread instanceId + memberOf stack == prod: 20,000 tasks',
    task: { ...base, group: 's3', placementStrategy: [{ type: 'spread', field: 'instanceId' }], placementConstraints: [{ type: 'memberOf', expression: 'attribute:stack == prod' }] },
    count: 20_000,
    measure: (hosts, view) => spreadMetrics('s3')(hosts.map((h) => (h.attributes.stack === 'prod' ? h : { ...h, status: 'DRAINING' })), view),
  },
  {
    name: 'binpack cpu: 100,000 tasks (about 7 % of the cluster CPU)',
    task: { ...base, group: 'b1', placementStrategy: [{ type: 'binpack', field: 'cpu' }] },
    count: 100_000,
    measure: binpackMetrics('cpu'),
  },
  {
    name: 'binpack memory: 100,000 tasks of 512 MiB (about 15 % of the cluster memory)',
    task: { ...base, memory: 512, group: 'b2', placementStrategy: [{ type: 'binpack', field: 'memory' }] },
    count: 100_000,
    measure: binpackMetrics('memory'),
  },
  {
    name: 'spread zone, then binpack memory: 50,000 tasks',
    task: { ...base, group: 'b3', placementStrategy: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }, { type: 'binpack', field: 'memory' }] },
    count: 50_000,
    measure: (hosts, view, ids) => ({ ...binpackMetrics('memory')(hosts, view, ids), 'zone imbalance (max-min tasks per zone)': spreadMetrics('b3')(hosts, view)['zone imbalance (max-min tasks per zone)']! }),
  },
];

export function runQualityBench(hostCount: number, seed: number): QualityRow[] {
  const rows: QualityRow[] = [];
  const hosts = simulatedHosts(hostCount, seededRandom(seed));
  for (const scenario of SCENARIOS) {
    const run = (options: Partial<PlaceOptions>) => {
      const view = createPlacementCluster(hosts);
      const t0 = performance.now();
      const result = placeTasks(view, scenario.task, scenario.count, { rng: seededRandom(seed), ...options });
      const seconds = (performance.now() - t0) / 1000;
      if (result.failures.length > 0) throw new Error(`${scenario.name}: ${result.failures[0]!.detail}`);
      return { seconds, metrics: scenario.measure(hosts, view, result.placements.map((p) => p.hostId)) };
    };
    const sampled = run({});
    const full = run({ sampleSize: 'all' });
    for (const metric of Object.keys(sampled.metrics)) {
      rows.push({ scenario: scenario.name, metric, sampled: sampled.metrics[metric]!, full: full.metrics[metric]!, sampledSeconds: sampled.seconds, fullSeconds: full.seconds });
    }
  }
  return rows;
}

function main(): void {
  const { values } = parseArgs({ options: { hosts: { type: 'string', default: '5000' }, seed: { type: 'string', default: '1' }, json: { type: 'boolean', default: false } } });
  const rows = runQualityBench(Number(values.hosts), Number(values.seed));
  if (values.json) {
    console.log(JSON.stringify(rows));
    return;
  }
  console.log(`| scenario (${values.hosts} hosts) | metric | sampled | full scoring | time sampled / full |`);
  console.log('|---|---|---|---|---|');
  for (const r of rows) {
    const n = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));
    console.log(`| ${r.scenario} | ${r.metric} | ${n(r.sampled)} | ${n(r.full)} | ${r.sampledSeconds.toFixed(2)} s / ${r.fullSeconds.toFixed(2)} s |`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
