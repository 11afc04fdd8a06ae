/**
 * What the platform's API functions and its runner share: the store, the artifact store, where
 * versions are unpacked and built, the domain environments are served under, and the layer
 * below's contexts (services, load balancing, auto scaling) whose public functions it calls.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import type { TaskRecord } from '../../model/task.js';
import type { ArnScope } from '../../model/arn.js';
import type { NewEvent } from '../../model/events.js';
import type { EventSeverity } from '../../model/events.js';
import type { EnvironmentRecord } from '../../model/platform.js';
import type { Repositories, Store } from '../../store/store.js';
import type { AutoScalingContext } from '../autoscaling/autoscaling.js';
import type { LoadBalancingContext } from '../load-balancing/elbv2.js';
import type { TrafficWindow } from '../load-balancing/target-health.js';
import type { ServiceContext } from '../services/services.js';
import type { ArtifactStore } from './bundles/artifact-store.js';

export interface PlatformContext {
  readonly store: Store;
  readonly arnScope: ArnScope;
  readonly artifacts: ArtifactStore;
  /** `<dataDir>/platform`: versions' sources and builds. */
  readonly root: string;
  /** Host names are `<cname>.<domain>`. */
  readonly domain: string;
  /** The port routers serve listener 80 on, for URLs (undefined: not known here). */
  readonly publicPort: () => number | undefined;
  /** The engine Docker platform versions build on (created on first use). */
  readonly docker: () => Docker;
  readonly services: ServiceContext;
  readonly loadBalancing: LoadBalancingContext;
  readonly autoScaling: AutoScalingContext;
  /** Recent traffic of a target group through the routers (error rate, latency), when known. */
  readonly traffic: (targetGroupArn: string, now: number) => TrafficWindow | undefined;
  /** How long a task without a load balancer or health check must run to count as healthy (the services layer's settle time). */
  readonly settleMs: number;
  /** The host user process-platform apps run as (the agents' task user): each built version's folder is handed to it. */
  readonly taskUser: string;
  /** Opens a task's log as its agent keeps it (NDJSON lines; the last `tail` lines when given). */
  readonly taskLogs: (task: TaskRecord, tail: number | undefined, signal: AbortSignal) => Promise<Readable>;
  /** A presigned S3 GET of `url` valid for `expiresSeconds` from `now`, signed with a key the controller holds (RetrieveEnvironmentInfo's links). */
  readonly presign: (url: string, expiresSeconds: number, now: number) => Promise<string>;
  /** Makes the environment runner act now. */
  readonly wake: () => void;
}

/** The folder of one version: `source/` (the unpacked bundle) and `build/` (what its platform built). */
export function versionDir(root: string, applicationName: string, versionLabel: string): string {
  // Labels may hold any character; a digest keeps the folder name safe and unique.
  const key = createHash('sha256').update(`${applicationName}\0${versionLabel}`).digest('hex').slice(0, 32);
  return path.join(root, 'versions', key);
}

/** Appends an Elastic Beanstalk event about an environment (filterable by application, environment and version). */
export async function environmentEvent(
  tx: Pick<Repositories, 'events'>,
  environment: Pick<EnvironmentRecord, 'environmentId' | 'environmentName' | 'applicationName'>,
  severity: EventSeverity,
  message: string,
  options: { now: number; requestId?: string | null; versionLabel?: string | null },
): Promise<void> {
  const event: NewEvent = {
    resourceType: 'environment',
    resourceId: environment.environmentId,
    severity,
    message,
    requestId: options.requestId ?? null,
    time: options.now,
    applicationName: environment.applicationName,
    environmentName: environment.environmentName,
    ...(options.versionLabel ? { versionLabel: options.versionLabel } : {}),
  };
  await tx.events.append(event);
}

/** Appends an event about an application or one of its versions. */
export async function applicationEvent(
  tx: Pick<Repositories, 'events'>,
  applicationName: string,
  message: string,
  options: { now: number; requestId?: string | null; versionLabel?: string | null; severity?: EventSeverity },
): Promise<void> {
  await tx.events.append({
    resourceType: 'application',
    resourceId: applicationName,
    severity: options.severity ?? 'INFO',
    message,
    requestId: options.requestId ?? null,
    time: options.now,
    applicationName,
    ...(options.versionLabel ? { versionLabel: options.versionLabel } : {}),
  });
}
