/**
 * `wharf router`: the router alone. It long-polls the controller for the routing table, runs the
 * health checks, and programs its data plane (HAProxy when installed, else the built-in one) until
 * SIGINT or SIGTERM, then stops the data plane and everything it started (HAProxy included).
 */
import type { Command } from 'commander';
import { resolveRouterSettings } from '../config/router-settings.js';
import { DEFAULT_ROUTER_ADMIN_PORT, DEFAULT_ROUTER_PORT } from '../config/settings.js';
import { usePrivateUmask } from '../files.js';
import { createLogger } from '../log.js';
import type { LogLevel } from '../log.js';
import { resolveEndpoint } from '../cli/client.js';
import type { GlobalOptions } from '../cli/command.js';
import { runUntilSignal } from './run-until-signal.js';

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
      // What this process writes (the database, artifacts, logs) is its owner's only; tasks get the umask back.
      usePrivateUmask();
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
      const { startRouter } = await import('../router/start.js');
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
