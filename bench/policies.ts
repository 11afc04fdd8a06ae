/**
 * Elastic Beanstalk deployment policies under load, per policy: deploy duration, failed and total
 * requests, the longest stretch without a successful answer, the minimum and maximum serving
 * capacity (healthy targets from the router's view, sampled every 20 ms), and the rollback duration
 * of a version that never becomes healthy.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/policies.js [--instances 10] [--hosts 3]
 *     [--policies AllAtOnce,Rolling,RollingWithAdditionalBatch,Immutable] [--batch-percent 30]
 *     [--failure exits|unhealthy] [--workers 4] [--runs 1] [--timeout-s 150] [--json]
 *
 * Per policy: a controller in this process (SQLite), `--hosts` agents as `wharf agent` processes
 * (process driver), the router in this process (node data plane, health checks at the test time
 * scale: a 5 s interval checks every 0.5 s; timeout 4 s, so 400 ms), and a LoadBalanced
 * environment of `--instances` copies of the test app (test/platform/support.ts writeNodeApp:
 * answers GET and POST with its version). Then deploy a new version (measure), then a version
 * whose app `--failure` (exits at start, or answers 500 to its health check) and let the circuit
 * breaker roll it back (measure). A deployment that has not settled after `--timeout-s` is
 * reported as not settled (with its figures so far) and the next policy starts. The load is
 * startLoad (`--workers` loops, half keep-alive, half a fresh connection per request, alternating
 * GET and POST, 5 ms apart). The measuring itself is test/platform/deploy-load.ts, the same code
 * the tests assert with. Results: BENCHMARKS.md, "Deployment policies under load, with rollbacks".
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { DeployFigures, MeasuredPolicy } from '../test/platform/deploy-load.js';
import { deployUnderLoad, describeFigures, startPolicyEnvironment } from '../test/platform/deploy-load.js';
import type { FailureMode } from '../test/platform/support.js';
import type { CleanupScope } from '../test/support/temp.js';

/** The policies measured, in order (TrafficSplitting's options: SPLIT_SETTINGS in test/platform/deploy-load.ts). */
export const POLICIES: readonly MeasuredPolicy[] = ['AllAtOnce', 'Rolling', 'RollingWithAdditionalBatch', 'Immutable', 'TrafficSplitting'];

/** The figures of one deployment, as reported. */
export interface Measure {
  /** UpdateEnvironment → the environment Ready (on the new version; on the old one with the failure for a rollback), ms. */
  readonly environmentMs: number;
  /** UpdateEnvironment → the other version's last task STOPPED and every instance healthy, ms (a rollback's duration). */
  readonly settledMs: number;
  readonly requests: number;
  readonly failed: number;
  readonly longestGapMs: number;
  readonly minHealthy: number;
  readonly maxHealthy: number;
  readonly noHealthyMs: number;
  readonly eventLoopMaxMs: number;
  /** Set when it did not settle within the timeout (the durations are then the timeout). */
  readonly unfinished?: string;
}

export interface PolicyResult {
  readonly run: number;
  readonly policy: MeasuredPolicy;
  readonly deploy?: Measure;
  readonly rollback?: Measure;
  readonly error?: string;
}

function measure(f: DeployFigures): Measure {
  return {
    environmentMs: f.environmentMs,
    settledMs: f.settledMs,
    requests: f.load.ok + f.load.failed,
    failed: f.load.failed,
    longestGapMs: f.load.longestGapMs,
    minHealthy: f.minHealthy,
    maxHealthy: f.maxHealthy,
    noHealthyMs: f.noHealthyMs,
    eventLoopMaxMs: f.eventLoopDelayMs.max,
    ...(f.unfinished ? { unfinished: f.unfinished.split('\n')[0] } : {}),
  };
}

/** A cleanup scope for a script: hooks run last first when `close` is called. */
function scriptScope(): CleanupScope & { close(): Promise<void> } {
  const hooks: (() => Promise<void> | void)[] = [];
  return {
    after: (fn) => void hooks.push(fn),
    async close() {
      for (const hook of hooks.reverse()) {
        try {
          await hook();
        } catch (error) {
          process.stderr.write(`clean-up failed: ${(error as Error).message}\n`);
        }
      }
    },
  };
}

export interface BenchOptions {
  readonly instances: number;
  readonly hosts: number;
  readonly policies: readonly MeasuredPolicy[];
  readonly batchPercent: number;
  readonly failure: FailureMode;
  readonly workers: number;
  /** How long one deployment may take before the run is abandoned, ms. */
  readonly timeoutMs: number;
  readonly log: (line: string) => void;
}

/**
 * One run: for each policy, a fresh cluster and environment on v0 (so one policy's leftovers never
 * weigh on the next), a deployment of v1, then a failing version rolled back by the circuit breaker.
 */
export async function runPolicyBench(run: number, o: BenchOptions): Promise<PolicyResult[]> {
  const results: PolicyResult[] = [];
  for (const policy of o.policies) {
    const scope = scriptScope();
    try {
      const started = Date.now();
      const env = await startPolicyEnvironment(scope, {
        application: 'bench',
        environment: 'bench-policies',
        instances: o.instances,
        hosts: o.hosts,
        firstVersion: 'v0',
        unhealthyThreshold: 3,
        healthCheckTimeout: 4,
      });
      o.log(`run ${run} ${policy}: ${o.instances} instances on ${o.hosts} hosts Ready and healthy in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      const common = { policy, batch: { type: 'Percentage' as const, size: o.batchPercent }, workers: o.workers, timeoutMs: o.timeoutMs, onTimeout: 'report' as const };
      await env.addVersion('v1');
      const deployed = await deployUnderLoad(env, { ...common, from: 'v0', to: 'v1', expect: 'deployed' });
      o.log(`run ${run} ${policy}: ${describeFigures(deployed)}`);
      if (deployed.unfinished) o.log(deployed.unfinished);
      await env.addVersion('bad', o.failure);
      const rolledBack = await deployUnderLoad(env, { ...common, from: 'v1', to: 'bad', expect: 'rolled back' });
      o.log(`run ${run} ${policy}: ${describeFigures(rolledBack)}`);
      if (rolledBack.unfinished) o.log(rolledBack.unfinished);
      results.push({ run, policy, deploy: measure(deployed), rollback: measure(rolledBack) });
    } catch (error) {
      o.log(`run ${run} ${policy} failed: ${(error as Error).message}`);
      results.push({ run, policy, error: (error as Error).message });
    } finally {
      await scope.close();
    }
  }
  return results;
}

/** The median (the mean of the middle two for an even count). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length === 0 ? Number.NaN : sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Medians per policy over the runs, as a Markdown table. */
export function table(results: readonly PolicyResult[], policies: readonly MeasuredPolicy[], instances: number): string {
  const s = (ms: number): string => (Number.isNaN(ms) ? '-' : `${(ms / 1000).toFixed(1)} s`);
  const n = (v: number): string => (Number.isNaN(v) ? '-' : String(Math.round(v)));
  const lines = [
    `| policy | deploy: Ready | deploy: old tasks gone | failed / total | longest gap without success | healthy min-max (of ${instances}) | rollback: Ready on old | rollback duration | failed / total | longest gap | healthy min-max |`,
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const policy of policies) {
    const ok = results.filter((r) => r.policy === policy && r.deploy && r.rollback);
    if (ok.length === 0) {
      lines.push(`| ${policy} | ${results.find((r) => r.policy === policy)?.error?.split('\n')[0] ?? 'not run'} |`);
      continue;
    }
    const m = (pick: (r: PolicyResult) => number): number => median(ok.map(pick));
    // A duration that never ended is shown as such, not as a number.
    const d = (which: 'deploy' | 'rollback', pick: (x: Measure) => number): string => {
      const stuck = ok.filter((r) => r[which]!.unfinished).length;
      return stuck > 0 ? `not settled in ${s(m((r) => pick(r[which]!)))} (${stuck} of ${ok.length})` : s(m((r) => pick(r[which]!)));
    };
    lines.push(
      `| ${policy} | ${s(m((r) => r.deploy!.environmentMs))} | ${d('deploy', (x) => x.settledMs)} | ${n(m((r) => r.deploy!.failed))} / ${n(m((r) => r.deploy!.requests))} | ${n(m((r) => r.deploy!.longestGapMs))} ms | ${n(m((r) => r.deploy!.minHealthy))}-${n(m((r) => r.deploy!.maxHealthy))} | ` +
        `${s(m((r) => r.rollback!.environmentMs))} | ${d('rollback', (x) => x.settledMs)} | ${n(m((r) => r.rollback!.failed))} / ${n(m((r) => r.rollback!.requests))} | ${n(m((r) => r.rollback!.longestGapMs))} ms | ${n(m((r) => r.rollback!.minHealthy))}-${n(m((r) => r.rollback!.maxHealthy))} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      instances: { type: 'string', default: '10' },
      hosts: { type: 'string', default: '3' },
      policies: { type: 'string', default: POLICIES.join(',') },
      'batch-percent': { type: 'string', default: '30' },
      failure: { type: 'string', default: 'exits' },
      workers: { type: 'string', default: '4' },
      runs: { type: 'string', default: '1' },
      'timeout-s': { type: 'string', default: '150' },
      json: { type: 'boolean', default: false },
    },
  });
  const policies = values.policies.split(',').map((p) => p.trim()) as MeasuredPolicy[];
  for (const p of policies) if (!POLICIES.includes(p)) throw new Error(`--policies: ${p} is not one of ${POLICIES.join(', ')}`);
  if (values.failure !== 'exits' && values.failure !== 'unhealthy') throw new Error(`--failure: exits or unhealthy, not ${values.failure}`);
  const options: BenchOptions = {
    instances: Number(values.instances),
    hosts: Number(values.hosts),
    policies,
    batchPercent: Number(values['batch-percent']),
    failure: values.failure,
    workers: Number(values.workers),
    timeoutMs: Number(values['timeout-s']) * 1000,
    log: (line) => process.stderr.write(`${line}\n`),
  };
  const load = [os.loadavg()[0]];
  const results: PolicyResult[] = [];
  for (let run = 1; run <= Number(values.runs); run++) results.push(...(await runPolicyBench(run, options)));
  load.push(os.loadavg()[0]);
  if (values.json) {
    console.log(JSON.stringify({ options: { ...options, log: undefined }, nproc: os.availableParallelism(), loadAverage: load, results }));
    return;
  }
  console.log(
    `Deployment policies under load: ${options.instances} instances on ${options.hosts} hosts, batch ${options.batchPercent} %, failing version ${options.failure}, ` +
      `${options.workers} load loops, ${values.runs} run(s), medians; nproc ${os.availableParallelism()}, load average ${load.map((l) => l?.toFixed(1)).join(' -> ')}`,
  );
  console.log(table(results, policies, options.instances));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
