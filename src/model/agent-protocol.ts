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
}

/** A container as the agent must run it: the task definition's, with overrides and host ports applied. */
export interface AgentContainer {
  readonly name: string;
  readonly image: string;
  readonly essential: boolean;
  readonly entryPoint: readonly string[];
  readonly command: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
  readonly portMappings: readonly { containerPort: number; hostPort: number; protocol: 'tcp' | 'udp' }[];
  readonly cpu?: number;
  readonly memory?: number;
  readonly memoryReservation?: number;
  readonly healthCheck?: { command: readonly string[]; interval: number; timeout: number; retries: number; startPeriod: number };
  readonly dependsOn: readonly { containerName: string; condition: 'START' | 'COMPLETE' | 'SUCCESS' | 'HEALTHY' }[];
  readonly startTimeout?: number;
  readonly stopTimeout: number;
  readonly workingDirectory?: string;
  readonly user?: string;
  readonly ulimits: readonly { name: string; softLimit: number; hardLimit: number }[];
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
    lastStatus: z.enum(['PENDING', 'RUNNING', 'STOPPING', 'STOPPED']),
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
