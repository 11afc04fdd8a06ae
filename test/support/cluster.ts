/**
 * A controller in this process and agents as separate `wharf agent` processes, each with its own
 * host id and data folder, on one machine: the multi-host setup the compute tests need.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PROCESS_CONTAINERS_FOLDER } from '../../src/agent/drivers/process.js';
import { isSameLiveProcess } from '../../src/agent/drivers/proc.js';
import type { SettingsInput } from '../../src/config/settings.js';
import type { WharfProcess } from './cli.js';
import { spawnWharf } from './cli.js';
import type { TestController } from './controller.js';
import { startTestController } from './controller.js';
import type { CleanupScope } from './temp.js';
import { tempDir } from './temp.js';
import { waitFor } from './wait.js';

/** Short timings so host loss shows within seconds. */
export const TEST_HEARTBEAT_TIMEOUT_MS = 3000;
export const TEST_HEARTBEAT_INTERVAL_MS = 200;

export interface TestAgentOptions {
  readonly hostId: string;
  readonly cluster?: string;
  readonly cpu?: number;
  readonly memory?: number;
  readonly attributes?: Record<string, string>;
  readonly driver?: 'process' | 'docker';
  readonly dockerSocket?: string;
  /** Reuse a data folder (an agent that returns after a crash). */
  readonly dataDir?: string;
  readonly joinToken?: string;
}

export interface TestAgent {
  readonly hostId: string;
  readonly dataDir: string;
  readonly process: WharfProcess;
  readonly containerInstanceId: string;
}

export interface TestCluster {
  readonly controller: TestController;
  readonly scope: CleanupScope;
  startAgent(options: TestAgentOptions): Promise<TestAgent>;
  /** POST/GET helper that fails the test on a non-2xx answer. */
  api(method: string, route: string, body?: unknown): Promise<any>;
  registerTaskDefinition(definition: Record<string, unknown>): Promise<void>;
  describeTask(taskId: string, cluster?: string): Promise<any>;
  /** Polls until the task matches `check`, failing with its last state. */
  waitForTask(taskId: string, what: string, check: (task: any) => boolean, timeoutMs?: number): Promise<any>;
}

/**
 * Kills (SIGKILL, whole process group) every process-driver task an agent's data folder still
 * records as alive, checked by its /proc start time so a reused pid is never hit.
 */
export function killLeftoverProcessTasks(agentDataDir: string): void {
  const root = path.join(agentDataDir, PROCESS_CONTAINERS_FOLDER);
  if (!existsSync(root)) return;
  for (const entry of readdirSync(root)) {
    let state: { pid?: unknown; startTicks?: unknown };
    try {
      state = JSON.parse(readFileSync(path.join(root, entry, 'state.json'), 'utf8')) as { pid?: unknown; startTicks?: unknown };
    } catch {
      continue;
    }
    if (typeof state.pid !== 'number' || typeof state.startTicks !== 'string' || !isSameLiveProcess(state.pid, state.startTicks)) continue;
    try {
      process.kill(-state.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** How long the clean-up waits for tasks to stop before stopping their agents anyway. */
const CLEANUP_STOP_TASKS_MS = 15_000;

/**
 * Starts the cluster. Its clean-up runs as one hook, last part first, whatever order the caller's
 * scope runs hooks in: stop every task through the API (so no container outlives the test), stop
 * the agents, remove their folders, stop the controller.
 */
export async function startTestCluster(outer: CleanupScope, settings: SettingsInput = {}): Promise<TestCluster> {
  const cleanups: (() => Promise<void> | void)[] = [];
  outer.after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
  const scope: CleanupScope = { after: (fn) => void cleanups.push(fn) };
  const controller = await startTestController(scope, { agentHeartbeatTimeoutMs: TEST_HEARTBEAT_TIMEOUT_MS, logLevel: 'warn', ...settings });
  const stopAllTasks = async (): Promise<void> => {
    if (controller.role() !== 'leader') return;
    const deadline = Date.now() + CLEANUP_STOP_TASKS_MS;
    for (const { clusterName } of (await controller.store.clusters.list({ status: 'ACTIVE', limit: 100 }))) {
      for (;;) {
        const live = (await controller.store.tasks.list({ cluster: clusterName, limit: 1000 })).filter((t) => t.lastStatus !== 'STOPPED');
        if (live.length === 0 || Date.now() > deadline) break;
        for (const service of await controller.store.services.list({ cluster: clusterName, status: 'ACTIVE', limit: 100 })) {
          await controller.call('POST', '/v1/services/delete', { cluster: clusterName, service: service.serviceName, force: true });
        }
        for (const t of live.filter((x) => x.desiredStatus === 'RUNNING')) await controller.call('POST', '/v1/tasks/stop', { cluster: clusterName, task: t.id, reason: 'test clean-up' });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  };

  const api = async (method: string, route: string, body?: unknown): Promise<any> => {
    const res = await controller.call(method, route, body);
    if (res.status >= 300) throw new Error(`${method} ${route} answered ${res.status}: ${res.text}`);
    return res.json;
  };

  const describeTask = async (taskId: string, cluster = 'default'): Promise<any> => {
    const { tasks } = await api('POST', '/v1/tasks/describe', { cluster, tasks: [taskId] });
    return tasks[0];
  };

  return {
    controller,
    scope,
    api,
    describeTask,
    async startAgent(o) {
      const dataDir = o.dataDir ?? (await tempDir(scope, `wharf-agent-${o.hostId}-`));
      const args = ['agent', '--endpoint', controller.url, '--host-id', o.hostId, '--data-dir', dataDir, '--log-level', 'warn'];
      if (o.cluster) args.push('--cluster', o.cluster);
      if (o.cpu !== undefined) args.push('--cpu', String(o.cpu));
      if (o.memory !== undefined) args.push('--memory', String(o.memory));
      if (o.driver) args.push('--driver', o.driver);
      if (o.dockerSocket) args.push('--docker-socket', o.dockerSocket);
      for (const [key, value] of Object.entries(o.attributes ?? {})) args.push('--attribute', `${key}=${value}`);
      const agent = spawnWharf(scope, args, {
        env: { WHARF_JOIN_TOKEN: o.joinToken ?? controller.joinToken, WHARF_AGENT_HEARTBEAT_INTERVAL_MS: String(TEST_HEARTBEAT_INTERVAL_MS) },
      });
      const [line] = await agent.waitForOutput(/^\{"event":"registered".*\}$/m);
      const { containerInstanceId } = JSON.parse(line) as { containerInstanceId: string };
      scope.after(async () => {
        if (agent.child.exitCode === null && agent.child.signalCode === null) {
          agent.child.kill('SIGTERM');
          await agent.exited;
        }
        // An agent leaves its tasks running when it stops (a restarted agent adopts them). When the
        // test stopped the controller first, nothing stopped them through the API: end them here.
        killLeftoverProcessTasks(dataDir);
      });
      // Registered after each agent, so it runs before any agent stops (the hooks run last first).
      scope.after(stopAllTasks);
      return { hostId: o.hostId, dataDir, process: agent, containerInstanceId };
    },
    async registerTaskDefinition(definition) {
      await api('POST', '/v1/task-definitions', definition);
    },
    async waitForTask(taskId, what, check, timeoutMs = 15_000) {
      let last: any;
      try {
        return await waitFor(
          `task ${taskId} ${what}`,
          async () => {
            last = await describeTask(taskId);
            return check(last) ? last : undefined;
          },
          { timeoutMs },
        );
      } catch (error) {
        throw new Error(`${(error as Error).message}\nlast state: ${JSON.stringify(last, null, 2)}`, { cause: error });
      }
    },
  };
}

/**
 * A small HTTP app for process containers: answers `GET /` with its task id, `GET /env/NAME`
 * with a variable and `GET /pid` with its pid; logs each request to stdout; `EXIT_AFTER_MS` makes it exit with `EXIT_CODE`;
 * `NOISE_BYTES` writes that much to stdout first; `BURN_MS` keeps a CPU busy that long after start;
 * `FAIL_HEALTH` makes `GET /` answer 500 (a failing load balancer health check).
 */
export async function writeTestApp(dir: string): Promise<string> {
  // An agent running as root starts process tasks as its unprivileged task user: let it reach the file.
  await chmod(dir, 0o711);
  const file = path.join(dir, 'app.cjs');
  await writeFile(
    file,
    `const http = require('http');
const port = Number(process.env.PORT);
if (process.env.NOISE_BYTES) { const chunk = 'x'.repeat(1023) + '\\n'; for (let n = 0; n < Number(process.env.NOISE_BYTES); n += 1024) process.stdout.write(chunk); }
http.createServer((req, res) => {
  console.log('request ' + req.url);
  if (req.url.startsWith('/env/')) return res.end(String(process.env[req.url.slice(5)] ?? ''));
  if (req.url === '/pid') return res.end(String(process.pid));
  if (req.url === '/' && process.env.FAIL_HEALTH) { res.statusCode = 500; return res.end('unhealthy on purpose'); }
  res.end('task ' + process.env.WHARF_TASK_ID + '\\n');
}).listen(port, '127.0.0.1', () => { console.log('listening on ' + port); console.error('ready on stderr'); });
if (process.env.EXIT_AFTER_MS) setTimeout(() => process.exit(Number(process.env.EXIT_CODE ?? 0)), Number(process.env.EXIT_AFTER_MS));
if (process.env.BURN_MS) { const until = Date.now() + Number(process.env.BURN_MS); const burn = () => { const slice = Date.now() + 20; while (Date.now() < slice) {} if (Date.now() < until) setImmediate(burn); }; burn(); }
`,
  );
  return file;
}

/** A task definition of the test app as a process container. */
export function appTaskDefinition(family: string, app: string, overrides: Record<string, unknown> = {}, container: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    family,
    containerDefinitions: [{ name: 'web', image: 'wharf/process', command: [process.execPath, app], memory: 64, portMappings: [{ containerPort: 8080 }], stopTimeout: 5, ...container }],
    ...overrides,
  };
}
