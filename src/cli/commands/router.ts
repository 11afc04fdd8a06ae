/**
 * `wharf router`: the router alone. It long-polls the controller for the routing table, runs the
 * health checks, and programs its data plane (HAProxy when installed, else the built-in one) until
 * SIGINT or SIGTERM, then stops the data plane and everything it started (HAProxy included).
 */
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { DEFAULT_DATA_DIR, DEFAULT_ROUTER_ADMIN_PORT, DEFAULT_ROUTER_PORT } from '../../config/settings.js';
import { createLogger } from '../../log.js';
import type { LogLevel } from '../../log.js';
import { wharfError } from '../../model/errors.js';
import { zodFieldErrors } from '../../model/validation.js';
import { resolveEndpoint } from '../client.js';
import type { GlobalOptions } from '../command.js';
import { runUntilSignal } from '../run-until-signal.js';
import { layeredInput } from '../../config/layers.js';

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

interface Flags extends GlobalOptions {
  joinToken?: string;
  port?: string;
  host?: string;
  dataPlane?: string;
  dataDir?: string;
  adminHost?: string;
  adminPort?: string;
  logLevel?: string;
}

/** Adds `wharf router` to the program. */
export function register(program: Command): void {
  program
    .command('router')
    .description("Run the router: serve the controller's routing table (Host and path rules, health checks, draining) until Ctrl-C")
    .option('--join-token <token>', "the cluster's join token, for the controller's router endpoints (env WHARF_JOIN_TOKEN)")
    .option('--port <port>', `port serving the table's listener 80 (default ${DEFAULT_ROUTER_PORT}; env WHARF_ROUTER_PORT)`)
    .option('--host <address>', 'address to listen on (default 0.0.0.0; env WHARF_ROUTER_HOST)')
    .option('--data-plane <haproxy|node|auto>', 'what forwards requests: HAProxy, the built-in proxy, or HAProxy when installed (default auto)')
    .option('--data-dir <path>', 'cached routing table and HAProxy files (default ./.wharf/router; env WHARF_ROUTER_DATA_DIR)')
    .option('--admin-host <address>', 'address of the metrics and status server (default 127.0.0.1)')
    .option('--admin-port <port>', `port of the metrics and status server (default ${DEFAULT_ROUTER_ADMIN_PORT}; 0 picks a free one)`)
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent')
    .action(async (_options: unknown, command: Command) => {
      const flags = command.optsWithGlobals<Flags>();
      const settings = resolveRouterSettings({
        endpoint: resolveEndpoint(flags.endpoint),
        joinToken: flags.joinToken,
        port: flags.port,
        host: flags.host,
        dataPlane: flags.dataPlane,
        dataDir: flags.dataDir,
        adminHost: flags.adminHost,
        adminPort: flags.adminPort,
        logLevel: flags.logLevel,
      });
      const log = createLogger(settings.logLevel as LogLevel, 'router');
      // Loaded when the command runs, so other commands start without the router's code.
      const { startRouter } = await import('../../router/start.js');
      const running = await startRouter({
        endpoint: settings.endpoint,
        ...(settings.joinToken ? { token: settings.joinToken } : {}),
        dataPlane: settings.dataPlane,
        host: settings.host,
        port: settings.port,
        dataDir: settings.dataDir,
        adminHost: settings.adminHost,
        adminPort: settings.adminPort,
        log,
      });
      const served = running.address(80);
      // Signal handlers go in before anything is printed: a caller that reads the line may signal at once.
      const stopped = runUntilSignal([{ name: 'router', stop: () => running.stop() }], log);
      process.stdout.write(`${JSON.stringify({ event: 'router-started', dataPlane: running.dataPlane, listener80: served ?? { host: settings.host, port: settings.port }, admin: running.adminUrl, version: running.router.currentTable.version })}\n`);
      await stopped;
    });
}
