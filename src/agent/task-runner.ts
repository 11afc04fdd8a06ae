/**
 * One task on this host, run through a driver: starts its containers in dependency order, watches
 * them, stops the task when an essential container exits, and stops it on request (reverse order,
 * each container's stopTimeout). It owns the task's lifecycle as the agent reports it,
 * moved only through `agentTaskTransition` (src/model/agent-protocol.ts):
 *
 *   PENDING ─▶ RUNNING ─▶ STOPPING ─▶ STOPPED
 *      └── failed to start ──▲
 *
 * Its containers are the desired set's (`AgentContainer`), every default resolved by the controller;
 * it hands them to the driver as they are.
 */
import type { AgentContainer, AgentTask, AgentTaskStatus, ReportedTask } from '../model/agent-protocol.js';
import { agentTaskTransition } from '../model/agent-protocol.js';
import { WharfError } from '../model/errors.js';
import type { HealthStatus, StopCode } from '../model/task.js';
import { taskHealth } from '../model/task.js';
import type { Logger } from '../log.js';
import type { ContainerSpec, ContainerState, Driver } from './drivers/driver.js';
import { DEFAULT_LOG_MAX_BYTES } from './drivers/driver.js';

/** How often dependency conditions (HEALTHY, COMPLETE, SUCCESS) are checked while waiting. */
const DEPENDENCY_POLL_MS = 100;
/** The longest reason ECS gives (and the agent protocol takes); longer ones are cut. */
export const MAX_REASON_LENGTH = 1024;

interface LocalContainer {
  readonly name: string;
  state: ContainerState | undefined;
  /** Why it never started, when it did not. */
  failure: string | undefined;
}

/** Reports each change of the task, so the agent can tell the controller. */
export type OnChange = () => void;

export class TaskRunner {
  private current: AgentTaskStatus = 'PENDING';
  stopCode: StopCode | null = null;
  stoppedReason: string | null = null;
  private readonly containers = new Map<string, LocalContainer>();
  private stopping: Promise<void> | undefined;
  private started: Promise<void> | undefined;
  /** The driver start in flight, if any: a stop waits for it, so the container it makes is stopped too. */
  private starting: Promise<unknown> | undefined;

  constructor(
    readonly taskId: string,
    /** Undefined for a task found running after an agent restart, until the controller's desired set names it. */
    public spec: AgentTask | undefined,
    private readonly driver: Driver,
    private readonly log: Logger,
    private readonly onChange: OnChange,
  ) {}

  /** The task's status as the agent reports it. */
  get status(): AgentTaskStatus {
    return this.current;
  }

  /** Moves the status (through agentTaskTransition, which refuses an illegal move); logs a real change. */
  private moveTo(to: AgentTaskStatus, context: Record<string, unknown> = {}): void {
    const from = this.current;
    this.current = agentTaskTransition(from, to);
    if (from !== to) this.log.info({ taskId: this.taskId, from, to, ...context }, 'task state');
  }

  /**
   * A task found on the host after an agent restart: its containers as the driver sees them. It is
   * PENDING until the desired set gives its spec and `start()` resumes it: the agent may have
   * stopped half-way through starting it, and only the spec says which containers are missing.
   */
  static recovered(taskId: string, states: readonly ContainerState[], driver: Driver, log: Logger, onChange: OnChange): TaskRunner {
    const runner = new TaskRunner(taskId, undefined, driver, log, onChange);
    for (const state of states) {
      runner.containers.set(state.containerName, { name: state.containerName, state, failure: undefined });
      if (state.status === 'running') runner.watch(state.containerName, state.id);
    }
    if (!states.some((s) => s.status === 'running')) {
      runner.stopCode = 'EssentialContainerExited';
      runner.stoppedReason = 'The task stopped while its agent was not running';
      runner.moveTo('STOPPED', { stopCode: runner.stopCode, reason: runner.stoppedReason });
    }
    return runner;
  }

  /**
   * Starts every container not started yet (once; for a recovered task, the ones the agent had not
   * started before it restarted). Failures end the task as TaskFailedToStart.
   */
  start(): Promise<void> {
    this.started ??= this.startAll().catch((error: unknown) => this.log.error({ err: error, taskId: this.taskId }, 'task start failed unexpectedly'));
    return this.started;
  }

  private async startAll(): Promise<void> {
    const spec = this.spec;
    if (!spec || this.status !== 'PENDING') return;
    for (const container of startOrder(spec.containers)) {
      if (this.stopping) return;
      // Started before the agent restarted: never start it twice.
      const found = this.containers.get(container.name)?.state;
      if (found) {
        if (found.status === 'exited' && container.essential) {
          await this.stop('EssentialContainerExited', 'Essential container in task exited');
          return;
        }
        continue;
      }
      const local: LocalContainer = { name: container.name, state: undefined, failure: undefined };
      this.containers.set(container.name, local);
      try {
        await this.waitForDependencies(container);
        if (this.stopping) return;
        const starting = this.driver.start(this.containerSpecOf(spec, container));
        this.starting = starting;
        local.state = await starting;
        this.watch(container.name, local.state.id);
        this.onChange();
      } catch (error) {
        local.failure = error instanceof WharfError || error instanceof Error ? error.message : String(error);
        const kind = error instanceof WharfError && error.code === 'WHARF_E_IMAGE_NOT_FOUND' ? 'CannotPullContainerError' : 'CannotStartContainerError';
        this.log.warn({ taskId: this.taskId, container: container.name, err: error }, 'container failed to start');
        await this.stop('TaskFailedToStart', `${kind}: ${local.failure}`);
        return;
      }
    }
    if (!this.stopping && this.status === 'PENDING') {
      this.moveTo('RUNNING');
      this.onChange();
    }
  }

  /** The container as the controller resolved it, plus what this agent adds: the task id, labels and log cap. */
  private containerSpecOf(task: AgentTask, c: AgentContainer): ContainerSpec {
    return Object.freeze({
      ...c,
      taskId: task.taskId,
      labels: { 'wharf.family': task.family, 'wharf.revision': String(task.revision) },
      logMaxBytes: DEFAULT_LOG_MAX_BYTES,
    });
  }

  /** Waits until every dependsOn condition of `c` holds, or its start timeout passes. */
  private async waitForDependencies(c: AgentContainer): Promise<void> {
    if (c.dependsOn.length === 0) return;
    const deadline = Date.now() + c.startTimeout * 1000;
    for (;;) {
      const pending: string[] = [];
      for (const dep of c.dependsOn) {
        const state = await this.currentState(dep.containerName);
        const holds =
          dep.condition === 'START'
            ? state !== undefined
            : dep.condition === 'HEALTHY'
              ? state?.health === 'HEALTHY'
              : dep.condition === 'COMPLETE'
                ? state?.status === 'exited'
                : state?.status === 'exited' && state.exitCode === 0;
        if (dep.condition === 'SUCCESS' && state?.status === 'exited' && state.exitCode !== 0) {
          throw new Error(`dependency ${dep.containerName} exited with code ${String(state.exitCode)}, not 0 (condition SUCCESS)`);
        }
        if (!holds) pending.push(`${dep.containerName} ${dep.condition}`);
      }
      if (pending.length === 0) return;
      if (this.stopping) throw new Error('the task is stopping');
      if (Date.now() > deadline) throw new Error(`timed out waiting for dependencies: ${pending.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, DEPENDENCY_POLL_MS));
    }
  }

  private async currentState(name: string): Promise<ContainerState | undefined> {
    const local = this.containers.get(name);
    if (!local?.state) return undefined;
    if (local.state.status === 'running') local.state = await this.driver.inspect(local.state.id).catch(() => local.state);
    return local.state;
  }

  /** Watches a container until it exits; an essential one's exit stops the task. */
  private watch(name: string, id: string): void {
    void this.driver
      .wait(id)
      .then((final) => {
        const local = this.containers.get(name);
        if (local) local.state = final;
        this.log.info({ taskId: this.taskId, container: name, exitCode: final.exitCode, reason: final.reason }, 'container exited');
        this.onChange();
        const essential = this.spec?.containers.find((c) => c.name === name)?.essential ?? true;
        if (essential && !this.stopping) void this.stop('EssentialContainerExited', 'Essential container in task exited');
      })
      .catch((error: unknown) => this.log.warn({ err: error, taskId: this.taskId, container: name }, 'lost track of container'));
  }

  /**
   * Stops the task: every running container in reverse start order, SIGTERM then SIGKILL after its
   * stopTimeout. With a stop code, the agent itself decided (the controller learns it from the report).
   */
  stop(stopCode: StopCode | null = null, reason: string | null = null): Promise<void> {
    this.stopping ??= (async () => {
      if (stopCode) {
        this.stopCode = stopCode;
        this.stoppedReason = reason;
      }
      if (this.status !== 'STOPPED') {
        this.moveTo('STOPPING', { stopCode, reason });
        this.onChange();
      }
      // A container being started now is stopped too once it runs (else it would outlive its task).
      await this.starting?.catch(() => undefined);
      const order = this.spec ? startOrder(this.spec.containers).map((c) => c.name) : [...this.containers.keys()];
      for (const name of order.reverse()) {
        const local = this.containers.get(name);
        if (!local?.state || local.state.status === 'exited') continue;
        const timeout = this.spec?.containers.find((c) => c.name === name)?.stopTimeout;
        try {
          local.state = await this.driver.stop(local.state.id, timeout);
        } catch (error) {
          this.log.warn({ err: error, taskId: this.taskId, container: name }, 'container stop failed');
        }
      }
      this.moveTo('STOPPED');
      this.onChange();
    })();
    return this.stopping;
  }

  /** Re-reads health of running containers; true when any changed. */
  async refreshHealth(): Promise<boolean> {
    let changed = false;
    for (const local of this.containers.values()) {
      if (local.state?.status !== 'running') continue;
      const now = await this.driver.inspect(local.state.id).catch(() => undefined);
      if (now && (now.health !== local.state.health || now.status !== local.state.status)) changed = true;
      if (now) local.state = now;
    }
    return changed;
  }

  /** Driver ids of this task's containers (for logs). */
  containerId(name: string): string | undefined {
    return this.containers.get(name)?.state?.id;
  }

  /** The first container's name, for `logs` without `--container`. */
  firstContainerName(): string | undefined {
    return this.spec?.containers[0]?.name ?? [...this.containers.keys()][0];
  }

  /** CPU seconds and memory of its running containers now (for auto scaling); undefined when none runs. */
  async usage(now: number): Promise<ReportedTask['usage']> {
    let cpuSeconds = 0;
    let memoryBytes = 0;
    let running = 0;
    for (const local of this.containers.values()) {
      if (local.state?.status !== 'running') continue;
      const stats = await this.driver.stats(local.state.id).catch(() => undefined);
      if (!stats) continue;
      running += 1;
      cpuSeconds += stats.cpuSeconds;
      memoryBytes += stats.memoryBytes;
    }
    return running > 0 ? { cpuSeconds, memoryBytes, at: now } : undefined;
  }

  /** What the agent reports about this task. */
  report(): ReportedTask {
    const containers = (this.spec?.containers.map((c) => c.name) ?? [...this.containers.keys()]).map((name) => {
      const local = this.containers.get(name);
      const state = local?.state;
      const binding = state?.ports[0];
      return {
        name,
        lastStatus: state === undefined ? (local?.failure !== undefined || this.status === 'STOPPED' ? 'STOPPED' : 'PENDING') : state.status === 'running' ? 'RUNNING' : 'STOPPED',
        exitCode: state?.exitCode ?? null,
        reason: clip(local?.failure ?? state?.reason ?? null),
        healthStatus: (state?.status === 'running' ? state.health : 'UNKNOWN') as HealthStatus,
        networkBindings: (state?.ports ?? []).map((p) => ({ bindIP: '0.0.0.0', containerPort: p.containerPort, hostPort: p.hostPort, protocol: p.protocol })),
        targetAddress: binding ? `${binding.target.host}:${binding.target.port}` : null,
        runtimeId: state?.id ?? null,
      } as const;
    });
    const health = taskHealth(
      containers.map((c) => {
        const def = this.spec?.containers.find((d) => d.name === c.name);
        return { essential: def?.essential ?? true, hasHealthCheck: def?.healthCheck !== undefined, health: c.healthStatus };
      }),
    );
    return { taskId: this.taskId, lastStatus: this.status, stopCode: this.stopCode, stoppedReason: clip(this.stoppedReason), healthStatus: health, containers };
  }

  /** Forgets the task's exited containers (their logs go too). */
  async remove(): Promise<void> {
    for (const local of this.containers.values()) {
      if (local.state) await this.driver.remove(local.state.id).catch(() => undefined);
    }
  }
}

/** A reason cut to MAX_REASON_LENGTH: one over-long reason must not get the whole report (the host's heartbeat) refused. */
function clip(reason: string | null): string | null {
  return reason !== null && reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH - 1)}…` : reason;
}

/** Containers in an order where each comes after what it depends on (validated acyclic at registration). */
export function startOrder(containers: readonly AgentContainer[]): AgentContainer[] {
  const byName = new Map(containers.map((c) => [c.name, c]));
  const done = new Set<string>();
  const order: AgentContainer[] = [];
  const visit = (c: AgentContainer): void => {
    if (done.has(c.name)) return;
    done.add(c.name);
    for (const dep of c.dependsOn) {
      const target = byName.get(dep.containerName);
      if (target) visit(target);
    }
    order.push(c);
  };
  containers.forEach(visit);
  return order;
}
