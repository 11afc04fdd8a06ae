/**
 * The agent: one per host. It registers with the controller, long-polls the full set of tasks its
 * host should run, converges on it through its driver, and reports what it observes (which is also
 * its heartbeat). It serves its tasks' logs to the controller.
 *
 *   register ─▶ recover what the driver still runs ─▶ ┌ poll desired (version) ─▶ converge ┐
 *                                                     └──────────── report ◀──────────────┘
 *
 * Converging: a desired task it does not run is started; a task it runs that is not desired is
 * stopped. Lost messages cannot orphan or duplicate a task: the next poll carries the whole set.
 */
import http from 'node:http';
import os from 'node:os';
import type { AgentTask, RegisterAgentRequest } from '../model/agent-protocol.js';
import { DEFAULT_HEARTBEAT_INTERVAL_MS } from '../model/agent-protocol.js';
import type { DriverName } from '../model/container-instance.js';
import type { Logger } from '../log.js';
import { isBearer } from '../secrets.js';
import { WHARF_VERSION } from '../version.js';
import { ControllerClient, isAuthFailure } from './controller-client.js';
import type { Driver } from './drivers/driver.js';
import { TaskRunner } from './task-runner.js';

/** How long one desired-state poll may wait at the controller. */
export const DEFAULT_LONG_POLL_MS = 20_000;
/** Pause after a failed call to the controller before the next try (doubling up to the max). */
export const RETRY_MIN_MS = 200;
export const RETRY_MAX_MS = 5_000;
/** How often running containers' health is re-read. */
export const HEALTH_POLL_MS = 1_000;
/** A stopped task's containers (and logs) are kept this long after the controller last wanted it. */
export const TASK_CLEANUP_MS = 60 * 60 * 1000;

export interface AgentOptions {
  readonly endpoint: string;
  /** Required for the first registration; a restarted agent may reuse its saved identity without it. */
  readonly joinToken?: string;
  readonly cluster: string;
  readonly hostId: string;
  readonly driverName: DriverName;
  readonly driver: Driver;
  readonly dataDir: string;
  readonly resources: { readonly cpu: number; readonly memory: number; readonly reservedPorts: readonly number[] };
  readonly attributes: Readonly<Record<string, string>>;
  /** Address the agent's own HTTP server (logs) listens on; the controller must reach it. */
  readonly listenHost: string;
  readonly listenPort?: number;
  readonly heartbeatIntervalMs?: number;
  readonly longPollMs?: number;
  readonly log: Logger;
}

export interface RunningAgent {
  readonly containerInstanceId: string;
  readonly url: string;
  /** Stops the agent. With `stopTasks`, stops every task it runs first (`wharf up` does; `wharf agent` leaves them running, as ECS's agent does). */
  stop(options?: { stopTasks?: boolean }): Promise<void>;
}

/** The built-in attributes every host gets (ECS names where ECS has one). */
export function builtinAttributes(): Record<string, string> {
  return {
    'ecs.os-type': 'linux',
    'ecs.os-family': 'LINUX',
    'ecs.cpu-architecture': os.arch() === 'arm64' ? 'arm64' : 'x86_64',
  };
}

/**
 * The tasks a report carries: every task not STOPPED, and a STOPPED one while the controller still
 * wants it or has not yet acknowledged its final state (a report that carried it STOPPED was
 * answered). A host's report so stays the size of what it runs, however many stopped tasks it
 * keeps for their logs (an hour, TASK_CLEANUP_MS): without this, thousands of stopped tasks made
 * every report exceed the controller's body limit and the host was declared lost.
 */
export function tasksToReport<R extends { readonly taskId: string; readonly status: string }>(runners: Iterable<R>, desired: ReadonlySet<string>, acknowledgedStopped: ReadonlySet<string>): R[] {
  return [...runners].filter((r) => r.status !== 'STOPPED' || desired.has(r.taskId) || !acknowledgedStopped.has(r.taskId));
}

export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const agent = new Agent(options);
  await agent.start();
  return agent;
}

class Agent implements RunningAgent {
  private readonly client: ControllerClient;
  private readonly runners = new Map<string, TaskRunner>();
  /** Tasks in the last desired set, and when a task was last desired (for cleanup). */
  private desiredIds = new Set<string>();
  private readonly lastDesiredAt = new Map<string, number>();
  /** STOPPED tasks whose final state the controller has acknowledged: left out of later reports. */
  private readonly acknowledgedStopped = new Set<string>();
  private version: number | undefined;
  private readonly stopping = new AbortController();
  private server: http.Server | undefined;
  private timers: NodeJS.Timeout[] = [];
  private reporting: Promise<void> | undefined;
  private reportAgain = false;
  private loop: Promise<void> | undefined;
  url = '';

  constructor(private readonly o: AgentOptions) {
    this.client = new ControllerClient(o.endpoint, o.dataDir);
  }

  get containerInstanceId(): string {
    return this.client.containerInstanceId ?? '';
  }

  async start(): Promise<void> {
    await this.listen();
    for (const [taskId, states] of groupBy(await this.o.driver.list(), (s) => s.taskId)) {
      this.runners.set(taskId, TaskRunner.recovered(taskId, states, this.o.driver, this.o.log, () => this.changed()));
    }
    if (this.runners.size > 0) this.o.log.info({ tasks: [...this.runners.keys()] }, 'found tasks from before the agent restarted');
    await this.identify();
    this.loop = this.pollLoop();
    const heartbeat = this.o.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
    this.timers.push(setInterval(() => this.changed(), heartbeat));
    this.timers.push(setInterval(() => void this.refreshHealth(), HEALTH_POLL_MS));
    this.timers.push(setInterval(() => void this.cleanup(Date.now()), Math.min(TASK_CLEANUP_MS, 60_000)));
    this.changed();
  }

  /** Registers (or takes the saved identity when no join token is given). */
  private async identify(): Promise<void> {
    if (!this.o.joinToken) {
      const saved = await this.client.loadIdentity(this.o.cluster);
      if (saved && !saved.logsToken) this.o.log.warn({ dataDir: this.o.dataDir }, 'the saved identity predates logs tokens: the controller cannot read task logs here until the agent registers again (start it once with --join-token)');
      if (saved) return;
      throw new Error(`The agent has no saved identity in ${this.o.dataDir} and no join token: give --join-token (or WHARF_JOIN_TOKEN).`);
    }
    const request: RegisterAgentRequest = {
      joinToken: this.o.joinToken,
      cluster: this.o.cluster,
      hostId: this.o.hostId,
      agentUrl: this.url,
      agentVersion: WHARF_VERSION,
      driver: this.o.driverName,
      resources: { cpu: this.o.resources.cpu, memory: this.o.resources.memory, reservedPorts: [...this.o.resources.reservedPorts] },
      attributes: { ...builtinAttributes(), ...this.o.attributes },
    };
    const identity = await this.client.register(request);
    this.o.log.info({ containerInstanceId: identity.containerInstanceId, cluster: this.o.cluster, hostId: this.o.hostId }, 'registered');
  }

  private async pollLoop(): Promise<void> {
    let retryMs = RETRY_MIN_MS;
    while (!this.stopping.signal.aborted) {
      try {
        const desired = await this.client.desired(this.version, this.version === undefined ? 0 : (this.o.longPollMs ?? DEFAULT_LONG_POLL_MS), this.stopping.signal);
        this.version = desired.version;
        this.converge(desired.tasks);
        retryMs = RETRY_MIN_MS;
      } catch (error) {
        if (this.stopping.signal.aborted) return;
        if (isAuthFailure(error) && this.o.joinToken) {
          this.o.log.warn({ err: error }, 'credential refused; registering again');
          await this.identify().catch((e: unknown) => this.o.log.error({ err: e }, 'registration failed'));
        } else {
          this.o.log.warn({ err: error, retryMs }, 'desired-state poll failed; retrying');
        }
        await sleep(retryMs, this.stopping.signal);
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
      }
    }
  }

  /** Starts what is desired and not running; stops what runs and is not desired. */
  private converge(tasks: readonly AgentTask[]): void {
    const now = Date.now();
    this.desiredIds = new Set(tasks.map((t) => t.taskId));
    for (const task of tasks) {
      this.lastDesiredAt.set(task.taskId, now);
      const runner = this.runners.get(task.taskId);
      if (!runner) {
        const fresh = new TaskRunner(task.taskId, task, this.o.driver, this.o.log, () => this.changed());
        this.runners.set(task.taskId, fresh);
        this.o.log.info({ taskId: task.taskId, family: task.family, revision: task.revision }, 'starting task');
        void fresh.start();
      } else if (!runner.spec) {
        // Found after a restart: now that its spec is known, start what had not been started.
        runner.spec = task;
        void runner.start();
      }
    }
    for (const runner of this.runners.values()) {
      if (!this.desiredIds.has(runner.taskId) && runner.status !== 'STOPPED') {
        this.o.log.info({ taskId: runner.taskId }, 'stopping task no longer desired');
        void runner.stop();
      }
    }
    this.changed();
  }

  /** Something changed (or the heartbeat is due): report, coalescing bursts into one call at a time. */
  private changed(): void {
    if (this.stopping.signal.aborted) return;
    if (this.reporting) {
      this.reportAgain = true;
      return;
    }
    this.reporting = (async () => {
      do {
        this.reportAgain = false;
        try {
          const now = Date.now();
          const tasks = await Promise.all(
            tasksToReport(this.runners.values(), this.desiredIds, this.acknowledgedStopped).map(async (r) => {
              const usage = r.status === 'RUNNING' ? await r.usage(now) : undefined;
              return usage ? { ...r.report(), usage } : r.report();
            }),
          );
          const { desiredVersion } = await this.client.report({ tasks }, this.stopping.signal);
          for (const t of tasks) if (t.lastStatus === 'STOPPED' && !this.desiredIds.has(t.taskId)) this.acknowledgedStopped.add(t.taskId);
          // A newer desired version than the poll holds means a change the poll has not seen yet.
          if (this.version !== undefined && desiredVersion !== this.version) this.o.log.debug({ desiredVersion, held: this.version }, 'desired state moved');
        } catch (error) {
          if (this.stopping.signal.aborted) return;
          this.o.log.warn({ err: error }, 'report failed; the next heartbeat retries');
        }
      } while (this.reportAgain && !this.stopping.signal.aborted);
    })().finally(() => (this.reporting = undefined));
  }

  private async refreshHealth(): Promise<void> {
    let changed = false;
    for (const runner of this.runners.values()) if (await runner.refreshHealth()) changed = true;
    if (changed) this.changed();
  }

  /** Removes stopped tasks the controller has not wanted for TASK_CLEANUP_MS. */
  private async cleanup(now: number): Promise<void> {
    for (const runner of [...this.runners.values()]) {
      const last = this.lastDesiredAt.get(runner.taskId) ?? 0;
      if (runner.status === 'STOPPED' && !this.desiredIds.has(runner.taskId) && now - last > TASK_CLEANUP_MS) {
        this.runners.delete(runner.taskId);
        this.lastDesiredAt.delete(runner.taskId);
        this.acknowledgedStopped.delete(runner.taskId);
        await runner.remove();
      }
    }
  }

  /** The agent's own HTTP server: task logs, for the controller only. */
  private async listen(): Promise<void> {
    this.server = http.createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(this.o.listenPort ?? 0, this.o.listenHost, () => resolve());
    });
    const address = this.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    this.url = `http://${this.o.listenHost.includes(':') ? `[${this.o.listenHost}]` : this.o.listenHost}:${port}`;
  }

  /**
   * GET /tasks/:taskId/logs?container=&since=&tail=&follow=1 → NDJSON lines `{time, stream, text}`.
   * The controller proves itself with `Bearer <logs token>`, given at registration and derived from
   * the join token (not from what the controller's database holds).
   */
  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://agent');
    if (!isBearer(req.headers.authorization, this.client.logsToken ?? '')) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'WHARF_E_UNAUTHORIZED', detail: 'only the controller may call the agent' }));
      return;
    }
    const match = /^\/tasks\/([0-9a-f]{32})\/logs$/.exec(url.pathname);
    const runner = match ? this.runners.get(match[1] as string) : undefined;
    const name = url.searchParams.get('container') ?? runner?.firstContainerName();
    const id = name ? runner?.containerId(name) : undefined;
    if (req.method !== 'GET' || !runner || !id) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'WHARF_E_CONTAINER_NOT_FOUND', detail: `no container ${name ?? ''} of that task on this host` }));
      return;
    }
    const since = url.searchParams.get('since');
    const tail = url.searchParams.get('tail');
    const abort = new AbortController();
    req.once('close', () => abort.abort());
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    try {
      for await (const line of this.o.driver.logs(id, { since: since ? Number(since) : undefined, tail: tail ? Number(tail) : undefined, follow: url.searchParams.get('follow') === '1' })) {
        if (abort.signal.aborted) break;
        res.write(JSON.stringify(line) + '\n');
      }
    } catch (error) {
      this.o.log.warn({ err: error }, 'log stream failed');
    }
    res.end();
  }

  async stop(options: { stopTasks?: boolean } = {}): Promise<void> {
    if (options.stopTasks) {
      await Promise.all([...this.runners.values()].map((r) => r.stop()));
      // Tell the controller the tasks stopped before going away.
      this.changed();
      await this.reporting;
    }
    this.stopping.abort();
    for (const timer of this.timers) clearInterval(timer);
    await this.loop;
    await this.reporting;
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
    await this.o.driver.close();
    this.o.log.info('agent stopped');
  }
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
