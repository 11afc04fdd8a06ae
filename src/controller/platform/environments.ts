/**
 * Environments' lifecycle through the API (Elastic Beanstalk's CreateEnvironment,
 * UpdateEnvironment, TerminateEnvironment, RestartAppServer, RebuildEnvironment,
 * CheckDNSAvailability). Each request is validated whole, then persists the environment with an
 * operation at its first step; the runner (runner.ts) carries the operation out. Nothing here
 * starts a task or writes a route.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { wharfError } from '../../model/errors.js';
import type { EnvironmentOperation, EnvironmentRecord, OperationKind, PlatformName } from '../../model/platform.js';
import { CNAME_PATTERN, environmentTransition, PLATFORMS } from '../../model/platform.js';
import type { Repositories } from '../../store/store.js';
import type { RequestMeta } from '../request.js';
import { requireApplication, requireVersion } from './applications.js';
import { PLATFORM_CLUSTER, resourceNames } from './compile.js';
import type { PlatformContext } from './context.js';
import { environmentEvent } from './context.js';
import { ebSolutionStackName, platformFromSolutionStack } from '../../model/solution-stack.js';
import { layersOf, mergeApiSettings, resolveConfig } from './settings.js';
import { environmentView } from './views.js';
import type {
  CheckDnsAvailabilityRequest,
  CreateEnvironmentRequest,
  EnvironmentRefRequest,
  EnvironmentView,
  TerminateEnvironmentRequest,
  UpdateEnvironmentRequest,
} from '../../model/api/platform.js';
import { cnameSchema, environmentNameSchema } from '../../model/api/platform.js';

/** A name from env.yaml goes through the same rules as one given through the API. */
function parseEnvironmentName(name: string): string {
  const parsed = environmentNameSchema.safeParse(name);
  if (parsed.success) return parsed.data;
  throw wharfError('WHARF_E_VALIDATION', { summary: `EnvironmentName: ${parsed.error.issues[0]?.message ?? 'invalid'}` }, { errors: [{ field: 'EnvironmentName', message: parsed.error.issues[0]?.message ?? 'invalid' }] });
}

function parseCname(prefix: string): string {
  const parsed = cnameSchema.safeParse(prefix);
  if (parsed.success) return parsed.data;
  throw wharfError('WHARF_E_VALIDATION', { summary: `CNAMEPrefix: ${parsed.error.issues[0]?.message ?? 'invalid'}` }, { errors: [{ field: 'CNAMEPrefix', message: parsed.error.issues[0]?.message ?? 'invalid' }] });
}

/** The live environment a request names (by id, else by name), or WHARF_E_ENVIRONMENT_NOT_FOUND. */
export async function requireEnvironment(repos: Pick<Repositories, 'platform'>, ref: { EnvironmentId?: string | undefined; EnvironmentName?: string | undefined }): Promise<EnvironmentRecord> {
  const found = ref.EnvironmentId ? await repos.platform.getEnvironment(ref.EnvironmentId) : await repos.platform.findLiveEnvironment({ environmentName: ref.EnvironmentName ?? '' });
  if (!found || found.status === 'Terminated') throw wharfError('WHARF_E_ENVIRONMENT_NOT_FOUND', { environment: ref.EnvironmentId ?? ref.EnvironmentName ?? '' });
  return found;
}

/** `e-` and 10 lower-case letters and digits, as EB's. */
function newEnvironmentId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return `e-${Array.from(randomBytes(10), (b) => alphabet[b % alphabet.length]).join('')}`;
}

/** A port the OS says is free now, for a SingleInstance environment's fixed address. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The platform a request names (SolutionStackName, PlatformArn or a template), else the version's. */
function platformFor(named: string | undefined, detected: PlatformName): PlatformName {
  if (!named) return detected;
  const platform = platformFromSolutionStack(named);
  if (!platform) throw wharfError('WHARF_E_VALIDATION', { summary: `SolutionStackName: ${named} is not a platform Wharf runs (${PLATFORMS.join(', ')})` }, { errors: [{ field: 'SolutionStackName', message: `use one of ${PLATFORMS.join(', ')}` }] });
  if (platform !== detected) {
    throw wharfError('WHARF_E_VALIDATION', { summary: `SolutionStackName: the platform is ${platform}, but the version's bundle is a ${detected} application` }, { errors: [{ field: 'SolutionStackName', message: `the bundle is ${detected}` }] });
  }
  return platform;
}

function newOperation(id: number, kind: OperationKind, versionLabel: string | null, meta: RequestMeta): EnvironmentOperation {
  return { id, kind, step: kind === 'terminate' ? 'retire' : 'build', versionLabel, serviceDeploymentId: null, taskDefinition: null, startedAt: meta.now, failure: null, requestId: meta.requestId };
}

/**
 * CreateEnvironment: validates names, the version, the platform and every settings layer, then
 * persists the environment as Launching with a `create` operation. Worker environments are not
 * supported yet (their own issue).
 */
export async function createEnvironment(ctx: PlatformContext, input: CreateEnvironmentRequest, meta: RequestMeta): Promise<EnvironmentView> {
  await requireApplication(ctx, input.ApplicationName);
  const manifest = (await requireVersion(ctx, input.ApplicationName, input.VersionLabel)).manifest;
  // The version's env.yaml fills in what the request leaves out (the request wins).
  const request = {
    ...input,
    EnvironmentName: input.EnvironmentName ?? manifest?.environmentName,
    CNAMEPrefix: input.CNAMEPrefix ?? manifest?.cname,
    Tier: input.Tier ?? (manifest?.tier ? { Name: manifest.tier } : undefined),
    SolutionStackName: input.SolutionStackName ?? (input.PlatformArn || input.TemplateName ? undefined : manifest?.platform),
    Tags: [...Object.entries(manifest?.tags ?? {}).map(([Key, Value]) => ({ Key, Value })), ...(input.Tags ?? [])],
  };
  if (!request.EnvironmentName) {
    throw wharfError('WHARF_E_VALIDATION', { summary: 'EnvironmentName: name the environment (or give one in the bundle\'s env.yaml)' }, { errors: [{ field: 'EnvironmentName', message: 'required unless env.yaml names the environment' }] });
  }
  const environmentName = parseEnvironmentName(request.EnvironmentName);
  const cnamePrefix = request.CNAMEPrefix === undefined ? undefined : parseCname(request.CNAMEPrefix);
  if (request.Tier?.Name === 'Worker') throw wharfError('WHARF_E_NOT_YET_SUPPORTED', { field: 'Tier.Name', format: 'Elastic Beanstalk CreateEnvironment', reason: 'worker environments (a queue and cron) are not supported yet; create a WebServer environment' });
  await requireApplication(ctx, request.ApplicationName);
  const version = await requireVersion(ctx, request.ApplicationName, request.VersionLabel);
  const template = request.TemplateName ? await ctx.store.platform.getTemplate(request.ApplicationName, request.TemplateName) : undefined;
  if (request.TemplateName && !template) throw wharfError('WHARF_E_TEMPLATE_NOT_FOUND', { application: request.ApplicationName, template: request.TemplateName });
  const platform = platformFor(request.SolutionStackName ?? request.PlatformArn ?? template?.platform ?? undefined, version.platform);
  // What EB answers as SolutionStackName: the name given, or the saved configuration's.
  const solutionStackName = request.SolutionStackName !== undefined ? ebSolutionStackName(request.SolutionStackName) : request.PlatformArn === undefined ? template?.solutionStackName : undefined;
  const apiSettings = mergeApiSettings([], request.OptionSettings);
  const { config } = resolveConfig(layersOf({ optionSettings: apiSettings }, version, template), { tier: 'WebServer' });

  const environmentId = newEnvironmentId();
  const names = resourceNames(environmentId);
  const cname = (cnamePrefix ?? (await defaultCname(ctx, environmentName))).toLowerCase();
  const record: EnvironmentRecord = {
    environmentId,
    environmentName,
    applicationName: request.ApplicationName,
    description: request.Description ?? '',
    cname,
    tier: 'WebServer',
    platform,
    ...(solutionStackName ? { solutionStackName } : {}),
    versionLabel: null,
    optionSettings: apiSettings,
    templateName: request.TemplateName ?? null,
    status: 'Launching',
    health: 'Grey',
    healthStatus: 'Pending',
    causes: [],
    operation: newOperation(1, 'create', request.VersionLabel, meta),
    resources: {
      cluster: PLATFORM_CLUSTER,
      serviceName: names.serviceName,
      taskDefinitionFamily: names.family,
      targetGroupArn: null,
      ruleArn: null,
      instancePort: config.environmentType === 'SingleInstance' ? await freePort() : null,
    },
    tags: Object.fromEntries(request.Tags.map((t) => [t.Key, t.Value])),
    createdAt: meta.now,
    updatedAt: meta.now,
    version: 1,
  };
  await ctx.store.transaction(async (tx) => {
    const named = await tx.platform.findLiveEnvironment({ environmentName: record.environmentName });
    if (named) throw wharfError('WHARF_E_ENVIRONMENT_EXISTS', { environment: record.environmentName });
    const holder = await tx.platform.findLiveEnvironment({ cname: record.cname });
    if (holder) throw wharfError('WHARF_E_CNAME_TAKEN', { cname: record.cname, environment: holder.environmentName });
    await tx.platform.insertEnvironment(record);
    await environmentEvent(tx, record, 'INFO', 'createEnvironment is starting.', { ...meta, versionLabel: request.VersionLabel });
  });
  ctx.wake();
  return environmentView(ctx, record);
}

/** The environment's name as CNAME prefix when it is free, else the name and a random suffix (as EB). */
async function defaultCname(ctx: PlatformContext, environmentName: string): Promise<string> {
  const base = environmentName.toLowerCase();
  if (!(await ctx.store.platform.findLiveEnvironment({ cname: base }))) return base;
  return `${base.slice(0, 52)}-${randomBytes(4).toString('hex')}`;
}

/** Refuses a change while an operation runs (EB's OperationInProgress). */
function requireReady(environment: EnvironmentRecord): void {
  if (environment.status !== 'Ready') {
    throw wharfError('WHARF_E_OPERATION_IN_PROGRESS', { environment: environment.environmentName, status: environment.status, operation: environment.operation?.kind ?? 'an operation' });
  }
}

/** Writes `next` over `current` (compare-and-set) with an event; a lost race is an operation in progress. */
async function replaceWith(tx: Repositories, current: EnvironmentRecord, next: EnvironmentRecord): Promise<void> {
  if (!(await tx.platform.replaceEnvironment(next))) {
    throw wharfError('WHARF_E_OPERATION_IN_PROGRESS', { environment: current.environmentName, status: current.status, operation: 'another change' });
  }
}

/**
 * UpdateEnvironment: a new version (a `deploy` operation), new option settings or a saved
 * configuration (a `configure` operation), or only the description (applied at once). The
 * environment must be Ready; the tier and the environment type cannot change.
 */
export async function updateEnvironment(ctx: PlatformContext, request: UpdateEnvironmentRequest, meta: RequestMeta): Promise<EnvironmentView> {
  const current = await requireEnvironment(ctx.store, request);
  if (request.Tier && request.Tier.Name !== current.tier) throw wharfError('WHARF_E_VALIDATION', { summary: `Tier: an environment's tier cannot change (it is ${current.tier})` }, { errors: [{ field: 'Tier.Name', message: 'the tier cannot change; create another environment' }] });
  const changesSomething = request.VersionLabel !== undefined || request.OptionSettings !== undefined || request.OptionsToRemove !== undefined || request.TemplateName !== undefined;
  if (!changesSomething) {
    const next = { ...current, description: request.Description ?? current.description, updatedAt: meta.now, version: current.version + 1 };
    await ctx.store.transaction((tx) => replaceWith(tx, current, next));
    return environmentView(ctx, next);
  }
  requireReady(current);
  const versionLabel = request.VersionLabel ?? current.versionLabel ?? current.operation?.versionLabel;
  if (!versionLabel) throw wharfError('WHARF_E_VERSION_NOT_FOUND', { application: current.applicationName, versionLabel: '(none deployed)' });
  const version = await requireVersion(ctx, current.applicationName, versionLabel);
  if (version.platform !== current.platform) {
    throw wharfError('WHARF_E_VALIDATION', { summary: `VersionLabel: version ${versionLabel} is a ${version.platform} application, the environment runs ${current.platform}` }, { errors: [{ field: 'VersionLabel', message: `deploy a ${current.platform} version` }] });
  }
  const templateName = request.TemplateName ?? current.templateName;
  const template = templateName ? await ctx.store.platform.getTemplate(current.applicationName, templateName) : undefined;
  if (templateName && !template) throw wharfError('WHARF_E_TEMPLATE_NOT_FOUND', { application: current.applicationName, template: templateName });
  const apiSettings = mergeApiSettings(current.optionSettings, request.OptionSettings, request.OptionsToRemove);
  const { config } = resolveConfig(layersOf({ optionSettings: apiSettings }, version, template), { tier: current.tier });
  const wasSingle = current.resources.instancePort !== null;
  if ((config.environmentType === 'SingleInstance') !== wasSingle) {
    throw wharfError('WHARF_E_NOT_YET_SUPPORTED', {
      field: 'aws:elasticbeanstalk:environment EnvironmentType',
      format: 'Elastic Beanstalk UpdateEnvironment',
      reason: 'changing between LoadBalanced and SingleInstance is not supported yet; clone the environment with the other type and swap',
    });
  }
  const kind: OperationKind = request.VersionLabel !== undefined ? 'deploy' : 'configure';
  const next: EnvironmentRecord = {
    ...current,
    description: request.Description ?? current.description,
    optionSettings: apiSettings,
    templateName,
    status: environmentTransition(current.status, 'Updating'),
    // What AbortEnvironmentUpdate returns to.
    operation: { ...newOperation((current.operation?.id ?? 0) + 1, kind, versionLabel, meta), previous: { optionSettings: current.optionSettings, templateName: current.templateName } },
    updatedAt: meta.now,
    version: current.version + 1,
  };
  await ctx.store.transaction(async (tx) => {
    await replaceWith(tx, current, next);
    await environmentEvent(tx, next, 'INFO', 'Environment update is starting.', { ...meta, versionLabel });
  });
  ctx.wake();
  return environmentView(ctx, next);
}

/** Starts an operation that replaces the environment's tasks with the same version and settings. */
async function replaceTasks(ctx: PlatformContext, ref: EnvironmentRefRequest, kind: 'restart' | 'rebuild', message: string, meta: RequestMeta): Promise<EnvironmentView> {
  const current = await requireEnvironment(ctx.store, ref);
  requireReady(current);
  const next: EnvironmentRecord = {
    ...current,
    status: environmentTransition(current.status, 'Updating'),
    operation: newOperation((current.operation?.id ?? 0) + 1, kind, current.versionLabel, meta),
    updatedAt: meta.now,
    version: current.version + 1,
  };
  await ctx.store.transaction(async (tx) => {
    await replaceWith(tx, current, next);
    await environmentEvent(tx, next, 'INFO', message, { ...meta, versionLabel: current.versionLabel });
  });
  ctx.wake();
  return environmentView(ctx, next);
}

/** RestartAppServer: the app restarts on every instance (new tasks of the same revision, AllAtOnce). */
export async function restartAppServer(ctx: PlatformContext, request: EnvironmentRefRequest, meta: RequestMeta): Promise<Record<string, never>> {
  await replaceTasks(ctx, request, 'restart', 'restartAppServer is starting.', meta);
  return {};
}

/** RebuildEnvironment: every task is replaced (Wharf's instances are its tasks). */
export async function rebuildEnvironment(ctx: PlatformContext, request: EnvironmentRefRequest, meta: RequestMeta): Promise<Record<string, never>> {
  await replaceTasks(ctx, request, 'rebuild', 'rebuildEnvironment is starting.', meta);
  return {};
}

/**
 * TerminateEnvironment: allowed in any live state (it supersedes an operation in progress). The
 * runner removes the service and its tasks, the rule, the target group and the scalable target.
 */
export async function terminateEnvironment(ctx: PlatformContext, request: TerminateEnvironmentRequest, meta: RequestMeta): Promise<EnvironmentView> {
  if (request.TerminateResources === false) {
    throw wharfError('WHARF_E_NOT_YET_SUPPORTED', { field: 'TerminateResources', format: 'Elastic Beanstalk TerminateEnvironment', reason: 'an environment always takes its tasks and routes with it' });
  }
  const current = await requireEnvironment(ctx.store, request);
  if (current.status === 'Terminating') return environmentView(ctx, current);
  const next: EnvironmentRecord = {
    ...current,
    status: environmentTransition(current.status, 'Terminating'),
    operation: newOperation((current.operation?.id ?? 0) + 1, 'terminate', current.versionLabel, meta),
    updatedAt: meta.now,
    version: current.version + 1,
  };
  await ctx.store.transaction(async (tx) => {
    if (!(await tx.platform.replaceEnvironment(next))) throw wharfError('WHARF_E_OPERATION_IN_PROGRESS', { environment: current.environmentName, status: current.status, operation: 'another change' });
    await environmentEvent(tx, next, 'INFO', 'terminateEnvironment is starting.', meta);
  });
  ctx.wake();
  return environmentView(ctx, next);
}

/** CheckDNSAvailability: whether a CNAME prefix is free, and the host name it would have. */
export async function checkDnsAvailability(ctx: PlatformContext, request: CheckDnsAvailabilityRequest): Promise<{ Available: boolean; FullyQualifiedCNAME: string }> {
  const prefix = request.CNAMEPrefix.toLowerCase();
  const valid = CNAME_PATTERN.test(prefix);
  const taken = valid ? await ctx.store.platform.findLiveEnvironment({ cname: prefix }) : undefined;
  return { Available: valid && !taken, FullyQualifiedCNAME: `${prefix}.${ctx.domain}` };
}

/**
 * DescribeEnvironmentManagedActions and DescribeEnvironmentManagedActionHistory: Wharf makes no
 * managed platform updates (an environment runs the host's runtime, updated with the host), so
 * none is ever scheduled, running or done: the lists are empty, for an environment that exists.
 */
export async function describeManagedActions(ctx: PlatformContext, request: { EnvironmentId?: string | undefined; EnvironmentName?: string | undefined }): Promise<{ ManagedActions: [] }> {
  await requireEnvironment(ctx.store, request);
  return { ManagedActions: [] };
}

export async function describeManagedActionHistory(ctx: PlatformContext, request: { EnvironmentId?: string | undefined; EnvironmentName?: string | undefined }): Promise<{ ManagedActionHistoryItems: [] }> {
  await requireEnvironment(ctx.store, request);
  return { ManagedActionHistoryItems: [] };
}
