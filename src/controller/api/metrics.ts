/**
 * The controller's Prometheus metrics, served at /metrics. Each API instance has its own registry,
 * so several controllers in one process (tests) never share counters.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Latency buckets for API requests, in seconds: 1 ms to 10 s. */
const API_LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

export interface ApiMetrics {
  readonly registry: Registry;
  /** Records one finished request under its route pattern (not its raw URL, to bound the label set). */
  observe(method: string, route: string, status: number, seconds: number): void;
}

/** Creates the registry with process metrics, request counters and latency, and the leader gauge. */
export function createApiMetrics(role: () => 'leader' | 'standby'): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'wharf_' });
  const requests = new Counter({
    name: 'wharf_api_requests_total',
    help: 'API requests by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'wharf_api_request_duration_seconds',
    help: 'API request latency by method and route pattern.',
    labelNames: ['method', 'route'] as const,
    buckets: API_LATENCY_BUCKETS,
    registers: [registry],
  });
  new Gauge({
    name: 'wharf_controller_leader',
    help: '1 while this controller leads, 0 while it is a standby.',
    registers: [registry],
    collect() {
      this.set(role() === 'leader' ? 1 : 0);
    },
  });
  return {
    registry,
    observe(method, route, status, seconds) {
      requests.inc({ method, route, status: String(status) });
      latency.observe({ method, route }, seconds);
    },
  };
}
