/**
 * The environment runner: on the leading controller, every tick (and at once when woken), carries
 * each environment's operation forward one step at a time, and refreshes the health of the rest.
 *
 *   build ─▶ define ─▶ route ─▶ serve ─▶ wait ─▶ done        (create, deploy, configure, restart, rebuild)
 *                               serve | wait ─▶ abort ─▶ restore ─▶ done   (AbortEnvironmentUpdate)
 *   retire ─▶ done                                           (terminate)
 *
 * Each step is written to the environment (compare-and-set) before the next one acts, and each
 * is idempotent, so a controller killed anywhere resumes at the step it had written. A write that
 * loses its compare-and-set (a terminate came in) stops the pass; the next tick reads again.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { writePrivateFile } from '../../files.js';
import type { Logger } from '../../log.js';
import { WharfError, wharfError } from '../../model/errors.js';
import type { EnvironmentOperation, EnvironmentRecord, OperationStep } from '../../model/platform.js';
import { environmentTransition } from '../../model/platform.js';
import type { RegisterTaskDefinitionRequest } from '../../model/task-definition.js';
import { registerScalableTarget, putScalingPolicy } from '../autoscaling/autoscaling.js';
import type { RequestMeta } from '../request.js';
import { registerTaskDefinition } from '../compute/task-definitions.js';
import { createListener, createRule, createTargetGroup, deleteRule, deleteTargetGroup, modifyTargetGroup, modifyTargetGroupAttributes } from '../load-balancing/elbv2.js';
import { abortRollout } from '../deploy/abort.js';
import { createService, deleteService, updateService } from '../services/services.js';
import type { Runnable } from './build/build.js';
import { buildVersion, imageTagFor } from './build/build.js';
import {
  APP_CONTAINER,
  containerPort,
  deploymentConfigurationFor,
  deploymentPolicyFor,
  desiredCountFor,
  environmentHost,
  PUBLIC_LISTENER_PORT,
  resourceNames,
  rolloutPolicyFor,
  targetGroupFor,
  taskDefinitionFor,
} from './compile.js';
import type { PlatformContext } from './context.js';
import { environmentEvent, versionDir } from './context.js';
import type { EnvironmentConfig } from './options/resolve.js';
import { layersOf, resolveConfig } from './settings.js';
import { currentHealth } from './views.js';

/** How often the runner looks at every environment when nothing wakes it. */
export const ENVIRONMENT_TICK_MS = 1000;
/** The file beside a version's build that says how to run it (written last: its presence means built). */
const RUNNABLE_FILE = 'runnable.json';
/** What the listener answers for a host name no environment serves. */
const NO_APPLICATION = { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'No application is deployed at this host name.' } } as const;

export interface EnvironmentRunnerOptions {
  readonly log: Logger;
  readonly tickMs?: number;
}

type StepResult = 'next' | 'wait' | 'stop';

export class EnvironmentRunner {
  private timer: NodeJS.Timeout | undefined;
  private readonly busy = new Set<string>();
  private readonly builds = new Map<string, Promise<Runnable>>();
  private readonly running = new Set<Promise<void>>();
  private readonly aborting = new AbortController();

  constructor(
    private readonly ctx: PlatformContext,
    private readonly o: EnvironmentRunnerOptions,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.wake(), this.o.tickMs ?? ENVIRONMENT_TICK_MS);
    this.wake();
  }

  /** Stops ticking and waits for the steps in progress (a build in progress is cancelled). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await Promise.allSettled([...this.running]);
  }

  /** Cancels builds for good (the controller is stopping). */
  async close(): Promise<void> {
    this.aborting.abort(new Error('the controller is stopping'));
    await this.stop();
  }

  /** Looks at every environment now: starts a pass for each that has work and none in progress. */
  wake(): void {
    void this.pass().catch((error: unknown) => this.o.log.error({ err: error }, 'environment pass failed'));
  }

  private async pass(): Promise<void> {
    const environments = await this.ctx.store.platform.listEnvironments({});
    for (const environment of environments) {
      if (this.busy.has(environment.environmentId)) continue;
      this.busy.add(environment.environmentId);
      const work = this.advance(environment.environmentId)
        .catch((error: unknown) => this.o.log.error({ err: error, environment: environment.environmentName }, 'environment step failed'))
        .finally(() => {
          this.busy.delete(environment.environmentId);
          this.running.delete(work);
        });
      this.running.add(work);
    }
  }

  /** Runs steps until the operation waits, finishes or loses a race; then refreshes health. */
  private async advance(environmentId: string): Promise<void> {
    for (;;) {
      const environment = await this.ctx.store.platform.getEnvironment(environmentId);
      if (!environment || environment.status === 'Terminated') return;
      const op = environment.operation;
      if (!op || op.step === 'done') {
        await this.refreshHealth(environment);
        return;
      }
      if (!this.timer) return;
      const result = await this.step(environment, op).catch(async (error: unknown) => {
        // The step may have written the environment (a new step, resources): fail from what is stored now.
        const fresh = await this.ctx.store.platform.getEnvironment(environmentId);
        if (!fresh?.operation || fresh.operation.id !== op.id || fresh.operation.step === 'done') return 'stop' as const;
        return this.fail(fresh, fresh.operation, error);
      });
      if (result !== 'next') {
        if (result === 'wait') await this.refreshHealth(environment);
        return;
      }
    }
  }

  private meta(op: EnvironmentOperation): RequestMeta {
    return { requestId: op.requestId ?? 'environment-runner', now: Date.now() };
  }

  /** Writes the environment with `patch` (compare-and-set); undefined when another write came first. */
  private async save(environment: EnvironmentRecord, patch: Partial<EnvironmentRecord>, event?: { severity: 'INFO' | 'WARN' | 'ERROR'; message: string }): Promise<EnvironmentRecord | undefined> {
    const now = Date.now();
    const next: EnvironmentRecord = { ...environment, ...patch, updatedAt: now, version: environment.version + 1 };
    return this.ctx.store.transaction(async (tx) => {
      if (!(await tx.platform.replaceEnvironment(next))) return undefined;
      if (event) await environmentEvent(tx, next, event.severity, event.message, { now, requestId: next.operation?.requestId ?? null, versionLabel: next.operation?.versionLabel ?? null });
      return next;
    });
  }

  private async moveTo(environment: EnvironmentRecord, op: EnvironmentOperation, step: OperationStep, patch: Partial<EnvironmentOperation> = {}, extra: Partial<EnvironmentRecord> = {}, event?: { severity: 'INFO' | 'WARN' | 'ERROR'; message: string }): Promise<StepResult> {
    const saved = await this.save(environment, { ...extra, operation: { ...op, ...patch, step } }, event);
    return saved ? 'next' : 'stop';
  }

  private async step(environment: EnvironmentRecord, op: EnvironmentOperation): Promise<StepResult> {
    switch (op.step) {
      case 'build':
        await this.runnableOf(environment, op);
        return this.moveTo(environment, op, 'define');
      case 'define':
        return this.define(environment, op);
      case 'route':
        return this.route(environment, op);
      case 'serve':
        return this.serve(environment, op);
      case 'wait':
        return this.waitForService(environment, op);
      case 'abort':
        return this.abort(environment, op);
      case 'restore':
        return this.restore(environment, op);
      case 'retire':
        return this.retire(environment, op);
      case 'done':
        return 'wait';
    }
  }

  /** The environment's configuration for the operation's version (all layers, validated). */
  private async configOf(environment: EnvironmentRecord, op: EnvironmentOperation): Promise<{ config: EnvironmentConfig; portGiven: boolean }> {
    const version = await this.ctx.store.platform.getVersion(environment.applicationName, op.versionLabel ?? '');
    if (!version) throw wharfError('WHARF_E_VERSION_NOT_FOUND', { application: environment.applicationName, versionLabel: op.versionLabel ?? '' });
    const template = environment.templateName ? await this.ctx.store.platform.getTemplate(environment.applicationName, environment.templateName) : undefined;
    const layers = layersOf(environment, version, template);
    const { config, effective } = resolveConfig(layers, { tier: environment.tier });
    const portGiven = [...layers.api, ...layers.saved, ...layers.ebextensions].some((s) => s.Namespace === 'aws:elasticbeanstalk:environment:process:default' && s.OptionName === 'Port');
    void effective;
    return { config, portGiven };
  }

  /** The version's runnable: read from its build folder, or built now (once per version, shared by every environment). */
  private async runnableOf(environment: EnvironmentRecord, op: EnvironmentOperation): Promise<Runnable> {
    const label = op.versionLabel ?? '';
    const dir = versionDir(this.ctx.root, environment.applicationName, label);
    const file = path.join(dir, RUNNABLE_FILE);
    const saved = await readFile(file, 'utf8').then((text) => JSON.parse(text) as Runnable, () => undefined);
    if (saved) return saved;
    const key = `${environment.applicationName}\0${label}`;
    let build = this.builds.get(key);
    if (!build) {
      build = (async () => {
        const version = await this.ctx.store.platform.getVersion(environment.applicationName, label);
        if (!version) throw wharfError('WHARF_E_VERSION_NOT_FOUND', { application: environment.applicationName, versionLabel: label });
        const { config } = await this.configOf(environment, op);
        // An event only: the environment record is not written here, so the step's own writes keep their compare-and-set.
        await environmentEvent(this.ctx.store, environment, 'INFO', `Building version ${label} (${version.platform}).`, { now: Date.now(), requestId: op.requestId, versionLabel: label });
        const buildDir = path.join(dir, 'build');
        await rm(buildDir, { recursive: true, force: true });
        const runnable = await buildVersion({
          sourceDir: path.join(dir, 'source'),
          buildDir,
          platform: version.platform,
          imageTag: imageTagFor(environment.applicationName, label),
          ...(version.platform === 'docker' ? { docker: this.ctx.docker() } : {}),
          environment: config.environmentVariables,
          owner: this.ctx.taskUser,
          log: this.o.log.child({ application: environment.applicationName, version: label }),
          signal: this.aborting.signal,
        });
        await writePrivateFile(file, JSON.stringify(runnable));
        return runnable;
      })().finally(() => this.builds.delete(key));
      this.builds.set(key, build);
    }
    return build;
  }

  /** define: registers the task definition revision of this version with this configuration. */
  private async define(environment: EnvironmentRecord, op: EnvironmentOperation): Promise<StepResult> {
    const runnable = await this.runnableOf(environment, op);
    const { config, portGiven } = await this.configOf(environment, op);
    const port = containerPort(runnable, config, portGiven);
    const request = taskDefinitionFor({
      environment,
      versionLabel: op.versionLabel ?? '',
      runnable,
      config,
      port,
      ...(environment.resources.instancePort !== null ? { hostPort: environment.resources.instancePort } : {}),
    });
    const { taskDefinition } = await registerTaskDefinition(this.ctx.store, this.ctx.arnScope, request, this.meta(op));
    const ref = `${taskDefinition.family}:${taskDefinition.revision}`;
    const next: OperationStep = environment.resources.instancePort === null ? 'route' : 'serve';
    return this.moveTo(environment, op, next, { taskDefinition: ref });
  }

  /** route: the target group and the host rule on the public listener (load-balanced environments). */
  private async route(environment: EnvironmentRecord, op: EnvironmentOperation): Promise<StepResult> {
    const lb = this.ctx.loadBalancing;
    const meta = this.meta(op);
    const runnable = await this.runnableOf(environment, op);
    const { config, portGiven } = await this.configOf(environment, op);
    const port = containerPort(runnable, config, portGiven);
    const listeners = await this.ctx.store.loadBalancing.listeners();
    let listener = listeners.find((l) => l.port === PUBLIC_LISTENER_PORT);
    if (!listener) {
      const created = await createListener(lb, { Port: PUBLIC_LISTENER_PORT, Protocol: 'HTTP', DefaultActions: [NO_APPLICATION] } as Parameters<typeof createListener>[1], meta).catch(async (error: unknown) => {
        if (error instanceof WharfError && error.code === 'WHARF_E_LISTENER_EXISTS') return undefined;
        throw error;
      });
      listener = (await this.ctx.store.loadBalancing.listeners()).find((l) => l.port === PUBLIC_LISTENER_PORT);
      void created;
    }
    if (!listener) throw new Error('the public listener could not be created');
    const name = resourceNames(environment.environmentId).targetGroupName;
    let group = (await this.ctx.store.loadBalancing.targetGroups()).find((g) => g.name === name);
    if (!group) {
      await createTargetGroup(lb, targetGroupFor(environment.environmentId, config, port) as Parameters<typeof createTargetGroup>[1], meta);
      group = (await this.ctx.store.loadBalancing.targetGroups()).find((g) => g.name === name);
    }
    if (!group) throw new Error(`target group ${name} could not be created`);
    await this.alignTargetGroup(environment, group, config, port, meta);
    const rules = await this.ctx.store.loadBalancing.rules();
    let rule = rules.find((r) => r.action.type === 'forward' && r.action.targetGroups.some((t) => t.targetGroupArn === group.arn));
    if (!rule) {
      const used = new Set(rules.filter((r) => r.listenerArn === listener.arn).map((r) => r.priority));
      let priority = 1;
      while (used.has(priority)) priority += 1;
      await createRule(
        lb,
        {
          ListenerArn: listener.arn,
          Priority: priority,
          Conditions: [{ Field: 'host-header', Values: [environmentHost(environment.cname, this.ctx.domain)] }],
          Actions: [{ Type: 'forward', TargetGroupArn: group.arn }],
        } as Parameters<typeof createRule>[1],
        meta,
      );
      rule = (await this.ctx.store.loadBalancing.rules()).find((r) => r.action.type === 'forward' && r.action.targetGroups.some((t) => t.targetGroupArn === group.arn));
    }
    return this.moveTo(environment, op, 'serve', {}, { resources: { ...environment.resources, targetGroupArn: group.arn, ruleArn: rule?.arn ?? null } });
  }

  /** serve: creates the service, or moves it to the new revision; sets its scaling bounds. */
  private async serve(environment: EnvironmentRecord, op: EnvironmentOperation): Promise<StepResult> {
    const meta = this.meta(op);
    const { cluster, serviceName, targetGroupArn } = environment.resources;
    const runnable = await this.runnableOf(environment, op);
    const { config, portGiven } = await this.configOf(environment, op);
    const port = containerPort(runnable, config, portGiven);
    const taskDefinition = op.taskDefinition ?? '';
    const existing = await this.ctx.store.services.get(cluster, serviceName);
    const driver = runnable.kind === 'image' ? 'docker' : 'process';
    const desired = desiredCountFor(config);
    if (!existing || existing.status === 'INACTIVE') {
      await createService(
        this.ctx.services,
        {
          cluster,
          serviceName,
          taskDefinition,
          desiredCount: desired,
          schedulingStrategy: 'REPLICA',
          deploymentConfiguration: deploymentConfigurationFor(config),
          healthCheckGracePeriodSeconds: 0,
          loadBalancers: targetGroupArn ? [{ targetGroupArn, containerName: APP_CONTAINER, containerPort: port }] : [],
          placementConstraints: [{ type: 'memberOf', expression: `attribute:wharf.driver == ${driver}` }],
          placementStrategy: [{ type: 'spread', field: 'instanceId' }],
        } as Parameters<typeof createService>[1],
        meta,
        { deploymentPolicy: deploymentPolicyFor(config) },
      );
    } else {
      // A new instance size follows the rolling update instead of the deployment policy (rolloutPolicyFor).
      const deploymentPolicy = rolloutPolicyFor(config, await this.servingDefinitions(cluster, serviceName), await this.definitionOf(taskDefinition));
      const sameRevision = (await this.ctx.store.taskSets.forService(cluster, serviceName)).some((s) => s.status === 'PRIMARY' && `${s.family}:${s.revision}` === taskDefinition);
      const force = op.kind === 'restart' || op.kind === 'rebuild';
      // Scaling may have moved the count within MinSize..MaxSize; keep it there, as an Auto Scaling group does.
      const count = config.environmentType === 'SingleInstance' ? 1 : Math.min(config.maxSize, Math.max(config.minSize, existing.desiredCount));
      if (!sameRevision || force || count !== existing.desiredCount) {
        await updateService(
          this.ctx.services,
          {
            cluster,
            service: serviceName,
            ...(sameRevision && !force ? {} : { taskDefinition }),
            desiredCount: count,
            deploymentConfiguration: deploymentConfigurationFor(config),
            ...(force && sameRevision ? { forceNewDeployment: true } : {}),
          } as Parameters<typeof updateService>[1],
          meta,
          { deploymentPolicy },
        );
      }
    }
    if (config.environmentType === 'LoadBalanced') await this.scaling(environment, config, meta);
    const [latest] = await this.ctx.store.deployments.forService(cluster, serviceName, 1);
    return this.moveTo(environment, op, 'wait', { serviceDeploymentId: latest?.id ?? null }, {}, { severity: 'INFO', message: op.kind === 'create' ? 'Launching instances.' : 'Deploying new version to instance(s).' });
  }

  /** The task definitions of the service's sets still serving (live, with a target). */
  private async servingDefinitions(cluster: string, serviceName: string): Promise<RegisterTaskDefinitionRequest[]> {
    const serving = (await this.ctx.store.taskSets.forService(cluster, serviceName)).filter((s) => s.status !== 'INACTIVE' && s.targetCount > 0);
    const records = await Promise.all(serving.map((s) => this.ctx.store.taskDefinitions.get(s.family, s.revision)));
    return records.flatMap((record) => (record ? [record.definition] : []));
  }

  /** The definition of a registered `family:revision` (undefined when it names none). */
  private async definitionOf(ref: string): Promise<RegisterTaskDefinitionRequest | undefined> {
    const at = ref.lastIndexOf(':');
    const revision = Number(ref.slice(at + 1));
    if (at <= 0 || !Number.isInteger(revision)) return undefined;
    return (await this.ctx.store.taskDefinitions.get(ref.slice(0, at), revision))?.definition;
  }

  /** aws:autoscaling:asg bounds as a scalable target; a CPU or request-count trigger as a target-tracking policy. */
  private async scaling(environment: EnvironmentRecord, config: EnvironmentConfig, meta: RequestMeta): Promise<void> {
    const { cluster, serviceName, targetGroupArn } = environment.resources;
    const resourceId = `service/${cluster}/${serviceName}`;
    await registerScalableTarget(
      this.ctx.autoScaling,
      { ServiceNamespace: 'ecs', ResourceId: resourceId, ScalableDimension: 'ecs:service:DesiredCount', MinCapacity: config.minSize, MaxCapacity: config.maxSize } as Parameters<typeof registerScalableTarget>[1],
      meta,
    );
    const trigger = config.trigger;
    const metric = trigger.measureName === 'CPUUtilization' ? 'ECSServiceAverageCPUUtilization' : trigger.measureName === 'RequestCount' ? 'ALBRequestCountPerTarget' : undefined;
    if (!metric) return;
    const group = targetGroupArn ? (await this.ctx.store.loadBalancing.targetGroups()).find((g) => g.arn === targetGroupArn) : undefined;
    await putScalingPolicy(
      this.ctx.autoScaling,
      {
        PolicyName: 'eb-trigger',
        ServiceNamespace: 'ecs',
        ResourceId: resourceId,
        ScalableDimension: 'ecs:service:DesiredCount',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          // EB scales out above UpperThreshold and in below LowerThreshold; target tracking aims between.
          TargetValue: Math.max(1, (trigger.upperThreshold + trigger.lowerThreshold) / 2),
          PredefinedMetricSpecification: { PredefinedMetricType: metric, ...(metric === 'ALBRequestCountPerTarget' && group ? { ResourceLabel: group.name } : {}) },
          ScaleOutCooldown: config.cooldownSeconds,
          ScaleInCooldown: config.cooldownSeconds,
          DisableScaleIn: false,
        },
      } as Parameters<typeof putScalingPolicy>[1],
      meta,
    );
  }

  /** wait: until the service's deployment completes (Ready), fails or rolls back, or the command times out. */
  private async waitForService(environment: EnvironmentRecord, op: EnvironmentOperation): Promise<StepResult> {
    const { cluster, serviceName } = environment.resources;
    const deployment = op.serviceDeploymentId === null ? undefined : await this.ctx.store.deployments.get(cluster, serviceName, op.serviceDeploymentId);
    const { config } = await this.configOf(environment, op);
    if (!deployment || deployment.status === 'COMPLETED') {
      const health = await currentHealth(this.ctx, { ...environment, status: 'Ready', versionLabel: op.versionLabel }, Date.now());
      const message =
        op.kind === 'create'
          ? 'createEnvironment completed successfully.'
          : op.kind === 'deploy'
            ? 'New application version was deployed to running instances. Environment update completed successfully.'
            : op.kind === 'restart'
              ? 'restartAppServer completed successfully.'
              : 'Environment update completed successfully.';
      return this.moveTo(
        environment,
        op,
        'done',
        {},
        { status: environmentTransition(environment.status, 'Ready'), versionLabel: op.versionLabel, health: health.health, healthStatus: health.healthStatus, causes: health.causes },
        { severity: 'INFO', message },
      );
    }
    if (deployment.status === 'IN_PROGRESS') {
      if (Date.now() - op.startedAt > config.command.timeoutSeconds * 1000) {
        return this.fail(environment, op, new Error(`the deployment did not finish within the command timeout of ${config.command.timeoutSeconds} s (aws:elasticbeanstalk:command Timeout)`));
      }
      return 'wait';
    }
    // A failed deployment that rolls back ends the operation once the rollback is done, so the
    // environment is never Ready while two versions serve.
    const [newest] = await this.ctx.store.deployments.forService(cluster, serviceName, 1);
    const rollback = newest?.rollbackOf === deployment.id ? newest : undefined;
    if (rollback?.status === 'IN_PROGRESS' && Date.now() - op.startedAt <= config.command.timeoutSeconds * 1000) return 'wait';
    const reason = deployment.reason || `the service deployment ended ${deployment.status}`;
    return this.fail(environment, op, new Error(rollback?.status === 'COMPLETED' ? `${reason} It was rolled back to the previous version.` : reason));
  }

  /**
   * abort (AbortEnvironmentUpdate): the service returns to its previous task set with the
   * service settings of the previous configuration (already restored on the environment by the
   * request), and the scaling bounds follow.
   */
  private async abort(environment: EnvironmentRecord, op: EnvironmentOperation): Promise<StepResult> {
    const meta = this.meta(op);
    const { cluster, serviceName } = environment.resources;
    const { config } = await this.configOf(environment, { ...op, versionLabel: environment.versionLabel });
    const service = await this.ctx.store.services.get(cluster, serviceName);
    let deploymentId: number | null = null;
    if (service && service.status === 'ACTIVE' && op.taskDefinition) {
      // Scaling may have moved the count within MinSize..MaxSize; keep it there, as serve does.
      const desiredCount = config.environmentType === 'SingleInstance' ? 1 : Math.min(config.maxSize, Math.max(config.minSize, service.desiredCount));
      const aborted = await abortRollout(
        this.ctx.services,
        { cluster, serviceName, revision: op.taskDefinition, restore: { desiredCount, deploymentConfiguration: deploymentConfigurationFor(config), deploymentPolicy: deploymentPolicyFor(config) } },
        meta,
      );
      deploymentId = aborted.deploymentId;
      if (config.environmentType === 'LoadBalanced') await this.scaling(environment, config, meta);
    }
    return this.moveTo(environment, op, 'restore', { serviceDeploymentId: deploymentId }, {}, { severity: 'INFO', message: `Rolling back to version ${environment.versionLabel ?? '(none)'}.` });
  }

  /** restore: until the service's rollback completes; then Ready on the previous version, the operation ended as aborted. */
  private async restore(environment: EnvironmentRecord, op: EnvironmentOperation): Promise<StepResult> {
    const { cluster, serviceName } = environment.resources;
    const deployment = op.serviceDeploymentId === null ? undefined : await this.ctx.store.deployments.get(cluster, serviceName, op.serviceDeploymentId);
    const label = environment.versionLabel ?? '(none)';
    if (!deployment || deployment.status === 'COMPLETED') {
      const health = await currentHealth(this.ctx, { ...environment, status: 'Ready' }, Date.now());
      return this.moveTo(
        environment,
        op,
        'done',
        { failure: `aborted (AbortEnvironmentUpdate); version ${label} and its previous settings are restored` },
        { status: environmentTransition(environment.status, 'Ready'), health: health.health, healthStatus: health.healthStatus, causes: health.causes },
        { severity: 'WARN', message: `Environment update aborted: version ${label} and its previous settings are restored.` },
      );
    }
    if (deployment.status === 'IN_PROGRESS') {
      const { config } = await this.configOf(environment, { ...op, versionLabel: environment.versionLabel });
      if (Date.now() - (op.abortedAt ?? op.startedAt) > config.command.timeoutSeconds * 1000) {
        return this.fail(environment, op, new Error(`the abort did not bring version ${label} back within the command timeout of ${config.command.timeoutSeconds} s`));
      }
      return 'wait';
    }
    if (deployment.status === 'SUPERSEDED') {
      // A newer deployment (a scaling change) took over the rollback: follow that one.
      const [latest] = await this.ctx.store.deployments.forService(cluster, serviceName, 1);
      if (latest && latest.id !== deployment.id) return this.moveTo(environment, op, 'restore', { serviceDeploymentId: latest.id });
    }
    return this.fail(environment, op, new Error(`the rollback to version ${label} ended ${deployment.status}: ${deployment.reason}`));
  }

  /** Ends the operation as failed: the environment is Ready on its previous version, with the reason in its events and health. */
  /** A configuration may move the health check or the deregistration delay: brings the environment's target group in line with `config`. */
  private async alignTargetGroup(environment: EnvironmentRecord, group: { arn: string; deregistrationDelaySeconds: number }, config: EnvironmentConfig, port: number, meta: RequestMeta): Promise<void> {
    const lb = this.ctx.loadBalancing;
    const { Name: _name, Protocol: _protocol, Port: _port, ...healthCheck } = targetGroupFor(environment.environmentId, config, port);
    await modifyTargetGroup(lb, { TargetGroupArn: group.arn, ...healthCheck }, meta);
    if (group.deregistrationDelaySeconds !== config.process.deregistrationDelaySeconds) {
      await modifyTargetGroupAttributes(lb, { TargetGroupArn: group.arn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: String(config.process.deregistrationDelaySeconds) }] }, meta);
    }
  }

  /**
   * A deployment that failed and rolled back: the target group's health check and deregistration
   * delay go back to those of the version the environment keeps (the new version's .ebextensions
   * may have moved them when its route step ran).
   */
  private async restoreTargetGroup(environment: EnvironmentRecord, op: EnvironmentOperation): Promise<void> {
    const arn = environment.resources.targetGroupArn;
    if (op.kind !== 'deploy' || !environment.versionLabel || !arn) return;
    const group = (await this.ctx.store.loadBalancing.targetGroups()).find((g) => g.arn === arn);
    if (!group) return;
    const kept = { ...op, versionLabel: environment.versionLabel };
    const { config, portGiven } = await this.configOf(environment, kept);
    await this.alignTargetGroup(environment, group, config, containerPort(await this.runnableOf(environment, kept), config, portGiven), this.meta(op));
  }

  private async fail(environment: EnvironmentRecord, op: EnvironmentOperation, error: unknown): Promise<StepResult> {
    const reason = error instanceof Error ? error.message : String(error);
    if (!(error instanceof WharfError)) this.o.log.warn({ err: error, environment: environment.environmentName, step: op.step }, 'environment operation failed');
    if (op.step === 'wait') {
      await this.restoreTargetGroup(environment, op).catch((restoreError: unknown) => this.o.log.warn({ err: restoreError, environment: environment.environmentName }, 'could not restore the target group of the kept version'));
    }
    if (op.kind === 'terminate') {
      // Terminating keeps trying: its steps are idempotent, and nothing else may use the resources.
      await this.save(environment, {}, { severity: 'WARN', message: `terminateEnvironment is retrying: ${reason}` });
      return 'wait';
    }
    const message =
      op.kind === 'create'
        ? `Create environment operation is complete, but with errors: ${reason}`
        : `Failed to deploy ${op.kind === 'deploy' ? `version ${op.versionLabel}` : 'the configuration'}: ${reason.replace(/\.$/, '')}. The environment keeps ${environment.versionLabel ? `version ${environment.versionLabel}` : 'no version'}.`;
    const saved = await this.save(environment, { status: environmentTransition(environment.status, 'Ready'), operation: { ...op, step: 'done', failure: reason } }, { severity: 'ERROR', message });
    return saved ? 'stop' : 'stop';
  }

  /** retire (terminate): routes go first, then the service and its tasks, then the target group and scaling. */
  private async retire(environment: EnvironmentRecord, op: EnvironmentOperation): Promise<StepResult> {
    const meta = this.meta(op);
    const { cluster, serviceName, targetGroupArn, ruleArn } = environment.resources;
    const rules = await this.ctx.store.loadBalancing.rules();
    if (ruleArn && rules.some((r) => r.arn === ruleArn)) await deleteRule(this.ctx.loadBalancing, { RuleArn: ruleArn }, meta);
    await this.ctx.store.autoScaling.deleteTarget(`service/${cluster}/${serviceName}`);
    const service = await this.ctx.store.services.get(cluster, serviceName);
    if (service?.status === 'ACTIVE') await deleteService(this.ctx.services, { cluster, service: serviceName, force: true } as Parameters<typeof deleteService>[1], meta);
    const after = await this.ctx.store.services.get(cluster, serviceName);
    if (after && after.status !== 'INACTIVE') return 'wait';
    if (targetGroupArn && (await this.ctx.store.loadBalancing.targetGroups()).some((g) => g.arn === targetGroupArn)) {
      await deleteTargetGroup(this.ctx.loadBalancing, { TargetGroupArn: targetGroupArn }, meta);
    }
    return this.moveTo(environment, op, 'done', {}, { status: environmentTransition(environment.status, 'Terminated'), health: 'Grey', healthStatus: 'NoData', causes: [] }, { severity: 'INFO', message: 'terminateEnvironment completed successfully.' });
  }

  /** Writes the environment's health when it changed, with an event when its status did. */
  private async refreshHealth(environment: EnvironmentRecord): Promise<void> {
    if (environment.status === 'Terminated') return;
    const health = await currentHealth(this.ctx, environment, Date.now());
    const same = health.healthStatus === environment.healthStatus && health.health === environment.health && health.causes.join('\n') === environment.causes.join('\n');
    if (same) return;
    const transition = health.healthStatus !== environment.healthStatus && environment.status !== 'Launching';
    const worse = ['Warning', 'Degraded', 'Severe'].includes(health.healthStatus);
    await this.save(
      environment,
      { health: health.health, healthStatus: health.healthStatus, causes: health.causes },
      transition
        ? { severity: worse ? 'WARN' : 'INFO', message: `Environment health has transitioned from ${environment.healthStatus} to ${health.healthStatus}.${health.causes.length > 0 ? ` ${health.causes.join(' ')}` : ''}` }
        : undefined,
    );
  }
}
