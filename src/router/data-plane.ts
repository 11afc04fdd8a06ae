/**
 * The one interface both data planes (`node`, `haproxy`) implement, and the description of what
 * they should serve. The router's control part compiles the routing table and the targets' health
 * into a `DataPlaneConfig` (compile.ts) and hands the whole of it to `apply` on every change;
 * a plane works out the difference itself. A plane never decides health: it forwards bytes,
 * reports what it saw (requests, failed connections) and answers how busy a draining target is.
 */

/** A target the plane may send requests to (`active`), or must only let finish (`draining`). */
export interface PlaneTarget {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  /** Draining: no new requests; those in flight finish. */
  readonly draining: boolean;
  /** Share of the group's new requests relative to its other targets (absent: 1; 0: none). */
  readonly weight?: number;
}

export interface PlaneTargetGroup {
  /** Stable and safe as an HAProxy backend name: `tg-<name>` (with a suffix in the rare case of a reused name). */
  readonly key: string;
  readonly name: string;
  readonly arn: string;
  /** Targets that take traffic or drain; initial and unhealthy targets are not here. */
  readonly targets: readonly PlaneTarget[];
}

/** Where a matched request goes. */
export type PlaneAction =
  /** Pick one target group by weight (only groups with an active target are listed); none → 503. */
  | { readonly type: 'forward'; readonly choices: readonly { readonly targetGroupKey: string; readonly weight: number }[] }
  | { readonly type: 'fixed-response'; readonly statusCode: number; readonly contentType: string; readonly messageBody: string };

export interface PlaneRoute {
  /** An anchored regex over the route key (patterns.ts). */
  readonly match: string;
  readonly action: PlaneAction;
}

export interface PlaneListener {
  /** The listener's port in the routing table (its identity). */
  readonly port: number;
  /** Where to listen; `bindPort` 0 lets the plane pick a free port (see `address`). */
  readonly bindHost: string;
  readonly bindPort: number;
  /** Rules in priority order; the first match wins. */
  readonly routes: readonly PlaneRoute[];
  /** When no rule matches; undefined → 404 problem. */
  readonly defaultAction?: PlaneAction;
}

export interface DataPlaneConfig {
  readonly listeners: readonly PlaneListener[];
  readonly targetGroups: readonly PlaneTargetGroup[];
}

/** What a plane tells the router. */
export interface DataPlaneEvents {
  /** A request could not connect to a target (or was reset before any response byte); it was retried elsewhere. */
  connectionFailed(targetGroupKey: string, targetId: string, description: string): void;
  /** One request answered by a target: its status and the time from request to last response byte. */
  observe(targetGroupKey: string, targetId: string, status: number, seconds: number): void;
  /** One request the router answered itself: no rule (404), no healthy target (503), or a fixed response. */
  answered(listenerPort: number, status: number): void;
}

export const DATA_PLANE_KINDS = ['node', 'haproxy'] as const;
export type DataPlaneKind = (typeof DATA_PLANE_KINDS)[number];

export interface DataPlane {
  readonly kind: DataPlaneKind;
  /** Gets ready to serve (a process started, sockets open); listeners come with `apply`. */
  start(events: DataPlaneEvents): Promise<void>;
  /** Serves `config` from now on; resolves once it is in effect. Calls are serialised by the router. */
  apply(config: DataPlaneConfig): Promise<void>;
  /** Requests in flight to one target (the router removes a draining target when this is 0). */
  inFlight(targetGroupKey: string, targetId: string): Promise<number>;
  /** The address a listener is served on, once applied. */
  address(listenerPort: number): { readonly host: string; readonly port: number } | undefined;
  /** Stops serving and stops everything the plane started. */
  stop(): Promise<void>;
}

/** Upstream connect timeout of both planes: a target that does not accept within it counts as failed (the request goes elsewhere). */
export const CONNECT_TIMEOUT_MS = 500;
/** How long a target may take to answer (headers) and between body chunks, as ALB's idle timeout. */
export const UPSTREAM_TIMEOUT_MS = 60_000;
/** How many other targets a request whose connection failed is tried on. */
export const CONNECT_RETRIES = 3;
