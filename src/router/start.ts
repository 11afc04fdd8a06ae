/**
 * Starting a whole router: the data plane (haproxy when installed, or as chosen), the control
 * part on a table source (the controller's long poll, or one given in process), and the small
 * admin server (`/metrics`, `/healthz`, `/v1/router/status`). `wharf router` runs it alone;
 * `wharf up` runs it in its own process with an in-process source or the controller's URL.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_ROUTER_ADMIN_PORT, DEFAULT_ROUTER_PORT } from '../config/settings.js';
import { makePrivateDir } from '../files.js';
import type { Logger } from '../log.js';
import { wharfError } from '../model/errors.js';
import type { DataPlane, DataPlaneKind } from './data-plane.js';
import { HAProxyDataPlane, haproxyInstalled } from './haproxy/haproxy-data-plane.js';
import { NodeDataPlane } from './node/node-data-plane.js';
import { Router } from './router.js';
import type { TableSource } from './table-source.js';
import { HttpTableSource } from './table-source.js';
import { HealthReporter } from './health-reporter.js';

/** The table's port-80 listener is served on DEFAULT_ROUTER_PORT unless told otherwise (80 needs root); the admin server (metrics, health, status) on DEFAULT_ROUTER_ADMIN_PORT, on loopback. */
export { DEFAULT_ROUTER_ADMIN_PORT, DEFAULT_ROUTER_PORT };
/** The listener a router's `port` stands for. */
export const DEFAULT_LISTENER_PORT = 80;
/** Longest unix socket path Linux takes (HAProxy's stats socket lives in the data folder). */
const MAX_SOCKET_PATH = 100;

export type DataPlaneChoice = DataPlaneKind | 'auto';

export interface StartRouterOptions {
  /** The controller to long-poll for the table (and to report target health to); or give `source`. */
  readonly endpoint?: string;
  /** The cluster's join token, for the controller's router endpoints. */
  readonly token?: string;
  readonly source?: TableSource;
  /** `auto` (default): haproxy when installed, else node. */
  readonly dataPlane?: DataPlaneChoice;
  /** Address listeners bind to (default 0.0.0.0). */
  readonly host?: string;
  /** Port serving the table's listener 80 (default DEFAULT_ROUTER_PORT; 0: a free one). */
  readonly port?: number;
  /** Other listeners: table port → bind port. Listeners not given bind their own port. */
  readonly listenerPorts?: Readonly<Record<number, number>>;
  /** The router's folder: the cached table, HAProxy's files. */
  readonly dataDir: string;
  /** Admin server address (default 127.0.0.1:DEFAULT_ROUTER_ADMIN_PORT; port 0: a free one; null: none). */
  readonly adminHost?: string;
  readonly adminPort?: number | null;
  readonly log: Logger;
  readonly haproxyBinary?: string;
  /** Multiplies health check intervals (tests and benchmarks only). */
  readonly healthCheckTimeScale?: number;
}

export interface RunningRouter {
  readonly router: Router;
  readonly dataPlane: DataPlaneKind;
  /** The admin server's base URL, when it runs. */
  readonly adminUrl: string | undefined;
  /** Where a table listener is served. */
  address(listenerPort: number): { host: string; port: number } | undefined;
  /** Stops the admin server, the router and its data plane (and HAProxy with it). */
  stop(): Promise<void>;
}

/** Which data plane `choice` means on this machine. */
export function resolveDataPlane(choice: DataPlaneChoice, haproxyBinary?: string): DataPlaneKind {
  if (choice !== 'auto') return choice;
  return haproxyInstalled(haproxyBinary) ? 'haproxy' : 'node';
}

/** HAProxy's folder under the router's; a short one under the temp folder when that path is too long for its sockets. */
function haproxyDir(dataDir: string): string {
  const dir = path.join(path.resolve(dataDir), 'haproxy');
  if (path.join(dir, 'admin.sock').length <= MAX_SOCKET_PATH) return dir;
  return path.join(os.tmpdir(), `wharf-haproxy-${createHash('sha256').update(dir).digest('hex').slice(0, 12)}`);
}

/** Starts a router and resolves once it serves (its cached table, if any, already in place). */
export async function startRouter(options: StartRouterOptions): Promise<RunningRouter> {
  const source = options.source ?? (options.endpoint ? new HttpTableSource({ endpoint: options.endpoint, ...(options.token ? { token: options.token } : {}) }) : undefined);
  if (!source) throw wharfError('WHARF_E_USAGE', { reason: 'The router needs the controller to read its routing table from: give --endpoint (or WHARF_ENDPOINT)' });
  await makePrivateDir(options.dataDir); // created 0700, or tightened when an older Wharf made it 0755
  const kind = resolveDataPlane(options.dataPlane ?? 'auto', options.haproxyBinary);
  const log = options.log;
  const plane: DataPlane =
    kind === 'haproxy'
      ? new HAProxyDataPlane({ dataDir: haproxyDir(options.dataDir), log: log.child({ part: 'haproxy' }), ...(options.haproxyBinary ? { binary: options.haproxyBinary } : {}) })
      : new NodeDataPlane();
  const bindPorts = new Map<number, number>(Object.entries(options.listenerPorts ?? {}).map(([from, to]) => [Number(from), to]));
  if (!bindPorts.has(DEFAULT_LISTENER_PORT)) bindPorts.set(DEFAULT_LISTENER_PORT, options.port ?? DEFAULT_ROUTER_PORT);
  const router = new Router({
    dataPlane: plane,
    source,
    log,
    dataDir: options.dataDir,
    bindHost: options.host ?? '0.0.0.0',
    bindPorts,
    ...(options.healthCheckTimeScale !== undefined ? { healthCheckTimeScale: options.healthCheckTimeScale } : {}),
  });
  try {
    await router.start();
  } catch (error) {
    await router.stop().catch(() => undefined);
    throw error;
  }
  let admin: http.Server | undefined;
  let adminUrl: string | undefined;
  if (options.adminPort !== null) {
    try {
      admin = await startAdminServer(router, options.adminHost ?? '127.0.0.1', options.adminPort ?? DEFAULT_ROUTER_ADMIN_PORT);
      const address = admin.address() as AddressInfo;
      adminUrl = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
    } catch (error) {
      await router.stop();
      throw error;
    }
  }
  const reporter = options.endpoint ? new HealthReporter(router, options.endpoint, options.token, log) : undefined;
  reporter?.start();
  log.info({ dataPlane: kind, source: source.description, admin: adminUrl, version: router.currentTable.version }, 'router started');
  return {
    router,
    dataPlane: kind,
    adminUrl,
    address: (listenerPort) => router.address(listenerPort),
    async stop() {
      await reporter?.stop();
      if (admin) await new Promise<void>((resolve) => admin.close(() => resolve()));
      await router.stop();
    },
  };
}

/** `/metrics` (Prometheus text), `/healthz`, `/v1/router/status` (table version, listeners, target health). */
function startAdminServer(router: Router, host: string, port: number): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    const url = req.url?.split('?')[0];
    if (req.method !== 'GET') return send(405, 'text/plain', 'GET only\n');
    if (url === '/healthz') return send(200, 'text/plain', 'ok\n');
    if (url === '/metrics') {
      void router.metrics.text().then(
        (text) => send(200, router.metrics.registry.contentType, text),
        (error: Error) => send(500, 'text/plain', `${error.message}\n`),
      );
      return;
    }
    if (url === '/v1/router/status') {
      const table = router.currentTable;
      const listeners = table.listeners.map((l) => ({ port: l.port, servedOn: router.address(l.port) }));
      return send(200, 'application/json', JSON.stringify({ version: table.version, dataPlane: router.dataPlaneKind, listeners, targets: router.targetHealth() }));
    }
    send(404, 'text/plain', 'not found: try /metrics, /healthz or /v1/router/status\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? wharfError('WHARF_E_PORT_IN_USE', { host, port, flag: '--admin-port' }) : error);
    });
    server.listen(port, host, () => resolve(server));
  });
}
