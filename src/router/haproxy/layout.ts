/**
 * What the haproxy data plane keeps in HAProxy, worked out without I/O: which target sits in which
 * server slot of which backend, the contents of the map files, and the configuration file.
 *
 * - One frontend per listener. A request's route key (lower-cased Host without port, `#`, path)
 *   is looked up in `routes-<port>.map` (`map_reg`, rules in priority order → route number; no
 *   match → 0, the default action). Route `r` owns the integers `r*1000 … r*1000+999`; a random
 *   number below 1000 picks one of them and `weights-<port>.map` (`map_int` with ranges) names the
 *   backend, so weights are ranges in proportion (to 1/1000). Both maps change at run time
 *   (`prepare map` / `add map @v` / `commit map @v`: atomic) and are written to disk for reloads.
 * - One backend per target group with a fixed number of server slots; a target takes a free slot
 *   (`set server … addr … port …`, `state ready|drain|maint`), so target changes never reload.
 * - Structure (listeners, backends, slot counts, fixed responses) changes only by a seamless
 *   reload; `structureKey` says when one is needed.
 */
import type { DataPlaneConfig, PlaneAction } from '../data-plane.js';
import { CONNECT_RETRIES, CONNECT_TIMEOUT_MS, UPSTREAM_TIMEOUT_MS } from '../data-plane.js';
import type { RouterProblemCode } from '../problems.js';
import { PROBLEM_CONTENT_TYPE, routerProblem } from '../problems.js';

/** Integers per route in the weights map (the resolution of weights). */
export const WEIGHT_RESOLUTION = 1000;
/** Fewest server slots per backend; more are made (by a reload) when a group outgrows them. */
export const MIN_SLOTS = 8;
/** HAProxy's connection limit: 20000 does not start under this machine's 20000 open files (MACHINE.md). */
export const HAPROXY_MAXCONN = 8000;
/** How long an old worker may finish its requests after a reload (ALB's longest deregistration delay). */
export const HARD_STOP_AFTER_SECONDS = 3600;

/** A target in a slot, as HAProxy has (or should have) it. */
export interface Slot {
  readonly targetId: string;
  /** An IP address (the plane resolves host names first). */
  readonly address: string;
  readonly port: number;
  readonly draining: boolean;
  /** HAProxy's server weight while not draining (1 unless a traffic split weighs the targets). */
  readonly weight: number;
}

export interface BackendLayout {
  readonly key: string;
  /** Slot i is server `s<i+1>`; undefined is free (in maintenance). */
  readonly slots: readonly (Slot | undefined)[];
  /** Free slot indexes, least recently used first (a freed slot is reused last). */
  readonly free: readonly number[];
}

export interface FixedResponse {
  readonly statusCode: number;
  readonly contentType: string;
  readonly body: string;
}

export interface ListenerLayout {
  readonly port: number;
  readonly bindHost: string;
  readonly bindPort: number;
  /** Route regexes in priority order; route number = index + 1. */
  readonly routes: readonly string[];
  /** `from:to backend` lines of the weights map. */
  readonly weights: readonly string[];
  /** Fixed responses used by this listener's routes, by backend name. */
  readonly fixed: ReadonlyMap<string, FixedResponse>;
}

export interface Layout {
  readonly listeners: readonly ListenerLayout[];
  readonly backends: ReadonlyMap<string, BackendLayout>;
}

export const EMPTY_LAYOUT: Layout = { listeners: [], backends: new Map() };

export function frontendName(port: number): string {
  return `listener-${port}`;
}
export function noRouteBackend(port: number): string {
  return `listener-${port}-no-route`;
}
export function unavailableBackend(port: number): string {
  return `listener-${port}-unavailable`;
}
function fixedBackend(port: number, route: number): string {
  return `listener-${port}-fixed-${route}`;
}
export function slotName(index: number): string {
  return `s${index + 1}`;
}
export function routesMapFile(dir: string, port: number): string {
  return `${dir}/routes-${port}.map`;
}
export function weightsMapFile(dir: string, port: number): string {
  return `${dir}/weights-${port}.map`;
}

/**
 * The layout for `config`, keeping every target in the slot it had in `previous`. Target
 * addresses must already be IPs (`resolve` maps a host to one).
 */
export function planLayout(config: DataPlaneConfig, previous: Layout, resolve: (host: string) => string): Layout {
  const backends = new Map<string, BackendLayout>();
  for (const group of config.targetGroups) {
    const before = previous.backends.get(group.key);
    const wanted = new Map(group.targets.map((t) => [t.id, { targetId: t.id, address: resolve(t.host), port: t.port, draining: t.draining, weight: t.weight ?? 1 } satisfies Slot]));
    const count = Math.max(before?.slots.length ?? 0, MIN_SLOTS);
    const slots: (Slot | undefined)[] = Array.from({ length: count }, () => undefined);
    const free = [...(before?.free ?? Array.from({ length: count }, (_, i) => i))].filter((i) => i < count);
    for (let i = before?.slots.length ?? 0; i < count; i++) if (!free.includes(i)) free.push(i);
    // Keep targets whose address is unchanged in their slots; free the rest (last in the LRU order).
    before?.slots.forEach((slot, index) => {
      if (!slot) return;
      const want = wanted.get(slot.targetId);
      if (want && want.address === slot.address && want.port === slot.port) {
        slots[index] = want;
        wanted.delete(slot.targetId);
      } else free.push(index);
    });
    // New targets take the least recently used free slots; a full backend grows (doubles).
    for (const slot of wanted.values()) {
      let index = free.shift();
      if (index === undefined) {
        const grown = slots.length * 2;
        for (let i = slots.length; i < grown; i++) free.push(i);
        slots.length = grown;
        index = free.shift() as number;
      }
      slots[index] = slot;
    }
    backends.set(group.key, { key: group.key, slots, free });
  }

  const listeners = config.listeners.map((listener): ListenerLayout => {
    const fixed = new Map<string, FixedResponse>();
    const weights: string[] = [];
    const addRoute = (route: number, action: PlaneAction | undefined) => {
      const from = route * WEIGHT_RESOLUTION;
      if (action === undefined) return; // no entry: map_int's default is the no-route backend
      if (action.type === 'fixed-response') {
        const name = fixedBackend(listener.port, route);
        fixed.set(name, { statusCode: action.statusCode, contentType: action.contentType, body: action.messageBody });
        weights.push(`${from}:${from + WEIGHT_RESOLUTION - 1} ${name}`);
        return;
      }
      const total = action.choices.reduce((sum, c) => sum + c.weight, 0);
      if (total === 0) {
        weights.push(`${from}:${from + WEIGHT_RESOLUTION - 1} ${unavailableBackend(listener.port)}`);
        return;
      }
      let cumulative = 0;
      let start = 0;
      for (const choice of action.choices) {
        cumulative += choice.weight;
        const end = Math.round((cumulative / total) * WEIGHT_RESOLUTION);
        if (end > start) weights.push(`${from + start}:${from + end - 1} ${choice.targetGroupKey}`);
        start = end;
      }
    };
    addRoute(0, listener.defaultAction);
    listener.routes.forEach((route, index) => addRoute(index + 1, route.action));
    return { port: listener.port, bindHost: listener.bindHost, bindPort: listener.bindPort, routes: listener.routes.map((r) => r.match), weights, fixed };
  });
  return { listeners, backends };
}

/** What only a reload can change: listeners and their binds, fixed responses, backends and their slot counts. */
export function structureKey(layout: Layout): string {
  return JSON.stringify({
    listeners: layout.listeners.map((l) => [l.port, l.bindHost, l.bindPort, [...l.fixed].sort(([a], [b]) => a.localeCompare(b))]),
    backends: [...layout.backends.values()].map((b) => [b.key, b.slots.length]).sort(),
  });
}

/** The lines of a listener's routes map. */
export function routesMapText(listener: ListenerLayout): string {
  return listener.routes.map((regex, index) => `${regex} ${index + 1}\n`).join('');
}

/** The lines of a listener's weights map. */
export function weightsMapText(listener: ListenerLayout): string {
  return listener.weights.map((line) => `${line}\n`).join('');
}

export interface ConfigPaths {
  /** Folder of the map files. */
  readonly dir: string;
  /** The worker's stats socket (Runtime API). */
  readonly statsSocket: string;
}

/** The ring buffer HAProxy writes its log lines to; the router streams it over the stats socket. */
export const LOG_RING = 'wharf-log';
/** The ring's size: lines the router has not read yet when it wraps are lost (and counted by HAProxy). */
export const LOG_RING_BYTES = 16 * 1024 * 1024;

/** The log line of one request: `R <frontend> <backend> <server> <status> <total active ms>`. */
export const REQUEST_LOG_FORMAT = 'R %f %b %s %ST %Ta';

/** HAProxy's configuration for `layout`. */
export function renderConfig(layout: Layout, paths: ConfigPaths): string {
  const out: string[] = [];
  const q = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  out.push(
    '# Written by the Wharf router (haproxy data plane); changes here are overwritten.',
    `ring ${LOG_RING}`,
    '  format raw',
    '  maxlen 4096',
    `  size ${LOG_RING_BYTES}`,
    '',
    'global',
    '  master-worker',
    `  stats socket ${paths.statsSocket} mode 600 level admin expose-fd listeners`,
    // The router's log stream is a stats socket session that may sit idle for long.
    '  stats timeout 1h',
    `  maxconn ${HAPROXY_MAXCONN}`,
    `  hard-stop-after ${HARD_STOP_AFTER_SECONDS}s`,
    `  log ring@${LOG_RING} len 4096 format raw local0 info`,
    '',
    'defaults',
    '  mode http',
    '  log global',
    `  log-format ${q(REQUEST_LOG_FORMAT)}`,
    '  option dontlognull',
    // A reload closes idle client connections only after their next response (no reset race).
    '  option idle-close-on-response',
    `  timeout connect ${CONNECT_TIMEOUT_MS}ms`,
    `  timeout client ${UPSTREAM_TIMEOUT_MS}ms`,
    `  timeout server ${UPSTREAM_TIMEOUT_MS}ms`,
    '  timeout http-request 10s',
    `  timeout http-keep-alive ${UPSTREAM_TIMEOUT_MS}ms`,
    '  timeout queue 10s',
    // The retry rule: a connection that fails (or a reset before any response byte) goes to another server.
    `  retries ${CONNECT_RETRIES}`,
    '  retry-on conn-failure empty-response',
    '  option redispatch 1',
    '  option forwardfor',
    '',
  );
  const problem = (code: RouterProblemCode, port: number) => routerProblem(code, port);
  for (const listener of layout.listeners) {
    const dir = paths.dir;
    out.push(
      `frontend ${frontendName(listener.port)}`,
      `  bind ${listener.bindHost.includes(':') ? `[${listener.bindHost}]` : listener.bindHost}:${listener.bindPort}`,
      '  http-request set-header X-Forwarded-Proto http',
      '  http-request set-header X-Forwarded-Port %[dst_port]',
      '  http-request set-var(txn.path) path',
      '  http-request set-var(txn.key) req.hdr(host),lower,regsub(:[0-9]+$,),concat(\\#,txn.path)',
      `  http-request set-var(txn.route) var(txn.key),map_reg(${routesMapFile(dir, listener.port)},0)`,
      `  http-request set-var(txn.rnd) rand(${WEIGHT_RESOLUTION})`,
      `  http-request set-var(txn.pick) var(txn.route),mul(${WEIGHT_RESOLUTION}),add(txn.rnd)`,
      `  use_backend %[var(txn.pick),map_int(${weightsMapFile(dir, listener.port)},${noRouteBackend(listener.port)})]`,
      `  default_backend ${noRouteBackend(listener.port)}`,
    );
    for (const [code, status] of [
      ['WHARF_E_ROUTER_BAD_GATEWAY', 502],
      ['WHARF_E_ROUTER_NO_HEALTHY_TARGET', 503],
      ['WHARF_E_ROUTER_GATEWAY_TIMEOUT', 504],
    ] as const) {
      out.push(`  http-error status ${status} content-type ${PROBLEM_CONTENT_TYPE} string ${q(problem(code, listener.port).body)}`);
    }
    out.push('');
    for (const [name, code] of [
      [noRouteBackend(listener.port), 'WHARF_E_ROUTER_NO_ROUTE'],
      [unavailableBackend(listener.port), 'WHARF_E_ROUTER_NO_HEALTHY_TARGET'],
    ] as const) {
      const { status, body } = problem(code, listener.port);
      out.push(`backend ${name}`, `  http-request return status ${status} content-type ${PROBLEM_CONTENT_TYPE} string ${q(body)}`, '');
    }
    for (const [name, fixed] of [...listener.fixed].sort(([a], [b]) => a.localeCompare(b))) {
      out.push(`backend ${name}`, `  http-request return status ${fixed.statusCode} content-type ${q(fixed.contentType)}${fixed.body ? ` string ${q(fixed.body)}` : ''}`, '');
    }
  }
  for (const backend of [...layout.backends.values()].sort((a, b) => a.key.localeCompare(b.key))) {
    out.push(
      `backend ${backend.key}`,
      '  balance roundrobin',
      // Passive health: the first failed connection marks a server down at once (the router
      // hears it in the log and takes the target out); the check itself is only a carrier for this.
      '  default-server check inter 1h observe layer4 error-limit 1 on-error mark-down',
    );
    // Free slots are server-template runs (in maintenance); a slot with a target is its own line,
    // so a reload carries every target in the slot it has at run time.
    let runStart = -1;
    const closeRun = (end: number) => {
      if (runStart === -1) return;
      if (end - runStart === 1) out.push(`  server ${slotName(runStart)} 127.0.0.1:1 disabled`);
      else out.push(`  server-template s ${runStart + 1}-${end} 127.0.0.1:1 disabled`);
      runStart = -1;
    };
    backend.slots.forEach((slot, index) => {
      if (!slot) {
        if (runStart === -1) runStart = index;
        return;
      }
      closeRun(index);
      const weight = slot.draining ? 0 : slot.weight;
      out.push(`  server ${slotName(index)} ${slot.address}:${slot.port}${weight !== 1 ? ` weight ${weight}` : ''}`);
    });
    closeRun(backend.slots.length);
    out.push('');
  }
  return out.join('\n');
}
