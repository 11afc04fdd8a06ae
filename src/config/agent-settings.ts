/**
 * Agent settings (`wharf agent`, and the agent inside `wharf up`): defaults < `WHARF_*` environment
 * < flags, parsed once. Resources default to what this machine has.
 */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_HEARTBEAT_INTERVAL_MS } from '../model/agent-protocol.js';
import { DRIVER_NAMES } from '../model/container-instance.js';
import { wharfError } from '../model/errors.js';
import { zodFieldErrors } from '../model/validation.js';
import { DEFAULT_TASK_USER } from '../users.js';
import { DEFAULT_DATA_DIR } from './settings.js';
import { layeredInput } from './layers.js';

/** Where Debian's Docker Engine listens unless told otherwise. */
export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

const agentSettingsSchema = z
  .object({
    endpoint: z.url(),
    joinToken: z.string().min(1).optional(),
    cluster: z.string().regex(/^[A-Za-z0-9_-]{1,255}$/).default('default'),
    hostId: z.string().regex(/^[A-Za-z0-9_.-]{1,255}$/, 'A host id is 1 to 255 letters, numbers and _ . -').default(() => os.hostname().replace(/[^A-Za-z0-9_.-]/g, '-')),
    driver: z.enum(DRIVER_NAMES).default('process'),
    dockerSocket: z.string().min(1).default(DEFAULT_DOCKER_SOCKET),
    dataDir: z.string().min(1).default(path.join(DEFAULT_DATA_DIR, 'agent')),
    cpu: z.coerce.number().int().min(1).default(() => os.cpus().length * 1024),
    memory: z.coerce.number().int().min(1).default(() => Math.floor(os.totalmem() / (1024 * 1024))),
    reservedPorts: z.array(z.coerce.number().int().min(1).max(65535)).default([22, 2375, 2376]),
    attributes: z.record(z.string(), z.string()).default({}),
    listenHost: z.string().min(1).default('127.0.0.1'),
    heartbeatIntervalMs: z.coerce.number().int().min(10).default(DEFAULT_HEARTBEAT_INTERVAL_MS),
    // Who process containers run as when the agent is root (see RunAsPolicy in the process driver).
    taskUser: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$/, 'A task user is a user name of the host (letters, digits, _ . -)').default(DEFAULT_TASK_USER),
    allowedTaskUsers: z
      .preprocess(commaList, z.array(z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$/, 'Each allowed task user is a user name or a uid')))
      .default([]),
    allowPrivileged: z.preprocess(booleanWord, z.boolean()).default(false),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .strict();

export type AgentSettings = Readonly<z.infer<typeof agentSettingsSchema>>;
export type AgentSettingsInput = z.input<typeof agentSettingsSchema>;

const ENV_NAMES: Partial<Record<keyof AgentSettings, string>> = {
  endpoint: 'WHARF_ENDPOINT',
  joinToken: 'WHARF_JOIN_TOKEN',
  cluster: 'WHARF_CLUSTER',
  hostId: 'WHARF_HOST_ID',
  driver: 'WHARF_DRIVER',
  dockerSocket: 'WHARF_DOCKER_SOCKET',
  dataDir: 'WHARF_AGENT_DATA_DIR',
  cpu: 'WHARF_AGENT_CPU',
  memory: 'WHARF_AGENT_MEMORY',
  listenHost: 'WHARF_AGENT_LISTEN_HOST',
  heartbeatIntervalMs: 'WHARF_AGENT_HEARTBEAT_INTERVAL_MS',
  taskUser: 'WHARF_TASK_USER',
  allowedTaskUsers: 'WHARF_AGENT_ALLOWED_TASK_USERS',
  allowPrivileged: 'WHARF_AGENT_ALLOW_PRIVILEGED',
  logLevel: 'WHARF_LOG_LEVEL',
};

/** `a,b` (as an environment variable gives a list) → `['a', 'b']`; a list stays as it is. */
function commaList(value: unknown): unknown {
  return typeof value === 'string' ? value.split(',').map((item) => item.trim()).filter((item) => item !== '') : value;
}

/** `true`/`false` (and 1/0, yes/no), as an environment variable gives a boolean. */
function booleanWord(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const word = value.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(word)) return true;
  if (['false', '0', 'no'].includes(word)) return false;
  return value;
}

/** Merges defaults, environment and flags; a bad value is WHARF_E_USAGE naming the setting. */
export function resolveAgentSettings(flags: AgentSettingsInput, env: NodeJS.ProcessEnv = process.env): AgentSettings {
  const parsed = agentSettingsSchema.safeParse(layeredInput(ENV_NAMES, flags, env));
  if (!parsed.success) {
    const errors = zodFieldErrors(parsed.error);
    throw wharfError('WHARF_E_USAGE', { reason: `Invalid agent setting: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}` }, { errors });
  }
  return Object.freeze({ ...parsed.data, dataDir: path.resolve(parsed.data.dataDir) });
}
