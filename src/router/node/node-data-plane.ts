/**
 * The built-in data plane: node:http in front, undici connection pools behind (one keep-alive
 * pool per target address), nothing else. It routes by the same route keys and regexes as the
 * haproxy plane, picks a target group by weight and a target in it round robin, retries a request
 * whose connection fails on another target of the group, and counts requests in flight per target
 * so a draining target can be let go when idle.
 *
 * Requests go upstream through undici's raw dispatch API (raw header arrays, no per-request
 * objects beyond the handler), the fastest way undici offers; see BENCHMARKS.md "Router".
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { wharfError } from '../../model/errors.js';
import type { Dispatcher } from 'undici';
import type { DataPlane, DataPlaneConfig, DataPlaneEvents, PlaneAction, PlaneListener, PlaneTarget } from '../data-plane.js';
import { CONNECT_RETRIES, CONNECT_TIMEOUT_MS, UPSTREAM_TIMEOUT_MS } from '../data-plane.js';
import { routeKey } from '../patterns.js';
import type { RouterProblemCode } from '../problems.js';
import { PROBLEM_CONTENT_TYPE, routerProblem } from '../problems.js';

/** Upstream connections per target address at most (requests beyond wait in the pool's queue). */
export const NODE_POOL_CONNECTIONS = 1024;
/** How long an idle upstream connection is kept (below Node's own 5 s server keep-alive). */
export const NODE_UPSTREAM_KEEP_ALIVE_MS = 4_000;
/** How long an idle client connection is kept, as ALB's idle timeout. */
export const NODE_CLIENT_KEEP_ALIVE_MS = 60_000;

/** Request headers not forwarded (hop by hop), lower case. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authorization', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-port']);
/** Methods safe to send twice (a reset after sending is retried only for these). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);
/** Error codes that mean the connection was never made. */
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

interface UpstreamTarget {
  readonly id: string;
  readonly origin: string;
  draining: boolean;
  inFlight: number;
  /** Share of the group's requests relative to the others (1 unless a traffic split weighs them). */
  weight: number;
  /** Smooth weighted round robin's running score. */
  score: number;
}

interface Group {
  readonly key: string;
  /** Active targets (not draining, weight above 0), for new requests. */
  readonly active: UpstreamTarget[];
  /** Whether the active targets weigh differently (smooth weighted round robin instead of plain). */
  readonly weighted: boolean;
  next: number;
}

interface CompiledRoute {
  readonly regex: RegExp;
  readonly action: CompiledAction;
}

type CompiledAction =
  | { readonly type: 'forward'; readonly choices: readonly { readonly group: Group; readonly weight: number }[]; readonly total: number }
  | { readonly type: 'fixed-response'; readonly statusCode: number; readonly contentType: string; readonly body: string };

interface ServedListener {
  readonly port: number;
  readonly server: http.Server;
  readonly address: { host: string; port: number };
  routes: readonly CompiledRoute[];
  defaultAction: CompiledAction | undefined;
  bind: string;
}

export interface NodeDataPlaneOptions {
  /** Connect timeout upstream (default CONNECT_TIMEOUT_MS). */
  readonly connectTimeoutMs?: number;
  readonly upstreamTimeoutMs?: number;
}

/** The built-in data plane. */
export class NodeDataPlane implements DataPlane {
  readonly kind = 'node' as const;
  private events: DataPlaneEvents | undefined;
  private readonly listeners = new Map<number, ServedListener>();
  /** origin → pool, shared by every target group that has a target there. */
  private readonly pools = new Map<string, Pool>();
  /** `${groupKey}\n${targetId}` → target (active and draining). */
  private targets = new Map<string, UpstreamTarget>();
  private groups = new Map<string, Group>();
  private readonly connectTimeoutMs: number;
  private readonly upstreamTimeoutMs: number;

  constructor(options: NodeDataPlaneOptions = {}) {
    this.connectTimeoutMs = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
    this.upstreamTimeoutMs = options.upstreamTimeoutMs ?? UPSTREAM_TIMEOUT_MS;
  }

  start(events: DataPlaneEvents): Promise<void> {
    this.events = events;
    return Promise.resolve();
  }

  async apply(config: DataPlaneConfig): Promise<void> {
    // Targets and groups first, so routes never point at a missing group.
    const targets = new Map<string, UpstreamTarget>();
    const groups = new Map<string, Group>();
    const origins = new Set<string>();
    for (const group of config.targetGroups) {
      const active: UpstreamTarget[] = [];
      for (const target of group.targets) {
        const key = `${group.key}\n${target.id}`;
        const origin = originOf(target);
        origins.add(origin);
        const previous = this.targets.get(key);
        // The same object while the address stays, so requests in flight keep counting on it.
        const upstream: UpstreamTarget = previous && previous.origin === origin ? previous : { id: target.id, origin, draining: target.draining, inFlight: 0, weight: 1, score: 0 };
        upstream.draining = target.draining;
        upstream.weight = target.weight ?? 1;
        targets.set(key, upstream);
        if (!target.draining && upstream.weight > 0) active.push(upstream);
      }
      const previousGroup = this.groups.get(group.key);
      const weighted = active.some((t) => t.weight !== 1);
      groups.set(group.key, { key: group.key, active, weighted, next: previousGroup ? previousGroup.next % Math.max(1, active.length) : 0 });
    }
    for (const origin of origins) if (!this.pools.has(origin)) this.pools.set(origin, this.newPool(origin));
    const previousTargets = this.targets;
    this.targets = targets;
    this.groups = groups;

    for (const listener of config.listeners) await this.serveListener(listener, groups);
    const wanted = new Set(config.listeners.map((l) => l.port));
    for (const [port, served] of this.listeners) {
      if (wanted.has(port)) continue;
      this.listeners.delete(port);
      await closeServer(served.server);
    }

    const drainedOrigins = new Set<string>();
    for (const [key, old] of previousTargets) if (old.draining && !targets.has(key)) drainedOrigins.add(old.origin);
    for (const [origin, pool] of this.pools) {
      if (origins.has(origin)) continue;
      this.pools.delete(origin);
      // A draining target removed with requests in flight reached its deadline: cut them, as ALB
      // does after the delay. A target out for health lets its requests in flight finish.
      if (drainedOrigins.has(origin)) void pool.destroy().catch(() => undefined);
      else void pool.close().catch(() => undefined);
    }
  }

  inFlight(groupKey: string, targetId: string): Promise<number> {
    return Promise.resolve(this.targets.get(`${groupKey}\n${targetId}`)?.inFlight ?? 0);
  }

  address(listenerPort: number): { host: string; port: number } | undefined {
    return this.listeners.get(listenerPort)?.address;
  }

  async stop(): Promise<void> {
    for (const served of this.listeners.values()) await closeServer(served.server);
    this.listeners.clear();
    await Promise.all([...this.pools.values()].map((pool) => pool.destroy().catch(() => undefined)));
    this.pools.clear();
  }

  // --- listeners -------------------------------------------------------------------------------

  private async serveListener(listener: PlaneListener, groups: ReadonlyMap<string, Group>): Promise<void> {
    const routes = listener.routes.map((route) => ({ regex: new RegExp(route.match), action: compileAction(route.action, groups) }));
    const defaultAction = listener.defaultAction ? compileAction(listener.defaultAction, groups) : undefined;
    const bind = `${listener.bindHost}:${listener.bindPort}`;
    const existing = this.listeners.get(listener.port);
    if (existing && existing.bind === bind) {
      existing.routes = routes;
      existing.defaultAction = defaultAction;
      return;
    }
    if (existing) {
      this.listeners.delete(listener.port);
      await closeServer(existing.server);
    }
    const server = http.createServer({ keepAliveTimeout: NODE_CLIENT_KEEP_ALIVE_MS, requestTimeout: 0, noDelay: true });
    server.headersTimeout = NODE_CLIENT_KEEP_ALIVE_MS + 1000;
    const port = listener.port;
    server.on('request', (req, res) => {
      const served = this.listeners.get(port);
      if (served) this.handle(served, req, res);
      else res.destroy();
    });
    server.on('clientError', (_error, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      else socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'EADDRINUSE' ? wharfError('WHARF_E_PORT_IN_USE', { host: listener.bindHost, port: listener.bindPort, flag: '--port' }, { cause: error }) : error),
      );
      server.listen(listener.bindPort, listener.bindHost, () => {
        server.removeAllListeners('error');
        resolve();
      });
    });
    const address = server.address() as AddressInfo;
    this.listeners.set(listener.port, { port: listener.port, server, address: { host: listener.bindHost, port: address.port }, routes, defaultAction, bind });
  }

  // --- requests --------------------------------------------------------------------------------

  private handle(listener: ServedListener, req: http.IncomingMessage, res: http.ServerResponse): void {
    const key = routeKey(req.headers.host, req.url ?? '/');
    let action = listener.defaultAction;
    if (key !== undefined) {
      for (const route of listener.routes) {
        if (route.regex.test(key)) {
          action = route.action;
          break;
        }
      }
    }
    if (action === undefined) return this.problem(listener, res, 'WHARF_E_ROUTER_NO_ROUTE', req);
    if (action.type === 'fixed-response') {
      req.resume();
      res.writeHead(action.statusCode, { 'content-type': action.contentType, 'content-length': Buffer.byteLength(action.body) });
      res.end(action.body);
      this.events?.answered(listener.port, action.statusCode);
      return;
    }
    const group = pickGroup(action);
    if (!group) return this.problem(listener, res, 'WHARF_E_ROUTER_NO_HEALTHY_TARGET', req);
    new ProxiedRequest(this, listener, group, req, res).send();
  }

  /** Sends a problem answer and counts it. */
  problem(listener: ServedListener, res: http.ServerResponse, code: RouterProblemCode, req?: http.IncomingMessage): void {
    req?.resume();
    const { status, body } = routerProblem(code, listener.port);
    if (!res.headersSent) {
      res.writeHead(status, { 'content-type': PROBLEM_CONTENT_TYPE, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    } else res.destroy();
    this.events?.answered(listener.port, status);
  }

  pool(origin: string): Pool | undefined {
    return this.pools.get(origin);
  }

  get eventSink(): DataPlaneEvents | undefined {
    return this.events;
  }

  get timeouts(): { upstreamTimeoutMs: number } {
    return { upstreamTimeoutMs: this.upstreamTimeoutMs };
  }

  private newPool(origin: string): Pool {
    return new Pool(origin, {
      connections: NODE_POOL_CONNECTIONS,
      pipelining: 1,
      keepAliveTimeout: NODE_UPSTREAM_KEEP_ALIVE_MS,
      keepAliveMaxTimeout: NODE_UPSTREAM_KEEP_ALIVE_MS,
      connectTimeout: this.connectTimeoutMs,
      headersTimeout: this.upstreamTimeoutMs,
      bodyTimeout: this.upstreamTimeoutMs,
    });
  }
}

/** One client request on its way to a target (and, if its connection fails, to the next). */
class ProxiedRequest implements Dispatcher.DispatchHandler {
  private target: UpstreamTarget | undefined;
  private readonly tried = new Set<UpstreamTarget>();
  private readonly started = performance.now();
  private connected = false;
  private responded = false;
  private done = false;
  private status = 0;
  private abortUpstream: ((error?: Error) => void) | undefined;
  private readonly hasBody: boolean;
  private readonly headers: string[];

  constructor(
    private readonly plane: NodeDataPlane,
    private readonly listener: ServedListener,
    private readonly group: Group,
    private readonly req: http.IncomingMessage,
    private readonly res: http.ServerResponse,
  ) {
    this.hasBody = req.headers['content-length'] !== undefined ? req.headers['content-length'] !== '0' : req.headers['transfer-encoding'] !== undefined;
    this.headers = forwardHeaders(req, listener.address.port);
    res.on('close', () => {
      if (!this.done) this.abortUpstream?.(new Error('client closed the connection'));
    });
  }

  /** Picks the next target (round robin, skipping tried ones) and dispatches; answers 503 when none is left. */
  send(): void {
    const target = nextTarget(this.group, this.tried);
    if (!target || this.tried.size > CONNECT_RETRIES) {
      this.finish();
      this.plane.problem(this.listener, this.res, 'WHARF_E_ROUTER_NO_HEALTHY_TARGET', this.req);
      return;
    }
    const pool = this.plane.pool(target.origin);
    if (!pool) {
      this.tried.add(target);
      return this.send();
    }
    this.tried.add(target);
    this.target = target;
    this.connected = false;
    target.inFlight += 1;
    const { upstreamTimeoutMs } = this.plane.timeouts;
    pool.dispatch(
      {
        origin: target.origin,
        path: this.req.url ?? '/',
        method: this.req.method as Dispatcher.HttpMethod,
        headers: this.headers,
        body: this.hasBody ? this.req : null,
        headersTimeout: upstreamTimeoutMs,
        bodyTimeout: upstreamTimeoutMs,
      },
      this,
    );
  }

  onConnect(abort: (error?: Error) => void): void {
    this.connected = true;
    this.abortUpstream = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean {
    if (statusCode < 200) return true;
    this.responded = true;
    this.status = statusCode;
    const headers: string[] = [];
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
      const name = (rawHeaders[i] as Buffer).toString('latin1');
      const lower = name.toLowerCase();
      if (lower === 'connection' || lower === 'keep-alive' || lower === 'transfer-encoding') continue;
      headers.push(name, (rawHeaders[i + 1] as Buffer).toString('latin1'));
    }
    if (statusText) this.res.writeHead(statusCode, statusText, headers);
    else this.res.writeHead(statusCode, headers);
    this.res.on('drain', resume);
    return true;
  }

  onData(chunk: Buffer): boolean {
    return this.res.write(chunk);
  }

  onComplete(): void {
    const target = this.target;
    this.res.end();
    this.finish();
    if (target) this.plane.eventSink?.observe(this.group.key, target.id, this.status, (performance.now() - this.started) / 1000);
  }

  onError(error: Error): void {
    const target = this.target;
    if (target) target.inFlight -= 1;
    this.target = undefined;
    if (this.done) return;
    const code = (error as { code?: string }).code ?? '';
    const connectFailed = !this.connected && CONNECT_ERRORS.has(code);
    if (!this.responded && !this.res.destroyed) {
      if (connectFailed && target) this.plane.eventSink?.connectionFailed(this.group.key, target.id, `Connection failed: ${code}`);
      const retryable = !this.hasBody && (connectFailed || (IDEMPOTENT.has(this.req.method ?? '') && isResetBeforeResponse(code)));
      if (retryable) return this.send();
      this.done = true;
      this.plane.problem(this.listener, this.res, code === 'UND_ERR_HEADERS_TIMEOUT' ? 'WHARF_E_ROUTER_GATEWAY_TIMEOUT' : connectFailed ? 'WHARF_E_ROUTER_NO_HEALTHY_TARGET' : 'WHARF_E_ROUTER_BAD_GATEWAY');
      if (target) this.plane.eventSink?.observe(this.group.key, target.id, 502, (performance.now() - this.started) / 1000);
      return;
    }
    this.done = true;
    this.res.destroy(error);
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    if (this.target) this.target.inFlight -= 1;
    this.target = undefined;
  }
}

function isResetBeforeResponse(code: string): boolean {
  return code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED';
}

function originOf(target: PlaneTarget): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `http://${host}:${target.port}`;
}

function compileAction(action: PlaneAction, groups: ReadonlyMap<string, Group>): CompiledAction {
  if (action.type === 'fixed-response') return { type: 'fixed-response', statusCode: action.statusCode, contentType: action.contentType, body: action.messageBody };
  const choices = action.choices.flatMap((choice) => {
    const group = groups.get(choice.targetGroupKey);
    return group ? [{ group, weight: choice.weight }] : [];
  });
  return { type: 'forward', choices, total: choices.reduce((sum, c) => sum + c.weight, 0) };
}

/** A target group by weight among those with an active target. */
function pickGroup(action: Extract<CompiledAction, { type: 'forward' }>): Group | undefined {
  if (action.choices.length === 1) {
    const only = action.choices[0];
    return only && only.group.active.length > 0 ? only.group : undefined;
  }
  let roll = Math.random() * action.total;
  for (const choice of action.choices) {
    roll -= choice.weight;
    if (roll < 0) return choice.group.active.length > 0 ? choice.group : undefined;
  }
  return undefined;
}

/**
 * The next active target round robin, skipping `tried`; by weight when the targets weigh
 * differently (smooth weighted round robin: each turn every target gains its weight and the
 * highest, which pays back the total, is picked, so shares are exact and evenly spread).
 */
function nextTarget(group: Group, tried: ReadonlySet<UpstreamTarget>): UpstreamTarget | undefined {
  if (group.weighted) {
    let best: UpstreamTarget | undefined;
    let total = 0;
    for (const target of group.active) {
      if (tried.has(target)) continue;
      target.score += target.weight;
      total += target.weight;
      if (!best || target.score > best.score) best = target;
    }
    if (best) best.score -= total;
    return best;
  }
  const count = group.active.length;
  for (let i = 0; i < count; i++) {
    const index = group.next % count;
    group.next = index + 1;
    const target = group.active[index];
    if (target && !tried.has(target)) return target;
  }
  return undefined;
}

function forwardHeaders(req: http.IncomingMessage, listenerPort: number): string[] {
  const raw = req.rawHeaders;
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    if (HOP_BY_HOP.has(name.toLowerCase())) continue;
    out.push(name, raw[i + 1] as string);
  }
  const previous = req.headers['x-forwarded-for'];
  const client = req.socket.remoteAddress ?? '';
  out.push('x-forwarded-for', previous ? `${Array.isArray(previous) ? previous.join(', ') : previous}, ${client}` : client, 'x-forwarded-proto', 'http', 'x-forwarded-port', String(listenerPort));
  return out;
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
