/**
 * The agent protocol (HTTP, JSON), shared by the controller and the agent:
 *
 *   POST /v1/agent/register          join token -> container instance id + credential
 *   GET  /v1/agent/desired?version=v  long poll: the full set of tasks this host should run
 *   POST /v1/agent/report            observed task states + heartbeat
 *
 * Every call after register carries `Authorization: Bearer <containerInstanceId>.<credential>`.
 * Desired state is declarative: a task missing from the desired set is one the agent must stop.
 */
import { z } from 'zod';
import { DRIVER_NAMES } from './container-instance.js';
import type { ULIMIT_NAMES } from './task-definition.js';
import { CONTAINER_STATUSES, HEALTH_STATUSES, STOP_CODES } from './task.js';

/** The longest a desired-state poll waits for a change before answering unchanged. */
export const MAX_LONG_POLL_MS = 30_000;
/** How often an agent reports when nothing changes; the controller's heartbeat timeout must be several of these. */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 5_000;

const attributeName = z.string().regex(/^[A-Za-z0-9_./:-]{1,128}$/, 'Attribute names are 1 to 128 letters, numbers and _ . / : -');

export const registerAgentRequestSchema = z
  .object({
    joinToken: z.string().min(1),
    cluster: z.string().regex(/^[A-Za-z0-9_-]{1,255}$/).default('default'),
    hostId: z.string().regex(/^[A-Za-z0-9_.-]{1,255}$/, 'A host id is 1 to 255 letters, numbers and _ . -'),
    agentUrl: z.url(),
    agentVersion: z.string().min(1).max(64),
    driver: z.enum(DRIVER_NAMES),
    resources: z
      .object({
        cpu: z.number().int().min(1),
        memory: z.number().int().min(1),
        reservedPorts: z.array(z.number().int().min(1).max(65535)).default([]),
      })
      .strict(),
    attributes: z.record(attributeName, z.string().max(1024)).default({}),
  })
  .strict();
export type RegisterAgentRequest = z.infer<typeof registerAgentRequestSchema>;

export interface RegisterAgentResponse {
  readonly containerInstanceId: string;
  readonly containerInstanceArn: string;
  /** Secret; shown once. The agent keeps it in its data folder. */
  readonly credential: string;
  /**
   * Secret; what the controller presents to the agent's log server. Derived from the join token,
   * which the database does not hold, so reading the database does not let one call agents.
   */
  readonly logsToken: string;
}

/** One container port and the host port it is published on (0 = the agent's driver picks a free one). */
export interface AgentPortMapping {
  readonly containerPort: number;
  readonly hostPort: number;
  readonly protocol: 'tcp' | 'udp';
}

/**
 * A container health check, complete (the task definition's, ECS defaults filled in at
 * registration). `command` is `['CMD', exe, ...args]` (run directly) or `['CMD-SHELL', 'a shell
 * string']` (run by `/bin/sh -c`); exit 0 = healthy. Times in seconds. A success during
 * `startPeriod` marks the container HEALTHY and ends the grace; failures during it do not count.
 * After it, `retries` failures in a row mark it UNHEALTHY; one success heals it.
 */
export interface AgentHealthCheck {
  readonly command: readonly string[];
  readonly interval: number;
  readonly timeout: number;
  readonly retries: number;
  readonly startPeriod: number;
}

/** A soft and hard limit ECS's `ulimits` may name (they map 1:1 to `prlimit` and Docker names). */
export interface AgentUlimit {
  readonly name: (typeof ULIMIT_NAMES)[number];
  readonly softLimit: number;
  readonly hardLimit: number;
}

/**
 * A container as the agent must run it: the task definition's, with the task's overrides and host
 * ports applied and every default resolved (the controller builds it in compute/agents.ts). The one
 * container shape from the agent protocol down to the drivers: the task runner and both drivers
 * take it as it is (a driver's ContainerSpec adds only the task id, labels and log cap).
 */
export interface AgentContainer {
  readonly name: string;
  readonly image: string;
  readonly essential: boolean;
  readonly entryPoint: readonly string[];
  readonly command: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
  readonly portMappings: readonly AgentPortMapping[];
  /** CPU units (1024 = one core), a relative weight (Docker `--cpu-shares`), not a cap. */
  readonly cpu?: number;
  /** Hard memory limit, MiB: the container is killed when it uses more. */
  readonly memory?: number;
  /** Soft memory limit, MiB: what the kernel tries to leave it under memory pressure. */
  readonly memoryReservation?: number;
  readonly healthCheck?: AgentHealthCheck;
  readonly dependsOn: readonly { containerName: string; condition: 'START' | 'COMPLETE' | 'SUCCESS' | 'HEALTHY' }[];
  /** Seconds to wait for the `dependsOn` conditions. */
  readonly startTimeout: number;
  /** Seconds between SIGTERM and SIGKILL when the container is stopped. */
  readonly stopTimeout: number;
  readonly workingDirectory?: string;
  /** `user`, `user:group`, `uid` or `uid:gid`. */
  readonly user?: string;
  /** Elevated rights on the host; an agent refuses it unless its settings allow it. */
  readonly privileged?: boolean;
  readonly ulimits: readonly AgentUlimit[];
}

/** One task the agent must run. */
export interface AgentTask {
  readonly taskId: string;
  readonly family: string;
  readonly revision: number;
  readonly containers: readonly AgentContainer[];
}

export interface DesiredStateResponse {
  /** Pass it back as `version` to wait for the next change. */
  readonly version: number;
  readonly tasks: readonly AgentTask[];
}

/**
 * A task's lifecycle as its agent sees and reports it (`ReportedTask['lastStatus']`):
 *
 *   PENDING ─▶ RUNNING ─▶ STOPPING ─▶ STOPPED
 *
 * and from PENDING straight to STOPPING (stopped before it ran, or failed to start) or to STOPPED
 * (found already stopped after an agent restart).
 */
export const AGENT_TASK_STATUSES = ['PENDING', 'RUNNING', 'STOPPING', 'STOPPED'] as const;
export type AgentTaskStatus = (typeof AGENT_TASK_STATUSES)[number];

const AGENT_TASK_MOVES: Readonly<Record<AgentTaskStatus, readonly AgentTaskStatus[]>> = {
  PENDING: ['RUNNING', 'STOPPING', 'STOPPED'],
  RUNNING: ['STOPPING'],
  STOPPING: ['STOPPED'],
  STOPPED: [],
};

/**
 * Returns `to` when the agent's task may move there from `from` (staying put is legal and a
 * no-op); throws otherwise. The agent's task runner moves its status only through this.
 */
export function agentTaskTransition(from: AgentTaskStatus, to: AgentTaskStatus): AgentTaskStatus {
  if (from !== to && !AGENT_TASK_MOVES[from].includes(to)) throw new Error(`An agent's task cannot move from ${from} to ${to}`);
  return to;
}

const reportedContainerSchema = z
  .object({
    name: z.string().min(1),
    lastStatus: z.enum(CONTAINER_STATUSES),
    exitCode: z.number().int().nullable(),
    reason: z.string().max(1024).nullable(),
    healthStatus: z.enum(HEALTH_STATUSES),
    networkBindings: z.array(
      z.object({ bindIP: z.string(), containerPort: z.number().int(), hostPort: z.number().int(), protocol: z.enum(['tcp', 'udp']) }).strict(),
    ),
    targetAddress: z.string().nullable(),
    runtimeId: z.string().nullable(),
  })
  .strict();

/** What the agent says about one task it knows: the lifecycle as it sees it, and each container. */
export const reportedTaskSchema = z
  .object({
    taskId: z.string().min(1),
    /** PENDING while starting, RUNNING once essential containers run, STOPPING, then STOPPED. */
    lastStatus: z.enum(AGENT_TASK_STATUSES),
    /** Set when the agent itself ended the task (an essential container exited, it failed to start). */
    stopCode: z.enum(STOP_CODES).nullable(),
    stoppedReason: z.string().max(1024).nullable(),
    /** From its essential containers' health checks (ECS rules, `taskHealth`). */
    healthStatus: z.enum(HEALTH_STATUSES),
    containers: z.array(reportedContainerSchema),
    /** CPU time used so far and memory in use by its running containers, sampled at `at` (ms). */
    usage: z.object({ cpuSeconds: z.number().nonnegative(), memoryBytes: z.number().nonnegative(), at: z.number() }).strict().optional(),
  })
  .strict();
export type ReportedTask = z.infer<typeof reportedTaskSchema>;

export const agentReportSchema = z
  .object({
    tasks: z.array(reportedTaskSchema),
  })
  .strict();
export type AgentReport = z.infer<typeof agentReportSchema>;

export interface AgentReportResponse {
  /** The host's desired version now: a newer one than the agent holds means "poll again". */
  readonly desiredVersion: number;
}

/** The agent's long poll for its desired state (`GET /v1/agent/desired`): the version it has, and how long to wait for a newer one. */
export const desiredStateQuerySchema = z
  .object({
    version: z.coerce.number().int().min(0).optional(),
    waitMs: z.coerce.number().int().min(0).max(MAX_LONG_POLL_MS).default(0),
  })
  .strict();
