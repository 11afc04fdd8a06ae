/**
 * What the API's routes are given: the shared context (`ApiContext`) and the helper for long
 * requests. `server.ts` builds the context and registers the routes; routes import this module and
 * the controller functions they expose, never `server.ts`.
 */
import type { ArnScope } from '../../model/arn.js';
import type { ClusterQuotas } from '../../model/cluster.js';
import type { Store } from '../../store/store.js';
import type { DesiredStateBus } from '../compute/desired-state-bus.js';
import type { UsageBoard } from '../compute/usage.js';
import type { RoutingTables } from '../load-balancing/routing-table.js';
import type { RouterBoard } from '../load-balancing/routers.js';
import type { RequestBoard, TargetHealthBoard } from '../load-balancing/target-health.js';
import type { Rng } from '../scheduler/index.js';

/** What every route needs: the store, the ARN scope, and what the compute routes share. */
export interface ApiContext {
  readonly store: Store;
  readonly arnScope: ArnScope;
  /** Wakes agents' long polls when their hosts' desired tasks change. */
  readonly bus: DesiredStateBus;
  /** The secret agents register with. */
  readonly joinToken: string;
  /** Placement's randomness (seeded in tests). */
  readonly rng: Rng;
  /** Aborted when the controller stops, so long polls answer at once. */
  readonly shutdown: AbortSignal;
  /** Makes the service runner act now on a change (instead of at its next tick). */
  readonly wakeServices: () => void;
  /** The routers' table (long polls) and what they report about target health. */
  readonly routingTables: RoutingTables;
  readonly targetHealth: TargetHealthBoard;
  /** The listeners routers say they serve (load balancers' state) and where they are reached. */
  readonly routers: RouterBoard;
  /** The routers' address as configured (`WHARF_ROUTER_HOST`): load balancers' DNSName. */
  readonly routerHost: string;
  /** Requests per target group from the routers' reports (auto scaling). */
  readonly requests: RequestBoard;
  /** Tasks' CPU and memory use from agents' reports (auto scaling). */
  readonly usage: UsageBoard;
  /** The per-cluster quotas (ECS's, or as settings change them). */
  readonly quotas: ClusterQuotas;
}

/**
 * An abort signal for one long request: aborted when the client goes away or the controller shuts
 * down. Call `release()` when the request ends, so no listener stays on the controller's signal.
 */
export function requestAbort(raw: NodeJS.EventEmitter, shutdown: AbortSignal): { signal: AbortSignal; release: () => void } {
  const abort = new AbortController();
  const onEnd = (): void => abort.abort();
  raw.once('close', onEnd);
  shutdown.addEventListener('abort', onEnd, { once: true });
  return {
    signal: abort.signal,
    release: () => {
      raw.removeListener('close', onEnd);
      shutdown.removeEventListener('abort', onEnd);
    },
  };
}
