/**
 * Scheduler placement benchmark (in memory): 5,000 simulated hosts, 1,000,000 tasks submitted as
 * 1,000 jobs of 1,000 tasks (Nomad C1M's shape), half binpack and half spread, some constrained.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/scheduler/placement.js [--hosts 5000] [--tasks 1000000] [--batch 1000] [--seed 1] [--json]
 *
 * Reports placements/s, per-batch latency p50/p99, peak RSS and the time until all are placed.
 * Persistence plugs in through `PersistHook` (`runPlacementBench({ persist })`): each batch's
 * placements are handed to it before the next batch is placed, and its time counts in the total.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Placement, TaskRequirement } from '../../src/model/placement.js';
import { placeTasks } from '../../src/controller/scheduler/place.js';
import { seededRandom } from '../../src/controller/scheduler/random.js';
import { createPlacementCluster } from '../../src/controller/scheduler/view.js';
import type { JobKind } from './cluster.js';
import { jobTask, quantile, simulatedHosts } from './cluster.js';

/** One placed batch, as a store would write it. */
export interface PlacedBatch {
  readonly job: number;
  readonly requirement: TaskRequirement;
  readonly placements: readonly Placement[];
}

/** Writes a batch's placements (e.g. one transaction into the tasks table). */
export type PersistHook = (batch: PlacedBatch) => void | Promise<void>;

export interface PlacementBenchOptions {
  readonly hosts: number;
  readonly tasks: number;
  readonly batch: number;
  readonly seed: number;
  readonly persist?: PersistHook;
}

export interface PlacementBenchResult {
  readonly hosts: number;
  readonly tasksSubmitted: number;
  readonly tasksPlaced: number;
  readonly tasksFailed: number;
  readonly failureReasons: Readonly<Record<string, number>>;
  readonly batches: number;
  /** Until every batch was placed (and persisted, with a hook), from the first submission. */
  readonly totalSeconds: number;
  readonly placementsPerSecond: number;
  readonly batchP50Ms: number;
  readonly batchP99Ms: number;
  readonly batchMaxMs: number;
  /** Placement time per batch (without persistence) by job kind. */
  readonly placeMsByKind: Readonly<Record<JobKind, { readonly p50Ms: number; readonly p99Ms: number }>>;
  readonly persistSeconds: number;
  readonly peakRssMiB: number;
  readonly setupSeconds: number;
  readonly hostsCheckedPerTask: number;
  /** Share of usable CPU and memory reserved when done. */
  readonly cpuUtilisation: number;
  readonly memoryUtilisation: number;
}

export async function runPlacementBench(options: PlacementBenchOptions): Promise<PlacementBenchResult> {
  const rng = seededRandom(options.seed);
  let peakRss = process.memoryUsage().rss;
  const setupStart = performance.now();
  const hosts = simulatedHosts(options.hosts, rng);
  const view = createPlacementCluster(hosts);
  const setupSeconds = (performance.now() - setupStart) / 1000;

  const batchMs: number[] = [];
  const kindMs: Record<JobKind, number[]> = { binpack: [], spread: [] };
  let placed = 0;
  let failed = 0;
  let checked = 0;
  let persistMs = 0;
  const failureReasons: Record<string, number> = {};
  const start = performance.now();
  const jobs = Math.ceil(options.tasks / options.batch);
  for (let j = 0; j < jobs; j++) {
    const count = Math.min(options.batch, options.tasks - j * options.batch);
    const { kind, task } = jobTask(j, rng);
    const t0 = performance.now();
    const result = placeTasks(view, task, count, { rng });
    const t1 = performance.now();
    if (options.persist) await options.persist({ job: j, requirement: task, placements: result.placements });
    const t2 = performance.now();
    batchMs.push(t2 - t0);
    kindMs[kind].push(t1 - t0);
    persistMs += t2 - t1;
    placed += result.placements.length;
    checked += result.hostsChecked;
    for (const f of result.failures) {
      failed += f.count;
      failureReasons[f.reason] = (failureReasons[f.reason] ?? 0) + f.count;
    }
    if (j % 16 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const totalSeconds = (performance.now() - start) / 1000;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  batchMs.sort((a, b) => a - b);
  const byKind = (k: JobKind) => {
    const ms = kindMs[k].sort((a, b) => a - b);
    return { p50Ms: quantile(ms, 0.5), p99Ms: quantile(ms, 0.99) };
  };

  let cpuTotal = 0;
  let cpuLeft = 0;
  let memTotal = 0;
  let memLeft = 0;
  hosts.forEach((h, i) => {
    if (h.status !== 'ACTIVE' || !h.agentConnected) return;
    cpuTotal += h.registered.cpu;
    memTotal += h.registered.memory;
    cpuLeft += view.cpu[i]!;
    memLeft += view.memory[i]!;
  });
  return {
    hosts: options.hosts,
    tasksSubmitted: options.tasks,
    tasksPlaced: placed,
    tasksFailed: failed,
    failureReasons,
    batches: jobs,
    totalSeconds,
    placementsPerSecond: placed / totalSeconds,
    batchP50Ms: quantile(batchMs, 0.5),
    batchP99Ms: quantile(batchMs, 0.99),
    batchMaxMs: batchMs[batchMs.length - 1] ?? 0,
    placeMsByKind: { binpack: byKind('binpack'), spread: byKind('spread') },
    persistSeconds: persistMs / 1000,
    peakRssMiB: peakRss / 2 ** 20,
    setupSeconds,
    hostsCheckedPerTask: checked / Math.max(1, placed + failed),
    cpuUtilisation: 1 - cpuLeft / cpuTotal,
    memoryUtilisation: 1 - memLeft / memTotal,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      hosts: { type: 'string', default: '5000' },
      tasks: { type: 'string', default: '1000000' },
      batch: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
    },
  });
  const result = await runPlacementBench({ hosts: Number(values.hosts), tasks: Number(values.tasks), batch: Number(values.batch), seed: Number(values.seed) });
  if (values.json) {
    console.log(JSON.stringify(result));
    return;
  }
  const f = (n: number, d = 1) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  console.log(`scheduler placement: ${f(result.hosts, 0)} hosts, ${f(result.tasksSubmitted, 0)} tasks in ${result.batches} batches`);
  console.log(`  placed            ${f(result.tasksPlaced, 0)} (failed ${f(result.tasksFailed, 0)} ${JSON.stringify(result.failureReasons)})`);
  console.log(`  all placed in     ${f(result.totalSeconds, 2)} s (setup ${f(result.setupSeconds, 2)} s, persist ${f(result.persistSeconds, 2)} s)`);
  console.log(`  placements/s      ${f(result.placementsPerSecond, 0)}`);
  console.log(`  batch latency     p50 ${f(result.batchP50Ms, 2)} ms, p99 ${f(result.batchP99Ms, 2)} ms, max ${f(result.batchMaxMs, 2)} ms`);
  for (const k of ['binpack', 'spread'] as const) console.log(`  ${k.padEnd(17)} p50 ${f(result.placeMsByKind[k].p50Ms, 2)} ms, p99 ${f(result.placeMsByKind[k].p99Ms, 2)} ms per batch (placement only)`);
  console.log(`  hosts checked     ${f(result.hostsCheckedPerTask, 1)} per task`);
  console.log(`  peak RSS          ${f(result.peakRssMiB, 0)} MiB`);
  console.log(`  reserved at end   cpu ${f(result.cpuUtilisation * 100)} %, memory ${f(result.memoryUtilisation * 100)} %`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
