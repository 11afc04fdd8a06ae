/**
 * Controller settings, layered explicitly: defaults < environment (`WHARF_*`) < command-line flags.
 * Parsed once by a zod schema into a frozen value; everything downstream takes `ControllerSettings`.
 */
import path from 'node:path';
import { z } from 'zod';
import { MAX_PROVISIONING_TASKS_PER_CLUSTER, MAX_SERVICES_PER_CLUSTER, MAX_TASKS_PER_HOST } from '../model/cluster.js';
import { wharfError } from '../model/errors.js';
import { zodFieldErrors } from '../model/validation.js';
import { DEFAULT_TASK_USER } from '../users.js';
import { layeredInput } from './layers.js';

import { DEFAULT_API_PORT, DEFAULT_DATA_DIR } from './defaults.js';

export { DEFAULT_API_PORT, DEFAULT_DATA_DIR };
/** The router's port when none is given. */
export const DEFAULT_ROUTER_PORT = 8080;
/** The router's metrics and status server when none is given. */
export const DEFAULT_ROUTER_ADMIN_PORT = 7071;
/** Largest request body the API reads; ECS caps a task definition at 64 KiB, so this leaves room. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
/** How often a standby controller tries to take the leadership lock. */
export const DEFAULT_LEADER_POLL_INTERVAL_MS = 1000;
/** A host whose agent has not reported for this long is disconnected and its tasks are stopped. */
export const DEFAULT_AGENT_HEARTBEAT_TIMEOUT_MS = 30_000;

/** ECS: a service task without a load balancer or health check counts as healthy after RUNNING this long. */
export const DEFAULT_SERVICE_SETTLE_MS = 40_000;

/** How often auto scaling reads metrics and decides (Application Auto Scaling: one minute). */
export const DEFAULT_AUTOSCALING_PERIOD_MS = 60_000;

/**
 * The domain environments' host names live under (`<cname>.<domain>`). Names under `localhost`
 * resolve to the loopback address on the machine itself (RFC 6761), so the default works with no DNS.
 */
export const DEFAULT_PLATFORM_DOMAIN = 'localhost';

/** How long events are kept (days); older ones are deleted by the leader once an hour. */
export const DEFAULT_EVENT_RETENTION_DAYS = 90;
/** How long audit records are kept (days), `WHARF_AUDIT_RETENTION_DAYS`: as long as events by default. */
export const DEFAULT_AUDIT_RETENTION_DAYS = 90;

/**
 * The largest source bundle one upload may carry. Elastic Beanstalk's limit for an application
 * source bundle is 500 MB ("Create an application source bundle" in the Elastic Beanstalk developer
 * guide: "Not exceed 500 MB"); Wharf reads it as 500 MiB, so whatever AWS takes, Wharf takes.
 */
export const DEFAULT_MAX_BUNDLE_BYTES = 500 * 1024 * 1024;
/** All stored source bundles together at most (`WHARF_ARTIFACT_QUOTA_BYTES`): 20 GiB. */
export const DEFAULT_ARTIFACT_QUOTA_BYTES = 20 * 1024 * 1024 * 1024;

/** Bound on reaching PostgreSQL at start. */
export const DEFAULT_DATABASE_CONNECT_TIMEOUT_MS = 5000;

const port = z.coerce.number().int().min(0).max(65535);

const settingsSchema = z
  .object({
    dataDir: z.string().min(1).default(DEFAULT_DATA_DIR),
    databaseUrl: z.string().min(1).optional(),
    apiHost: z.string().min(1).default('127.0.0.1'),
    apiPort: port.default(DEFAULT_API_PORT),
    /**
     * Host names the API answers to besides IP addresses and `localhost`, comma-separated: a
     * request naming any other host is refused, so a web page cannot reach the API through DNS
     * rebinding.
     */
    apiHostnames: z
      .string()
      .default('')
      .transform((names) =>
        names
          .split(',')
          .map((name) => name.trim().toLowerCase())
          .filter((name) => name !== ''),
      ),
    routerHost: z.string().min(1).default('127.0.0.1'),
    routerPort: port.default(DEFAULT_ROUTER_PORT),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    bodyLimitBytes: z.coerce.number().int().min(1024).default(DEFAULT_BODY_LIMIT_BYTES),
    leaderPollIntervalMs: z.coerce.number().int().min(10).default(DEFAULT_LEADER_POLL_INTERVAL_MS),
    databaseConnectTimeoutMs: z.coerce.number().int().min(100).default(DEFAULT_DATABASE_CONNECT_TIMEOUT_MS),
    joinToken: z.string().min(16, 'A join token has at least 16 characters').optional(),
    /** The key that seals secrets at rest (base64 of 32 bytes); else the data folder's `secrets.key`. Controllers sharing a database must share it. */
    secretsKey: z.string().min(1).optional(),
    agentHeartbeatTimeoutMs: z.coerce.number().int().min(100).default(DEFAULT_AGENT_HEARTBEAT_TIMEOUT_MS),
    serviceSettleMs: z.coerce.number().int().min(0).default(DEFAULT_SERVICE_SETTLE_MS),
    autoscalingPeriodMs: z.coerce.number().int().min(100).default(DEFAULT_AUTOSCALING_PERIOD_MS),
    /** ECS's quota "Services per cluster" (services not INACTIVE); CreateService past it is refused. */
    maxServicesPerCluster: z.coerce.number().int().min(1).default(MAX_SERVICES_PER_CLUSTER),
    /** ECS's quota "Tasks in the PROVISIONING state per cluster" (tasks not yet RUNNING); a RunTask past it is refused whole. */
    maxProvisioningTasksPerCluster: z.coerce.number().int().min(1).default(MAX_PROVISIONING_TASKS_PER_CLUSTER),
    /**
     * Tasks not STOPPED one host may hold: placement fills a host up to it and no further
     * (`RESOURCE:TASKS`). The default keeps an agent's heartbeat report (about 530 bytes a task)
     * at half the default body limit; raise `bodyLimitBytes` with it (see MAX_TASKS_PER_HOST).
     */
    maxTasksPerHost: z.coerce.number().int().min(1).default(MAX_TASKS_PER_HOST),
    eventRetentionDays: z.coerce.number().int().min(1).max(36_500).default(DEFAULT_EVENT_RETENTION_DAYS),
    auditRetentionDays: z.coerce.number().int().min(1).max(36_500).default(DEFAULT_AUDIT_RETENTION_DAYS),
    /** The largest source bundle one upload may carry, bytes. */
    maxBundleBytes: z.coerce.number().int().min(1024).default(DEFAULT_MAX_BUNDLE_BYTES),
    /** All stored source bundles together at most, bytes. */
    artifactQuotaBytes: z.coerce.number().int().min(1024).default(DEFAULT_ARTIFACT_QUOTA_BYTES),
    platformDomain: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, 'A domain is DNS labels of lower-case letters, digits and hyphens, joined by dots')
      .default(DEFAULT_PLATFORM_DOMAIN),
    /** The host user Elastic Beanstalk process-platform apps run as (the agents' task user): a built version's folder is handed to it. */
    taskUser: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$/, 'A task user is a user name of the host (letters, digits, _ . -)').default(DEFAULT_TASK_USER),
    /** The Docker Engine that builds Docker platform versions (`unix:///path` or `tcp://host:port`); else DOCKER_HOST, else the default socket. */
    dockerHost: z.string().min(1).optional(),
    region: z.string().regex(/^[a-z0-9-]+$/).default('local'),
    accountId: z.string().regex(/^\d{12}$/).default('000000000000'),
  })
  .strict();

export type ControllerSettings = Readonly<z.infer<typeof settingsSchema>>;
export type SettingsInput = z.input<typeof settingsSchema>;

/** The environment variables each setting reads, `WHARF_` + its name in upper snake case. */
const ENV_NAMES: Record<keyof ControllerSettings, string> = {
  dataDir: 'WHARF_DATA_DIR',
  databaseUrl: 'WHARF_DATABASE_URL',
  apiHost: 'WHARF_API_HOST',
  apiPort: 'WHARF_API_PORT',
  apiHostnames: 'WHARF_API_HOSTNAMES',
  routerHost: 'WHARF_ROUTER_HOST',
  routerPort: 'WHARF_ROUTER_PORT',
  logLevel: 'WHARF_LOG_LEVEL',
  bodyLimitBytes: 'WHARF_BODY_LIMIT_BYTES',
  leaderPollIntervalMs: 'WHARF_LEADER_POLL_INTERVAL_MS',
  databaseConnectTimeoutMs: 'WHARF_DATABASE_CONNECT_TIMEOUT_MS',
  joinToken: 'WHARF_JOIN_TOKEN',
  secretsKey: 'WHARF_SECRETS_KEY',
  agentHeartbeatTimeoutMs: 'WHARF_AGENT_HEARTBEAT_TIMEOUT_MS',
  serviceSettleMs: 'WHARF_SERVICE_SETTLE_MS',
  autoscalingPeriodMs: 'WHARF_AUTOSCALING_PERIOD_MS',
  maxServicesPerCluster: 'WHARF_MAX_SERVICES_PER_CLUSTER',
  maxProvisioningTasksPerCluster: 'WHARF_MAX_PROVISIONING_TASKS_PER_CLUSTER',
  maxTasksPerHost: 'WHARF_MAX_TASKS_PER_HOST',
  eventRetentionDays: 'WHARF_EVENT_RETENTION_DAYS',
  auditRetentionDays: 'WHARF_AUDIT_RETENTION_DAYS',
  maxBundleBytes: 'WHARF_MAX_BUNDLE_BYTES',
  artifactQuotaBytes: 'WHARF_ARTIFACT_QUOTA_BYTES',
  platformDomain: 'WHARF_PLATFORM_DOMAIN',
  taskUser: 'WHARF_TASK_USER',
  dockerHost: 'WHARF_DOCKER_HOST',
  region: 'WHARF_REGION',
  accountId: 'WHARF_ACCOUNT_ID',
};

/**
 * Merges defaults, `env` and `flags` (later wins; undefined values are ignored) and validates the
 * result. A bad value is a WHARF_E_USAGE error naming the setting, its flag and its variable.
 */
export function resolveSettings(flags: SettingsInput, env: NodeJS.ProcessEnv = process.env): ControllerSettings {
  const parsed = settingsSchema.safeParse(layeredInput(ENV_NAMES, flags, env));
  if (!parsed.success) {
    const errors = zodFieldErrors(parsed.error).map((e) => {
      const name = e.field as keyof ControllerSettings;
      const hint = ENV_NAMES[name] ? ` (--${kebab(name)} or ${ENV_NAMES[name]})` : '';
      return { field: e.field, message: `${e.message}${hint}` };
    });
    throw wharfError('WHARF_E_USAGE', { reason: `Invalid setting: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}` }, { errors });
  }
  return Object.freeze({ ...parsed.data, dataDir: path.resolve(parsed.data.dataDir) });
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
