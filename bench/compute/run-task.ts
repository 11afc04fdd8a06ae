/**
 * RunTask to RUNNING latency: a real controller and a real agent in this one process (as `wharf up`
 * runs them), SQLite in a temp data folder, HTTP on loopback. For each driver, `--runs` times:
 * POST /v1/tasks, then POST /v1/tasks/describe every `--poll-ms` until lastStatus is RUNNING; then
 * until the app answers HTTP on its host port; then StopTask and wait for STOPPED (not timed in the
 * main figure).
 *
 *   npx tsc -p tsconfig.json && node dist/bench/compute/run-task.js [--driver process|docker|both]
 *     [--runs 20] [--poll-ms 5] [--warmup 1] [--json]
 *
 * The docker driver gets a private Docker Engine (`startDockerd()`, needs root) and the test node
 * image (`buildTestImages()`). Each run is traced through the agent's log events and its calls to
 * the controller, so the summary also says where the time went: RunTask's own call, the agent's
 * long-poll wake-up, the driver's start, the report and the describe poll.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { startAgentFromSettings } from '../../src/agent/from-settings.js';
import { resolveAgentSettings } from '../../src/config/agent-settings.js';
import { resolveSettings } from '../../src/config/settings.js';
import { startController } from '../../src/controller/controller.js';
import type { TestDockerd } from '../../test/support/docker.js';
import { NODE_IMAGE, NODE_IN_IMAGE, buildTestImages, startDockerd } from '../../test/support/docker.js';
import { credentialsInDataDir, rememberCredentials, signedFetch } from '../../test/support/signing.js';
import { quantile } from '../scheduler/cluster.js';

type DriverName = 'process' | 'docker';

/** The app every task runs: answers "ok" on $PORT. */
const APP = 'require("http").createServer((q,r)=>r.end("ok")).listen(process.env.PORT)';

/** The part of the API's task view the benchmark reads. */
interface ApiTask {
  readonly taskArn: string;
  readonly lastStatus: string;
  readonly stoppedReason?: string;
  readonly containers: readonly { readonly networkBindings: readonly { readonly hostPort: number }[] }[];
}

/** Milestones of one run, ms after the RunTask call was sent. */
interface Trace {
  /** RunTask's HTTP answer arrived. */
  runTaskReturned: number;
  /** The agent's desired-state long poll returned with the task. */
  desiredReturned?: number;
  /** The agent logged `starting task` (converge). */
  agentStarting?: number;
  /** The driver logged `container started`. */
  driverStarted?: number;
  /** The task runner logged the move to RUNNING. */
  runnerRunning?: number;
  /** The first agent report about the task (PENDING) was sent, and when its answer came. */
  firstReportSent?: number;
  firstReportReturned?: number;
  /** The first agent report carrying lastStatus RUNNING was sent, and when its answer came. */
  reportSent?: number;
  reportReturned?: number;
  /** DescribeTasks first showed RUNNING. */
  running: number;
  /** The app answered HTTP on its host port. */
  serving: number;
  /** StopTask sent → DescribeTasks shows STOPPED. */
  stopMs: number;
  describeCalls: number;
}

/** Records the agent's structured log events with a monotonic clock. */
class LogTap extends Writable {
  readonly events: { at: number; msg: string; taskId?: string; to?: string }[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    const at = performance.now();
    for (const line of chunk.toString().split('\n')) {
      if (line === '') continue;
      try {
        const e = JSON.parse(line) as { msg: string; taskId?: string; to?: string; level: number };
        this.events.push({ at, msg: e.msg, taskId: e.taskId, to: e.to });
        if (e.level >= 40) process.stderr.write(line + '\n');
      } catch {
        // not JSON
      }
    }
    done();
  }
  first(taskId: string, msg: string, to?: string): number | undefined {
    return this.events.find((e) => e.taskId === taskId && e.msg === msg && (to === undefined || e.to === to))?.at;
  }
}

/** Wraps global fetch (the agent's HTTP client) to time its desired polls and reports. */
function tapAgentCalls(): { calls: { path: string; sent: number; returned: number; body?: string; response?: string }[]; restore(): void } {
  const original = globalThis.fetch;
  const calls: { path: string; sent: number; returned: number; body?: string; response?: string }[] = [];
  globalThis.fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (!url.pathname.startsWith('/v1/agent/')) return original(input, init);
    const sent = performance.now();
    const response = await original(input, init);
    const text = await response.text();
    calls.push({ path: url.pathname, sent, returned: performance.now(), body: typeof init?.body === 'string' ? init.body : undefined, response: text });
    return new Response(text, { status: response.status, headers: response.headers });
  };
  return { calls, restore: () => (globalThis.fetch = original) };
}

interface DriverResult {
  readonly driver: DriverName;
  readonly runs: number;
  readonly runningMs: Stats;
  readonly servingMs: Stats;
  readonly stopMs: Stats;
  /** Median of each step, ms (see Trace). */
  readonly steps: Readonly<Record<string, number>>;
  readonly describeCallsPerRun: number;
}

interface Stats {
  readonly p50: number;
  readonly p90: number;
  readonly max: number;
  readonly min: number;
}

function stats(values: readonly number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), max: sorted[sorted.length - 1] ?? Number.NaN, min: sorted[0] ?? Number.NaN };
}

async function benchDriver(driver: DriverName, runs: number, warmup: number, pollMs: number, dockerd: TestDockerd | undefined): Promise<DriverResult> {
  const root = mkdtempSync(path.join(tmpdir(), `wharf-bench-runtask-${driver}-`));
  const tap = new LogTap();
  const controllerLog: Logger = pino({ level: 'warn', base: { component: 'controller' } }, pino.destination({ fd: 2, sync: true }));
  // The agent logs at info (its default) into the tap: its events are the trace.
  const agentLog: Logger = pino({ level: 'info', base: { component: 'agent' } }, tap);
  const agentCalls = tapAgentCalls();
  const controller = await startController(resolveSettings({ dataDir: path.join(root, 'controller'), apiPort: 0, logLevel: 'warn' }, {}), controllerLog);
  await controller.leading;
  const agent = await startAgentFromSettings(
    resolveAgentSettings(
      { endpoint: controller.url, joinToken: controller.joinToken, dataDir: path.join(root, 'agent'), driver, hostId: `bench-${driver}`, cpu: 4096, memory: 4096, ...(dockerd ? { dockerSocket: dockerd.socketPath } : {}) },
      {},
    ),
    agentLog,
  );
  rememberCredentials(controller.url, credentialsInDataDir(path.join(root, 'controller')));
  const api = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const res = await signedFetch(controller.url + route, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${route} answered ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  };
  const family = `bench-${driver}`;
  const container =
    driver === 'process'
      ? { name: 'web', image: 'wharf/process', command: [process.execPath, '-e', APP], memory: 64, portMappings: [{ containerPort: 8080 }] }
      : { name: 'web', image: NODE_IMAGE, command: [NODE_IN_IMAGE, '-e', APP], memory: 64, portMappings: [{ containerPort: 8080 }] };
  await api('POST', '/v1/task-definitions', { family, containerDefinitions: [container] });

  const traces: Trace[] = [];
  try {
    for (let i = 0; i < warmup + runs; i++) {
      const sent = performance.now();
      const run = await api<{ tasks: ApiTask[]; failures: unknown[] }>('POST', '/v1/tasks', { taskDefinition: family });
      const runTaskReturned = performance.now() - sent;
      if (run.failures.length > 0) throw new Error(`RunTask failed: ${JSON.stringify(run.failures)}`);
      const taskId = run.tasks[0]?.taskArn.split('/').pop() ?? '';
      let describeCalls = 0;
      let task: ApiTask | undefined;
      const deadline = Date.now() + 30_000;
      for (;;) {
        describeCalls++;
        task = (await api<{ tasks: ApiTask[] }>('POST', '/v1/tasks/describe', { tasks: [taskId] })).tasks[0];
        if (task?.lastStatus === 'RUNNING') break;
        if (task?.lastStatus === 'STOPPED') throw new Error(`task ${taskId} stopped: ${task.stoppedReason}`);
        if (Date.now() > deadline) throw new Error(`task ${taskId} not RUNNING after 30 s: ${JSON.stringify(task)}`);
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
      const running = performance.now() - sent;
      const hostPort = task.containers[0]?.networkBindings[0]?.hostPort ?? 0;
      for (;;) {
        const ok = await fetch(`http://127.0.0.1:${hostPort}/`).then(
          (r) => r.text().then((t) => t === 'ok'),
          () => false,
        );
        if (ok) break;
        if (Date.now() > deadline) throw new Error(`task ${taskId} does not answer on port ${hostPort}`);
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
      const serving = performance.now() - sent;
      const stopSent = performance.now();
      await api('POST', '/v1/tasks/stop', { task: taskId });
      for (;;) {
        const t = (await api<{ tasks: ApiTask[] }>('POST', '/v1/tasks/describe', { tasks: [taskId] })).tasks[0];
        if (t?.lastStatus === 'STOPPED') break;
        if (Date.now() > deadline + 30_000) throw new Error(`task ${taskId} did not stop`);
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
      const stopMs = performance.now() - stopSent;
      if (i < warmup) continue;
      const rel = (t: number | undefined) => (t === undefined ? undefined : t - sent);
      const desired = agentCalls.calls.find((c) => c.path === '/v1/agent/desired' && c.returned >= sent && c.response?.includes(taskId));
      const firstReport = agentCalls.calls.find((c) => c.path === '/v1/agent/report' && c.sent >= sent && c.body?.includes(taskId));
      const report = agentCalls.calls.find((c) => c.path === '/v1/agent/report' && c.sent >= sent && c.body !== undefined && reportsRunning(c.body, taskId));
      traces.push({
        runTaskReturned,
        desiredReturned: rel(desired?.returned),
        agentStarting: rel(tap.first(taskId, 'starting task')),
        driverStarted: rel(tap.first(taskId, 'container started')),
        runnerRunning: rel(tap.first(taskId, 'task state', 'RUNNING')),
        firstReportSent: rel(firstReport?.sent),
        firstReportReturned: rel(firstReport?.returned),
        reportSent: rel(report?.sent),
        reportReturned: rel(report?.returned),
        running,
        serving,
        stopMs,
        describeCalls,
      });
    }
  } finally {
    await agent.stop({ stopTasks: true });
    await controller.stop();
    agentCalls.restore();
    rmSync(root, { recursive: true, force: true });
  }
  const med = (pick: (t: Trace) => number | undefined) => {
    const values = traces.map(pick).filter((v): v is number => v !== undefined);
    return values.length === 0 ? Number.NaN : quantile([...values].sort((a, b) => a - b), 0.5);
  };
  return {
    driver,
    runs,
    runningMs: stats(traces.map((t) => t.running)),
    servingMs: stats(traces.map((t) => t.serving)),
    stopMs: stats(traces.map((t) => t.stopMs)),
    steps: {
      'RunTask call (place + commit + answer)': med((t) => t.runTaskReturned),
      'agent long poll returns with the task': med((t) => t.desiredReturned),
      'agent converge (starting task)': med((t) => t.agentStarting),
      'first report (PENDING) sent': med((t) => t.firstReportSent),
      'driver started the container': med((t) => t.driverStarted),
      'first report (PENDING) answered': med((t) => t.firstReportReturned),
      'task runner RUNNING': med((t) => t.runnerRunning),
      'report with RUNNING sent': med((t) => t.reportSent),
      'report with RUNNING answered (committed)': med((t) => t.reportReturned),
      'DescribeTasks shows RUNNING': med((t) => t.running),
      'app answers HTTP': med((t) => t.serving),
    },
    describeCallsPerRun: med((t) => t.describeCalls),
  };
}

function reportsRunning(body: string, taskId: string): boolean {
  try {
    const report = JSON.parse(body) as { tasks: { taskId: string; lastStatus: string }[] };
    return report.tasks.some((t) => t.taskId === taskId && t.lastStatus === 'RUNNING');
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      driver: { type: 'string', default: process.env.BENCH_DRIVER ?? 'both' },
      runs: { type: 'string', default: process.env.BENCH_RUNS ?? '20' },
      warmup: { type: 'string', default: '1' },
      'poll-ms': { type: 'string', default: '5' },
      json: { type: 'boolean', default: false },
    },
  });
  const drivers: DriverName[] = values.driver === 'both' ? ['process', 'docker'] : [values.driver as DriverName];
  const results: DriverResult[] = [];
  for (const driver of drivers) {
    let dockerd: TestDockerd | undefined;
    if (driver === 'docker') {
      dockerd = await startDockerd();
      await buildTestImages(dockerd.docker);
    }
    try {
      results.push(await benchDriver(driver, Number(values.runs), Number(values.warmup), Number(values['poll-ms']), dockerd));
    } finally {
      await dockerd?.stop();
    }
  }
  if (values.json) {
    console.log(JSON.stringify(results));
    return;
  }
  const f = (n: number) => (Number.isNaN(n) ? '-' : n.toFixed(1));
  for (const r of results) {
    console.log(`RunTask → RUNNING, ${r.driver} driver, ${r.runs} runs (controller + agent in one process, SQLite, poll every ${values['poll-ms']} ms)`);
    console.log(`  to RUNNING (DescribeTasks)  p50 ${f(r.runningMs.p50)} ms, p90 ${f(r.runningMs.p90)} ms, max ${f(r.runningMs.max)} ms (min ${f(r.runningMs.min)})`);
    console.log(`  to app answering HTTP       p50 ${f(r.servingMs.p50)} ms, p90 ${f(r.servingMs.p90)} ms, max ${f(r.servingMs.max)} ms`);
    console.log(`  StopTask to STOPPED         p50 ${f(r.stopMs.p50)} ms, p90 ${f(r.stopMs.p90)} ms`);
    console.log(`  where the time goes (median ms after the RunTask call was sent; ${f(r.describeCallsPerRun)} describe calls per run):`);
    for (const [step, ms] of Object.entries(r.steps).sort((a, b) => a[1] - b[1])) console.log(`    ${f(ms).padStart(7)}  ${step}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
