/**
 * Environment health as Elastic Beanstalk's enhanced health reports it, computed by a pure
 * function from what the layer below observes: each instance's (task's) state and target health,
 * the router's error rate, and the operation in progress. Colours follow EB's mapping: Ok and Info
 * are Green, Warning Yellow, Degraded and Severe Red, Pending, Unknown and NoData Grey.
 */
import type { EnvironmentHealth, EnvironmentRecord, HealthStatus } from '../../model/platform.js';

/** One instance (a task of the environment's service) as health sees it. */
export interface InstanceObservation {
  readonly id: string;
  /** The task's lastStatus. */
  readonly lastStatus: string;
  /** RUNNING long enough ago that it should pass its checks by now (past the grace period). */
  readonly settled: boolean;
  /** Target health on the router when load balanced (undefined: no report yet or single instance). */
  readonly target?: 'initial' | 'healthy' | 'unhealthy' | 'draining';
  /** Container health (HEALTHY, UNHEALTHY, UNKNOWN). */
  readonly containerHealth: string;
  readonly versionLabel: string | null;
}

export interface HealthInput {
  readonly environment: Pick<EnvironmentRecord, 'status' | 'operation' | 'versionLabel'>;
  readonly desiredCount: number;
  readonly instances: readonly InstanceObservation[];
  /** Traffic through the router over the recent window (undefined: no data, or too few requests to judge). */
  readonly traffic?: { readonly requests: number; readonly errorRate: number; readonly meanSeconds: number; readonly windowMs: number };
}

export interface HealthResult {
  readonly health: EnvironmentHealth;
  readonly healthStatus: HealthStatus;
  readonly causes: readonly string[];
}

/** The share of 5xx answers above which the environment is Degraded (EB: more than 10 %). */
export const DEGRADED_ERROR_RATE = 0.1;
/** ... and Warning (EB: more than 1 %). */
export const WARNING_ERROR_RATE = 0.01;
/** Mean latency above which the environment is in Warning. */
export const WARNING_MEAN_LATENCY_SECONDS = 1;
/** Fewer requests than this in the window say nothing about error rates. */
export const MIN_REQUESTS_TO_JUDGE = 10;

const COLOUR: Readonly<Record<HealthStatus, EnvironmentHealth>> = {
  NoData: 'Grey',
  Unknown: 'Grey',
  Pending: 'Grey',
  Ok: 'Green',
  Info: 'Green',
  Warning: 'Yellow',
  Degraded: 'Red',
  Severe: 'Red',
};

/** The colour EB shows for an enhanced health status. */
export function colourOf(status: HealthStatus): EnvironmentHealth {
  return COLOUR[status];
}

/** One instance's status: Pending while starting, Ok when serving, Severe when failing its checks. */
export function instanceStatus(instance: InstanceObservation): { status: HealthStatus; cause?: string } {
  if (instance.lastStatus !== 'RUNNING') return { status: 'Pending', cause: `Task is ${instance.lastStatus.toLowerCase()}.` };
  if (instance.target === 'draining') return { status: 'Info', cause: 'Deregistering: in-flight requests are finishing.' };
  if (instance.target === 'unhealthy') return { status: 'Severe', cause: 'Failing the load balancer health check.' };
  if (instance.containerHealth === 'UNHEALTHY') return { status: 'Severe', cause: 'Failing the container health check.' };
  if (instance.target === 'healthy' || (instance.target === undefined && instance.settled)) return { status: 'Ok' };
  return { status: 'Pending', cause: 'Waiting for the health check to pass.' };
}

function with_(status: HealthStatus, causes: string[]): HealthResult {
  return { health: COLOUR[status], healthStatus: status, causes };
}

/** The environment's health (see the file comment). */
export function environmentHealth(input: HealthInput): HealthResult {
  const { environment, desiredCount } = input;
  if (environment.status === 'Terminated') return with_('NoData', []);
  if (environment.status === 'Terminating') return with_('Pending', ['Environment is terminating.']);
  const serving = input.instances.filter((i) => i.lastStatus !== 'STOPPED' && i.target !== 'draining');
  const ok = serving.filter((i) => instanceStatus(i).status === 'Ok');
  const severe = serving.filter((i) => instanceStatus(i).status === 'Severe');
  if (environment.status === 'Launching') {
    return with_('Pending', [`Launching: ${ok.length} of ${desiredCount} instances are serving.`]);
  }
  const causes: string[] = [];
  // An abort moves instances too (back to the previous version): judged as an update is.
  const changing = environment.status === 'Updating' || environment.status === 'Aborting';
  if (environment.status === 'Updating') causes.push(`${environment.operation?.kind === 'deploy' ? 'Deploying' : 'Updating'}: ${ok.length} of ${desiredCount} instances are serving.`);
  if (environment.status === 'Aborting') causes.push(`Aborting the update: ${ok.length} of ${desiredCount} instances are serving.`);
  // An aborted update was stopped on purpose and left the previous version serving: not a fault.
  const failure = environment.operation?.abortedAt === undefined ? environment.operation?.failure : undefined;
  if (failure && environment.status === 'Ready') causes.push(`The last ${environment.operation?.kind} failed: ${failure}`);

  let status: HealthStatus = changing ? 'Info' : 'Ok';
  const missing = Math.max(0, desiredCount - ok.length);
  if (desiredCount > 0 && ok.length === 0) {
    status = 'Severe';
    causes.push(serving.length === 0 ? 'No instance is running.' : `None of the ${serving.length} instances is serving.`);
  } else if (missing > 0 && !changing) {
    status = missing / Math.max(1, desiredCount) > 0.25 ? 'Degraded' : 'Warning';
    causes.push(`${missing} of ${desiredCount} instances are not serving${severe.length > 0 ? ` (${severe.length} failing health checks)` : ''}.`);
  }
  const traffic = input.traffic;
  if (traffic && traffic.requests >= MIN_REQUESTS_TO_JUDGE && status !== 'Severe') {
    const percent = (traffic.errorRate * 100).toFixed(1);
    const over = `over the last ${Math.round(traffic.windowMs / 1000)} s`;
    if (traffic.errorRate > DEGRADED_ERROR_RATE) {
      status = worse(status, 'Degraded');
      causes.push(`${percent} % of the requests are failing with HTTP 5xx ${over}.`);
    } else if (traffic.errorRate > WARNING_ERROR_RATE) {
      status = worse(status, 'Warning');
      causes.push(`${percent} % of the requests are failing with HTTP 5xx ${over}.`);
    }
    if (traffic.meanSeconds > WARNING_MEAN_LATENCY_SECONDS) {
      status = worse(status, 'Warning');
      causes.push(`Requests take ${traffic.meanSeconds.toFixed(2)} s on average ${over}.`);
    }
  }
  if (failure && environment.status === 'Ready' && status === 'Ok') status = 'Warning';
  return with_(status, causes);
}

const RANK: readonly HealthStatus[] = ['NoData', 'Unknown', 'Pending', 'Ok', 'Info', 'Warning', 'Degraded', 'Severe'];
function worse(a: HealthStatus, b: HealthStatus): HealthStatus {
  return RANK.indexOf(a) >= RANK.indexOf(b) ? a : b;
}
