/**
 * What an environment compiles to in the layer below, as pure functions: the task definition of a
 * version (one essential container `app`), the target group and the listener rule of a
 * load-balanced environment, the service's fields and its scaling. The runner sends these through
 * the services layer's own functions; nothing here does I/O.
 */
import type { RegisterTaskDefinitionRequest } from '../../model/task-definition.js';
import { taskResources } from '../../model/task-definition.js';
import { registerTaskDefinitionRequestSchema } from '../compute/task-definitions.js';
import type { EnvironmentRecord } from '../../model/platform.js';
import type { Runnable } from './build/build.js';
import type { EnvironmentConfig } from './options/resolve.js';
import type { DeploymentPolicy } from '../../model/service.js';
import { batchTasks, DEFAULT_CANARY } from '../deploy/policies.js';
import { instanceSize } from './options/instance-types.js';

/** The container every environment task has. */
export const APP_CONTAINER = 'app';
/** The image the process driver runs host processes under. */
export const PROCESS_IMAGE = 'wharf/process';
/** The listener on the router's public port that environments add their host rules to. */
export const PUBLIC_LISTENER_PORT = 80;
/** Memory reserved per environment task (MiB), so placement counts it; the app may use more. */
export const APP_MEMORY_RESERVATION_MIB = 128;
/** The cluster environments run in. */
export const PLATFORM_CLUSTER = 'default';

/** Names of the records below an environment, derived from its id so they never clash. */
export function resourceNames(environmentId: string): { family: string; serviceName: string; targetGroupName: string } {
  return { family: `eb-${environmentId}`, serviceName: `eb-${environmentId}`, targetGroupName: `eb-${environmentId}` };
}

/** The host name the router serves an environment at. */
export function environmentHost(cname: string, domain: string): string {
  return `${cname}.${domain}`.toLowerCase();
}

/** The port the app listens on inside its container (the target group's port). */
export function containerPort(runnable: Runnable, config: EnvironmentConfig, portGiven: boolean): number {
  if (runnable.kind === 'image' && !portGiven) return runnable.containerPort;
  return config.process.port;
}

/**
 * The task definition of one version in one environment: the runnable's command or image, the
 * environment's variables (the platform's own first, the user's winning), `PORT`, one port
 * mapping (dynamic host port behind the router; the environment's fixed port when single), and
 * with an instance type, the task's cpu and memory (the type's vCPUs × 1024 and MiB, reserved on
 * the host; the container keeps its small memory reservation, so nothing is capped lower).
 */
export function taskDefinitionFor(input: {
  environment: Pick<EnvironmentRecord, 'environmentId' | 'environmentName' | 'applicationName'>;
  versionLabel: string;
  runnable: Runnable;
  config: EnvironmentConfig;
  port: number;
  /** SingleInstance: the fixed host port; LoadBalanced: undefined (the host picks one). */
  hostPort?: number;
}): RegisterTaskDefinitionRequest {
  const { runnable, config, port } = input;
  const variables: Record<string, string> = {
    ...(runnable.kind === 'process' ? runnable.environment : {}),
    ...(runnable.kind === 'image' ? { PORT: String(port) } : {}),
    ...config.environmentVariables,
  };
  const container = {
    name: APP_CONTAINER,
    essential: true,
    memoryReservation: APP_MEMORY_RESERVATION_MIB,
    portMappings: [{ containerPort: port, hostPort: input.hostPort ?? 0, protocol: 'tcp' as const }],
    environment: Object.entries(variables)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, value]) => ({ name, value })),
    ...(runnable.kind === 'process' ? { image: PROCESS_IMAGE, command: [...runnable.command], workingDirectory: runnable.workingDirectory } : { image: runnable.image }),
    dockerLabels: {
      'wharf.environment-id': input.environment.environmentId,
      'wharf.environment-name': input.environment.environmentName,
      'wharf.application': input.environment.applicationName,
      'wharf.version-label': input.versionLabel,
    },
  };
  const size = config.instanceType === undefined ? undefined : instanceSize(config.instanceType);
  if (config.instanceType !== undefined && !size) throw new Error(`taskDefinitionFor: instance type ${config.instanceType} passed validation but has no size`);
  return registerTaskDefinitionRequestSchema.parse({
    family: resourceNames(input.environment.environmentId).family,
    networkMode: 'bridge',
    ...(size ? { cpu: String(size.cpu), memory: String(size.memoryMiB) } : {}),
    containerDefinitions: [container],
  });
}

/** CreateTargetGroup's request for a load-balanced environment (ELBv2's PascalCase shape). */
export function targetGroupFor(environmentId: string, config: EnvironmentConfig, port: number) {
  return {
    Name: resourceNames(environmentId).targetGroupName,
    Protocol: 'HTTP' as const,
    Port: port,
    // process.healthCheckPath already carries `Application Healthcheck URL`'s path when one is set.
    HealthCheckPath: config.process.healthCheckPath,
    HealthCheckIntervalSeconds: config.process.healthCheckIntervalSeconds,
    // EB allows a 1 s timeout; ELBv2 (and the router) start at 2 s.
    HealthCheckTimeoutSeconds: Math.max(2, config.process.healthCheckTimeoutSeconds),
    HealthyThresholdCount: config.process.healthyThresholdCount,
    UnhealthyThresholdCount: config.process.unhealthyThresholdCount,
    Matcher: { HttpCode: config.process.matcherHttpCode },
  };
}

/**
 * The service's deployment bounds. Rollouts of a new version follow the environment's policy
 * (deploymentPolicyFor); these bounds govern what ECS's rolling plan does: scaling, and the
 * circuit breaker's rollback. AllAtOnce (and a single instance, whose fixed port two tasks cannot
 * share) replace everything at once; the other policies keep full capacity while rolling back.
 */
export function deploymentConfigurationFor(config: EnvironmentConfig) {
  const allAtOnce = config.environmentType === 'SingleInstance' || config.command.deploymentPolicy === 'AllAtOnce';
  // Wharf rolls a failed deployment back by default; RollbackOnFailure false keeps EB's mixed fleet.
  return { minimumHealthyPercent: allAtOnce ? 0 : 100, maximumPercent: allAtOnce ? 100 : 200, deploymentCircuitBreaker: { enable: true, rollback: config.command.rollbackOnFailure } };
}

/** The Elastic Beanstalk policy a new version of the environment rolls out with (aws:elasticbeanstalk:command, trafficsplitting). */
export function deploymentPolicyFor(config: EnvironmentConfig): DeploymentPolicy {
  const desired = desiredCountFor(config);
  return {
    name: config.environmentType === 'SingleInstance' ? 'AllAtOnce' : config.command.deploymentPolicy,
    batch: batchTasks(desired, config.command.batchSizeType, config.command.batchSize),
    newVersionPercent: config.trafficSplitting.newVersionPercent,
    evaluationMs: Math.round(config.trafficSplitting.evaluationTimeMinutes * 60_000),
    canary: { ...DEFAULT_CANARY, errorRatePoints: config.trafficSplitting.errorRateMarginPoints, latencyPercent: config.trafficSplitting.latencyMarginPercent },
  };
}

/**
 * The policy a configuration update that replaces instances rolls out with
 * (aws:autoscaling:updatepolicy:rollingupdate, eb-ecs-spec §1.6): the application's policy with
 * the rolling update over it, which the deployment engine then follows instead. RollingUpdateEnabled
 * false is Disabled (all at once); a SingleInstance environment is always replaced all at once, as
 * its one fixed port cannot serve two copies.
 */
export function rollingUpdatePolicyFor(config: EnvironmentConfig): DeploymentPolicy {
  const rolling = config.rollingUpdate;
  const type = !rolling.enabled || config.environmentType === 'SingleInstance' ? 'Disabled' : rolling.type;
  return {
    ...deploymentPolicyFor(config),
    rollingUpdate: { type, maxBatchSize: rolling.maxBatchSize, minInstancesInService: rolling.minInstancesInService, pauseMs: type === 'Time' ? rolling.pauseTimeSeconds * 1000 : 0 },
  };
}

/**
 * Whether moving to `next` replaces instances (eb-ecs-spec §1.1): the size of a copy (its cpu or
 * memory reservation, from InstanceType) differs from that of any task definition still serving.
 * A new version or new environment variables alone keep the size: an application deployment.
 */
export function replacesInstances(serving: readonly Pick<RegisterTaskDefinitionRequest, 'cpu' | 'memory' | 'containerDefinitions'>[], next: Pick<RegisterTaskDefinitionRequest, 'cpu' | 'memory' | 'containerDefinitions'>): boolean {
  const size = taskResources(next);
  return serving.some((definition) => {
    const other = taskResources(definition);
    return other.cpu !== size.cpu || other.memory !== size.memory;
  });
}

/**
 * The policy the service's next rollout follows, which the runner's serve step hands to the
 * services layer: Elastic Beanstalk has two mechanisms (eb-ecs-spec §1.1). An application
 * deployment (a new version, new environment variables) follows `aws:elasticbeanstalk:command`
 * DeploymentPolicy (`deploymentPolicyFor`); a configuration update that replaces instances follows
 * `aws:autoscaling:updatepolicy:rollingupdate` (`rollingUpdatePolicyFor`), even when a new version
 * brings it (its `.ebextensions` set a new InstanceType). `serving` are the task definitions of the
 * sets still serving, `next` the one the service moves to: it compares with what serves, not with
 * the settings the operation replaced, so a size that never took (an update that failed and
 * rolled back) still counts as a change the next time.
 */
export function rolloutPolicyFor(config: EnvironmentConfig, serving: Parameters<typeof replacesInstances>[0], next: Parameters<typeof replacesInstances>[1] | undefined): DeploymentPolicy {
  return next && replacesInstances(serving, next) ? rollingUpdatePolicyFor(config) : deploymentPolicyFor(config);
}

/** How many tasks the environment runs: one when single, else MinSize (scaling moves it up to MaxSize). */
export function desiredCountFor(config: EnvironmentConfig): number {
  return config.environmentType === 'SingleInstance' ? 1 : config.minSize;
}
