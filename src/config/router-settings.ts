/**
 * Router settings (`wharf router`): defaults < `WHARF_*` environment < flags, parsed once into a
 * frozen value. `wharf up` starts its router from the controller's settings instead.
 */
import path from 'node:path';
import { z } from 'zod';
import { wharfError } from '../model/errors.js';
import { zodFieldErrors } from '../model/validation.js';
import { DEFAULT_DATA_DIR, DEFAULT_ROUTER_ADMIN_PORT, DEFAULT_ROUTER_PORT } from './settings.js';
import { layeredInput } from './layers.js';

const port = z.coerce.number().int().min(0).max(65535);

const routerSettingsSchema = z
  .object({
    endpoint: z.url(),
    joinToken: z.string().min(1).optional(),
    host: z.string().min(1).default('0.0.0.0'),
    port: port.default(DEFAULT_ROUTER_PORT),
    dataPlane: z.enum(['haproxy', 'node', 'auto']).default('auto'),
    dataDir: z.string().min(1).default(path.join(DEFAULT_DATA_DIR, 'router')),
    adminHost: z.string().min(1).default('127.0.0.1'),
    adminPort: port.default(DEFAULT_ROUTER_ADMIN_PORT),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .strict();

export type RouterSettings = Readonly<z.infer<typeof routerSettingsSchema>>;

const ENV_NAMES: Record<keyof RouterSettings, string> = {
  endpoint: 'WHARF_ENDPOINT',
  joinToken: 'WHARF_JOIN_TOKEN',
  host: 'WHARF_ROUTER_HOST',
  port: 'WHARF_ROUTER_PORT',
  dataPlane: 'WHARF_ROUTER_DATA_PLANE',
  dataDir: 'WHARF_ROUTER_DATA_DIR',
  adminHost: 'WHARF_ROUTER_ADMIN_HOST',
  adminPort: 'WHARF_ROUTER_ADMIN_PORT',
  logLevel: 'WHARF_LOG_LEVEL',
};

/** Defaults < `WHARF_*` environment < flags, parsed once; a bad value is WHARF_E_USAGE naming the setting. */
export function resolveRouterSettings(flags: Partial<Record<keyof RouterSettings, string | undefined>>, env: NodeJS.ProcessEnv = process.env): RouterSettings {
  const parsed = routerSettingsSchema.safeParse(layeredInput(ENV_NAMES, flags, env));
  if (!parsed.success) {
    const errors = zodFieldErrors(parsed.error);
    throw wharfError('WHARF_E_USAGE', { reason: `Invalid router setting: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}` }, { errors });
  }
  return Object.freeze({ ...parsed.data, dataDir: path.resolve(parsed.data.dataDir) });
}
