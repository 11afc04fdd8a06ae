/**
 * Deployments of a LoadBalanced environment measured under load: a cluster of agents, the router,
 * an environment of N instances of the test app, and one function that deploys a version with a
 * policy while startLoad runs and the router's healthy targets are sampled. Shared by the rollback
 * and AllAtOnce tests (test/platform/rollback-*.test.ts, all-at-once.test.ts) and by
 * bench/policies.ts, so the tests prove what the benchmark measures.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { RunningRouter } from '../../src/router/start.js';
import { PLATFORM_CLUSTER, resourceNames } from '../../src/controller/platform/compile.js';
import type { TestCluster } from '../support/cluster.js';
import { startTestCluster } from '../support/cluster.js';
import { startTestRouter } from '../support/router.js';
import type { CleanupScope } from '../support/temp.js';
import { tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';
import type { FailureMode, LoadOptions, LoadResult } from './support.js';
import { EB, createVersion, environment, FAST_HEALTH, startLoad, writeFailingNodeApp, writeNodeApp } from './support.js';

const COMMAND = 'aws:elasticbeanstalk:command';
const PROCESS = 'aws:elasticbeanstalk:environment:process:default';
/** How often the router's healthy targets are counted during a deployment. */
export const CAPACITY_SAMPLE_MS = 20;
/** How long the closing window is in which only the expected version may answer. */
export const CLOSING_WINDOW_MS = 1000;

/**
 * The deployment policies measured. TrafficSplitting is to be added here (and to POLICIES in
 * bench/policies.ts); it also needs its `aws:elasticbeanstalk:trafficsplitting` options
 * (NewVersionPercent, EvaluationTime) in deployUnderLoad's UpdateEnvironment.
 */
export type MeasuredPolicy = 'AllAtOnce' | 'Rolling' | 'RollingWithAdditionalBatch' | 'Immutable' | 'TrafficSplitting';

/** TrafficSplitting as measured: 10 % of the requests to the new set, evaluated for 15 s (Wharf takes fractional minutes). */
export const SPLIT_SETTINGS = [
  { Namespace: 'aws:elasticbeanstalk:trafficsplitting', OptionName: 'NewVersionPercent', Value: '10' },
  { Namespace: 'aws:elasticbeanstalk:trafficsplitting', OptionName: 'EvaluationTime', Value: '0.25' },
];

export interface PolicyEnvironmentOptions {
  readonly application: string;
  /** The environment's name, also its CNAME prefix. */
  readonly environment: string;
  /** MinSize and MaxSize: the instances (tasks) it runs. */
  readonly instances: number;
  /** Agents (hosts) to start. */
  readonly hosts: number;
  /** The first version's label (deployed by CreateEnvironment). */
  readonly firstVersion: string;
  /** Failing checks in a row before a target is unhealthy (EB's default 5 is slow for a failing version). */
  readonly unhealthyThreshold?: number;
  /**
   * HealthCheckTimeout, seconds (FAST_HEALTH's is 2, which the test router's time scale makes
   * 200 ms: on a loaded 2-core machine healthy targets then time out and leave rotation).
   */
  readonly healthCheckTimeout?: number;
}

/** A Ready LoadBalanced environment with every instance healthy on the router. */
export interface PolicyEnvironment {
  readonly cluster: TestCluster;
  readonly router: RunningRouter;
  /** The router's port for listener 80. */
  readonly port: number;
  /** The environment's host name (CNAME). */
  readonly host: string;
  readonly name: string;
  readonly instances: number;
  /** Healthy targets of the environment's target group, from the router's view. */
  healthyTargets(): number;
  /** Creates version `label` of the test app (FAST_HEALTH in its .ebextensions); `failure` makes it one that never becomes healthy. */
  addVersion(label: string, failure?: FailureMode): Promise<void>;
  /** The environment's tasks that have not STOPPED, with their version label. */
  liveTasks(): Promise<{ id: string; label: string; lastStatus: string }[]>;
}

/** Starts a cluster of `hosts` agents, the router, and the environment on `firstVersion`; waits until all its instances are healthy. */
export async function startPolicyEnvironment(scope: CleanupScope, o: PolicyEnvironmentOptions): Promise<PolicyEnvironment> {
  const cluster = await startTestCluster(scope, { serviceSettleMs: 500 });
  for (let i = 1; i <= o.hosts; i++) await cluster.startAgent({ hostId: `${o.environment}-h${i}` });
  const router = await startTestRouter(scope, cluster.controller);
  const source = path.join(await tempDir(scope), 'app');
  const addVersion = async (label: string, failure?: FailureMode): Promise<void> => {
    const files = { '.ebextensions/01-health.config': FAST_HEALTH };
    if (failure) await writeFailingNodeApp(source, label, failure, files);
    else await writeNodeApp(source, label, files);
    await createVersion(cluster, scope, o.application, label, source);
  };
  await addVersion(o.firstVersion);
  await cluster.api('POST', `${EB}/CreateEnvironment`, {
    ApplicationName: o.application,
    EnvironmentName: o.environment,
    VersionLabel: o.firstVersion,
    OptionSettings: [
      { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: String(o.instances) },
      { Namespace: 'aws:autoscaling:asg', OptionName: 'MaxSize', Value: String(o.instances) },
      { Namespace: 'aws:elasticbeanstalk:healthreporting:system', OptionName: 'SystemType', Value: 'enhanced' },
      { Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'LoadBalancerType', Value: 'application' },
      ...(o.unhealthyThreshold === undefined ? [] : [{ Namespace: PROCESS, OptionName: 'UnhealthyThresholdCount', Value: String(o.unhealthyThreshold) }]),
      ...(o.healthCheckTimeout === undefined ? [] : [{ Namespace: PROCESS, OptionName: 'HealthCheckTimeout', Value: String(o.healthCheckTimeout) }]),
    ],
  });
  const ready = await waitFor(
    `${o.environment} Ready on ${o.firstVersion}`,
    async () => {
      const e = await environment(cluster, o.environment);
      return e?.Status === 'Ready' && (e.VersionLabel === o.firstVersion || e.Operation?.Failure) ? e : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 100 },
  );
  if (ready.Operation?.Failure) {
    const { Events } = await cluster.api('POST', `${EB}/DescribeEvents`, { EnvironmentName: o.environment, MaxRecords: 1000 });
    const service = await cluster.api('POST', '/v1/services/describe', { services: [resourceNames(ready.EnvironmentId as string).serviceName] });
    const serviceEvents = (service.services[0]?.events ?? []).slice(0, 30).map((e: any) => `${e.createdAt} ${e.message}`);
    throw new Error(`CreateEnvironment of ${o.environment} failed: ${ready.Operation.Failure}\nevents:\n${Events.map((e: any) => `${e.EventDate} ${e.Severity} ${e.Message}`).join('\n')}\nservice events:\n${serviceEvents.join('\n')}`);
  }
  const port = await waitFor('the router to serve listener 80', () => router.address(80)?.port);
  const healthyTargets = (): number => router.router.targetHealth().filter((d) => d.state === 'healthy').length;
  await waitFor(`${o.instances} healthy targets`, () => healthyTargets() === o.instances, { timeoutMs: 60_000 });

  const family = resourceNames(ready.EnvironmentId as string).family;
  const labels = new Map<number, string>();
  const labelOf = async (revision: number): Promise<string> => {
    let label = labels.get(revision);
    if (label === undefined) {
      const record = await cluster.controller.store.taskDefinitions.get(family, revision);
      label = record?.definition.containerDefinitions[0]?.dockerLabels?.['wharf.version-label'] ?? `revision ${revision}`;
      labels.set(revision, label);
    }
    return label;
  };
  return {
    cluster,
    router,
    port,
    host: ready.CNAME as string,
    name: o.environment,
    instances: o.instances,
    healthyTargets,
    addVersion,
    async liveTasks() {
      const tasks = (await cluster.controller.store.tasks.list({ cluster: PLATFORM_CLUSTER, family, limit: 10_000 })).filter((t) => t.lastStatus !== 'STOPPED');
      return Promise.all(tasks.map(async (t) => ({ id: t.id, label: await labelOf(t.revision), lastStatus: t.lastStatus })));
    },
  };
}

export interface DeployRun {
  readonly policy: MeasuredPolicy;
  /** The version the environment runs now. */
  readonly from: string;
  /** The version deployed. */
  readonly to: string;
  /** Rolling and RollingWithAdditionalBatch: the batch (default Fixed 1); Immutable and AllAtOnce ignore it. */
  readonly batch?: { readonly type: 'Fixed' | 'Percentage'; readonly size: number };
  /** `deployed`: `to` is a good version; `rolled back`: it never becomes healthy and the circuit breaker rolls back. */
  readonly expect: 'deployed' | 'rolled back';
  readonly workers?: number;
  readonly load?: LoadOptions;
  /** How long to wait for the environment and for the tasks to settle (default 100 s). */
  readonly timeoutMs?: number;
  /**
   * When the end does not come within timeoutMs: `throw` (default, for tests), or `report` the
   * figures so far with `unfinished` set (for the benchmark, which goes on with the next policy).
   */
  readonly onTimeout?: 'throw' | 'report';
}

export interface DeployFigures {
  readonly policy: MeasuredPolicy;
  readonly expect: DeployRun['expect'];
  /** The version that serves at the end: `to` when deployed, `from` when rolled back. */
  readonly serving: string;
  /** UpdateEnvironment → the environment Ready on `to`, or Ready on `from` with the failure (rolled back). */
  readonly environmentMs: number;
  /**
   * UpdateEnvironment → settled: no task of the other version live (the last one STOPPED), every
   * instance of `serving` healthy on the router. For a rollback, the rollback duration.
   */
  readonly settledMs: number;
  /** Fewest and most healthy targets seen from UpdateEnvironment to settled (every CAPACITY_SAMPLE_MS). */
  readonly minHealthy: number;
  readonly maxHealthy: number;
  /** Time with no healthy target at all, from the samples, ms. */
  readonly noHealthyMs: number;
  /** The load from its start (a short warm-up before UpdateEnvironment) to the end of the closing window. */
  readonly load: LoadResult;
  /** Answers by version during the closing window (after settled). */
  readonly tail: ReadonlyMap<string, number>;
  /** The environment as DescribeEnvironments showed it when it reached its end state. */
  readonly environment: any;
  /** Target state changes on the router from UpdateEnvironment on (ms after it), as sampled: for failure messages. */
  readonly targetChanges: readonly string[];
  /** When (Date.now()) UpdateEnvironment was sent. */
  readonly updatedAt: number;
  /** This process's event loop delay over the run (it hosts the controller, the router and the load client), ms. */
  readonly eventLoopDelayMs: { readonly p99: number; readonly max: number };
  /** Set (onTimeout `report`) when the end did not come within the timeout: what was awaited and last seen. */
  readonly unfinished?: string;
}

/**
 * Deploys `run.to` with `run.policy` under startLoad, sampling the router's healthy targets, and
 * waits until the environment says it is done and its tasks have settled; then holds the load for
 * a closing window. Throws (with the environment's events) when the expected end does not come.
 */
export async function deployUnderLoad(env: PolicyEnvironment, run: DeployRun): Promise<DeployFigures> {
  const { cluster } = env;
  const serving = run.expect === 'deployed' ? run.to : run.from;
  const timeoutMs = run.timeoutMs ?? 100_000;
  const batch = run.batch ?? { type: 'Fixed', size: 1 };
  // The router and the controller share this process's event loop: a stall here delays their health checks.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const load = startLoad(env.port, env.host, run.workers ?? 4, run.load ?? {});
  await new Promise((resolve) => setTimeout(resolve, 500));
  let minHealthy = Infinity;
  let maxHealthy = 0;
  let noHealthyMs = 0;
  let lastSample = Date.now();
  const states = new Map(env.router.router.targetHealth().map((d) => [d.targetId, d.state] as const));
  const targetChanges: string[] = [];
  let started = Date.now();
  const sampler = setInterval(() => {
    const healthy = env.healthyTargets();
    const now = Date.now();
    for (const d of env.router.router.targetHealth()) {
      const before = states.get(d.targetId);
      if (before === d.state) continue;
      states.set(d.targetId, d.state);
      if (targetChanges.length < 60) targetChanges.push(`+${now - started} ms ${d.targetId} ${before ?? 'new'} -> ${d.state}${d.reason ? ` (${d.reason}${d.description ? `: ${d.description}` : ''})` : ''}`);
    }
    if (healthy === 0) noHealthyMs += now - lastSample;
    lastSample = now;
    minHealthy = Math.min(minHealthy, healthy);
    maxHealthy = Math.max(maxHealthy, healthy);
  }, CAPACITY_SAMPLE_MS);
  try {
    started = Date.now();
    await cluster.api('POST', `${EB}/UpdateEnvironment`, {
      EnvironmentName: env.name,
      VersionLabel: run.to,
      OptionSettings: [
        { Namespace: COMMAND, OptionName: 'DeploymentPolicy', Value: run.policy },
        { Namespace: COMMAND, OptionName: 'BatchSizeType', Value: batch.type },
        { Namespace: COMMAND, OptionName: 'BatchSize', Value: String(batch.size) },
        ...(run.policy === 'TrafficSplitting' ? SPLIT_SETTINGS : []),
      ],
    });
    let environmentMs: number | undefined;
    let ended: any;
    let last: unknown;
    let fatal: Error | undefined;
    let unfinished: string | undefined;
    try {
      await waitFor(
        `${env.name} ${run.expect === 'deployed' ? `Ready on ${run.to}` : `rolled back to ${run.from}`}, its tasks settled`,
        async () => {
          if (environmentMs === undefined) {
            const e = await environment(cluster, env.name);
            last = e;
            const ours = e?.Operation?.VersionLabel === run.to;
            if (ours && e.Operation.Failure && run.expect === 'deployed') {
              fatal = new Error(`the deployment of ${run.to} failed: ${e.Operation.Failure}`);
              return true;
            }
            const done = run.expect === 'deployed' ? e?.Status === 'Ready' && e.VersionLabel === run.to : ours && e?.Status === 'Ready' && Boolean(e.Operation.Failure) && e.VersionLabel === run.from;
            if (!done) return false;
            environmentMs = Date.now() - started;
            ended = e;
          }
          const live = await env.liveTasks();
          last = live;
          const others = live.filter((t) => t.label !== serving);
          const ours = live.filter((t) => t.label === serving && t.lastStatus === 'RUNNING');
          return others.length === 0 && ours.length === env.instances && env.healthyTargets() === env.instances;
        },
        { timeoutMs, intervalMs: 50 },
      );
      if (fatal) throw fatal;
    } catch (error) {
      const { Events } = await cluster.api('POST', `${EB}/DescribeEvents`, { EnvironmentName: env.name, MaxRecords: 1000 });
      const recent = (Events as any[]).filter((e) => Date.parse(e.EventDate) >= started - 1000);
      const message = `${(error as Error).message}\nlast: ${JSON.stringify(last)}\nevents since the update:\n${recent.map((e) => `${e.EventDate} ${e.Severity} ${e.Message}`).join('\n')}`;
      if (fatal || run.onTimeout !== 'report') throw new Error(message, { cause: error });
      unfinished = message;
    }
    const settledMs = Date.now() - started;
    clearInterval(sampler);
    const before = load.snapshot().versions;
    await new Promise((resolve) => setTimeout(resolve, CLOSING_WINDOW_MS));
    const after = (await load.stop()).versions;
    const tail = new Map([...after].map(([v, n]) => [v, n - (before.get(v) ?? 0)] as const).filter(([, n]) => n > 0));
    return {
      policy: run.policy,
      expect: run.expect,
      serving,
      environmentMs: environmentMs ?? settledMs,
      settledMs,
      minHealthy,
      maxHealthy,
      noHealthyMs,
      load: load.snapshot(),
      tail,
      environment: ended,
      targetChanges,
      updatedAt: started,
      eventLoopDelayMs: { p99: Math.round(loopDelay.percentile(99) / 1e6), max: Math.round(loopDelay.max / 1e6) },
      ...(unfinished === undefined ? {} : { unfinished }),
    };
  } finally {
    clearInterval(sampler);
    loopDelay.disable();
    await load.stop();
  }
}

/** One line of figures for t.diagnostic and the benchmark's log. */
export function describeFigures(f: DeployFigures): string {
  const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  const { GET, POST } = f.load.methods;
  return [
    `${f.policy} ${f.expect}${f.unfinished ? ` NOT FINISHED (${f.unfinished.split('\n')[0]})` : ''}`,
    `environment done ${s(f.environmentMs)}`,
    `${f.expect === 'rolled back' ? 'rollback duration' : 'settled'} ${s(f.settledMs)}`,
    `requests ${f.load.ok + f.load.failed} (GET ${GET.ok}/${GET.ok + GET.failed} ok, POST ${POST.ok}/${POST.ok + POST.failed} ok), failed ${f.load.failed}`,
    `longest gap without success ${f.load.longestGapMs} ms`,
    `healthy min ${f.minHealthy} max ${f.maxHealthy}, none for ${f.noHealthyMs} ms`,
    `versions ${JSON.stringify([...f.load.versions])}, closing window ${JSON.stringify([...f.tail])}`,
    `event loop delay p99 ${f.eventLoopDelayMs.p99} ms, max ${f.eventLoopDelayMs.max} ms`,
  ].join('; ');
}

/**
 * What every rollback under load must show: not one failed request (GET and POST both ran), the
 * failing version never answered, the old one answers at the end, the environment Ready on the old
 * version with the circuit breaker's failure in its operation, health and events.
 */
export async function assertRolledBack(env: PolicyEnvironment, f: DeployFigures, failing: string): Promise<void> {
  assert.equal(f.load.failed, 0, `${f.policy}: ${f.load.failures.slice(0, 4).join('; ')}\ntarget changes:\n${f.targetChanges.join('\n')}`);
  assert.ok(f.load.methods.GET.ok > 50 && f.load.methods.POST.ok > 50, `${f.policy}: the load ran, both methods (${JSON.stringify(f.load.methods)})`);
  assert.deepEqual([...f.load.versions.keys()], [f.serving], `${f.policy}: only the old version ever answered`);
  assert.deepEqual([...f.tail.keys()], [f.serving], `${f.policy}: the old version answers at the end`);
  assert.equal(f.environment.VersionLabel, f.serving);
  assert.equal(f.environment.Operation.VersionLabel, failing);
  assert.match(f.environment.Operation.Failure, /circuit breaker/);
  const health = await env.cluster.api('POST', `${EB}/DescribeEnvironmentHealth`, { EnvironmentName: env.name });
  assert.ok(
    health.Causes.some((c: string) => /^The last deploy failed: .*circuit breaker/.test(c)),
    `${f.policy}: the health shows the failed deployment: ${JSON.stringify(health.Causes)}`,
  );
  const { Events } = await env.cluster.api('POST', `${EB}/DescribeEvents`, { EnvironmentName: env.name, Severity: 'ERROR' });
  assert.ok(
    Events.some((e: any) => e.Message.startsWith(`Failed to deploy version ${failing}: `) && e.Message.endsWith(`The environment keeps version ${f.serving}.`)),
    JSON.stringify(Events),
  );
}
