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
  logLevel: 'WHARF_LOG_LEVEL',
};

/** Merges defaults, environment and flags; a bad value is WHARF_E_USAGE naming the setting. */
export function resolveAgentSettings(flags: AgentSettingsInput, env: NodeJS.ProcessEnv = process.env): AgentSettings {
  const parsed = agentSettingsSchema.safeParse(layeredInput(ENV_NAMES, flags, env));
  if (!parsed.success) {
    const errors = zodFieldErrors(parsed.error);
    throw wharfError('WHARF_E_USAGE', { reason: `Invalid agent setting: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}` }, { errors });
  }
  return Object.freeze({ ...parsed.data, dataDir: path.resolve(parsed.data.dataDir) });
}
