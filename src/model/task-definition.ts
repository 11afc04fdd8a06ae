/**
 * ECS task definitions: the RegisterTaskDefinition request schema, its cross-field rules, and the
 * normalised record Wharf stores and returns. A task definition written for AWS registers unchanged:
 * every valid ECS field is accepted and kept. Fields Wharf does not act on yet are reported (see
 * `unsupportedFields`) rather than dropped; `awsvpc` and `none` networking are refused for now.
 */
import { z } from 'zod';
import { boundedJson } from './validation.js';

/** ECS quota: containers per task definition. */
export const MAX_CONTAINERS = 10;
/**
 * ECS defaults for container health checks, seconds (retries a count). The one home of these
 * numbers: RegisterTaskDefinition's schema fills them in, so every stored definition's health check
 * is complete, and the agent and its drivers take them from the controller as they are.
 */
export const HEALTH_CHECK_DEFAULTS = { interval: 30, timeout: 5, retries: 3, startPeriod: 0 } as const;
/**
 * Seconds between SIGTERM and SIGKILL when a container definition gives no `stopTimeout` (ECS agent
 * default). The controller applies it when it builds the agent's task (compute/agents.ts); the agent
 * and its drivers never default it again.
 */
export const DEFAULT_STOP_TIMEOUT_SEC = 30;
/**
 * Seconds a container waits for its `dependsOn` conditions when its definition gives no
 * `startTimeout` (ECS agent default: 3 min). Applied where the controller builds the agent's task.
 */
export const DEFAULT_START_TIMEOUT_SEC = 180;
/** Largest stop timeout Wharf accepts, seconds (ECS on Fargate caps it at 120; EC2 sets no cap). */
export const MAX_STOP_TIMEOUT = 3600;

const NAME = /^[A-Za-z0-9_-]{1,255}$/;
const nameSchema = (what: string) => z.string().regex(NAME, `A ${what} has 1 to 255 letters, numbers, hyphens and underscores`);

export const ULIMIT_NAMES = ['core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice', 'nofile', 'nproc', 'rss', 'rtprio', 'rttime', 'sigpending', 'stack'] as const;
export const DEPENDENCY_CONDITIONS = ['START', 'COMPLETE', 'SUCCESS', 'HEALTHY'] as const;
export const NETWORK_MODES = ['bridge', 'host', 'awsvpc', 'none'] as const;
export const COMPATIBILITIES = ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'] as const;

/** `"1 vCPU"`, `"0.5 vcpu"` or an integer string/number of CPU units → CPU units as a string. */
const taskCpuSchema = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const text = String(value).trim();
  const vcpu = /^(\d+(?:\.\d+)?)\s*vcpu$/i.exec(text);
  const units = vcpu ? Math.round(Number(vcpu[1]) * 1024) : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(units) || units < 128 || units > 196608) {
    ctx.addIssue({ code: 'custom', message: 'Give cpu as CPU units from 128 to 196608 (1024 = 1 vCPU), or as "1 vCPU"' });
    return z.NEVER;
  }
  return String(units);
});

/** `"1GB"`, `"0.5 GB"` or an integer string/number of MiB → MiB as a string. */
const taskMemorySchema = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const text = String(value).trim();
  const gb = /^(\d+(?:\.\d+)?)\s*gb$/i.exec(text);
  const mib = gb ? Math.round(Number(gb[1]) * 1024) : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(mib) || mib < 4) {
    ctx.addIssue({ code: 'custom', message: 'Give memory as MiB (an integer of at least 4), or as "1 GB"' });
    return z.NEVER;
  }
  return String(mib);
});

const keyValuePair = z.object({ name: z.string().min(1), value: z.string() }).strict();

const tagSchema = z
  .object({
    key: z.string().min(1).max(128).refine((k) => !k.toLowerCase().startsWith('aws:'), 'Tag keys starting with "aws:" are reserved'),
    value: z.string().max(256).default(''),
  })
  .strict();

const portMappingSchema = z
  .object({
    containerPort: z.number().int().min(1).max(65535).optional(),
    hostPort: z.number().int().min(0).max(65535).optional(),
    protocol: z.enum(['tcp', 'udp']).default('tcp'),
    name: z.string().regex(/^[a-z0-9_-]{1,64}$/, 'A port mapping name has 1 to 64 lower-case letters, numbers, hyphens and underscores').optional(),
    appProtocol: z.enum(['http', 'http2', 'grpc']).optional(),
    containerPortRange: z.string().regex(/^\d+-\d+$/).optional(),
    hostPortRange: z.string().regex(/^\d+-\d+$/).optional(),
  })
  .strict();

const healthCheckSchema = z
  .object({
    command: z.array(z.string()).min(1, 'A health check needs a command, e.g. ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]'),
    interval: z.number().int().min(5).max(300).default(HEALTH_CHECK_DEFAULTS.interval),
    timeout: z.number().int().min(2).max(60).default(HEALTH_CHECK_DEFAULTS.timeout),
    retries: z.number().int().min(1).max(10).default(HEALTH_CHECK_DEFAULTS.retries),
    startPeriod: z.number().int().min(0).max(300).default(HEALTH_CHECK_DEFAULTS.startPeriod),
  })
  .strict()
  .transform((check) => {
    // ECS: the command starts with CMD (exec) or CMD-SHELL (shell); older docs say CMD when neither.
    const [first] = check.command;
    return first === 'CMD' || first === 'CMD-SHELL' ? check : { ...check, command: ['CMD', ...check.command] };
  })
  .refine((check) => check.command.length >= 2, { path: ['command'], message: 'The health check command is empty after CMD / CMD-SHELL' });

const ulimitSchema = z
  .object({ name: z.enum(ULIMIT_NAMES), softLimit: z.number().int().min(0), hardLimit: z.number().int().min(0) })
  .strict()
  .refine((u) => u.softLimit <= u.hardLimit, { path: ['softLimit'], message: 'softLimit must not exceed hardLimit' });

/**
 * Accepted and kept, not acted on yet; listed by `unsupportedFields`. Typed loosely on purpose, but
 * bounded in depth and size (boundedJson), as everything kept as given is.
 */
const opaque = boundedJson();

export const containerDefinitionSchema = z
  .object({
    name: nameSchema('container name'),
    image: z.string().min(1).max(255).regex(/^[A-Za-z0-9\-_:./#@]+$/, 'An image is letters, digits and - _ : . / # @, e.g. "nginx:1.27" or "wharf/process"'),
    essential: z.boolean().default(true),
    command: z.array(z.string()).optional(),
    entryPoint: z.array(z.string()).optional(),
    environment: z.array(keyValuePair).default([]),
    portMappings: z.array(portMappingSchema).max(100).default([]),
    cpu: z.number().int().min(0).max(262144).optional(),
    memory: z.number().int().min(4).optional(),
    memoryReservation: z.number().int().min(4).optional(),
    healthCheck: healthCheckSchema.optional(),
    dependsOn: z.array(z.object({ containerName: nameSchema('container name'), condition: z.enum(DEPENDENCY_CONDITIONS) }).strict()).optional(),
    startTimeout: z.number().int().min(1).max(3600).optional(),
    stopTimeout: z.number().int().min(1).max(MAX_STOP_TIMEOUT).optional(),
    workingDirectory: z.string().min(1).optional(),
    user: z.string().regex(/^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)?$/, 'user is user, user:group, uid or uid:gid').optional(),
    logConfiguration: z.object({ logDriver: z.string().min(1), options: z.record(z.string(), z.string()).optional(), secretOptions: z.array(opaque).optional() }).strict().optional(),
    ulimits: z.array(ulimitSchema).optional(),
    dockerLabels: z.record(z.string(), z.string()).optional(),
    // Valid ECS fields kept as given; see UNSUPPORTED_CONTAINER_FIELDS.
    repositoryCredentials: opaque.optional(),
    versionConsistency: z.enum(['enabled', 'disabled']).optional(),
    environmentFiles: z.array(opaque).optional(),
    secrets: z.array(opaque).optional(),
    restartPolicy: opaque.optional(),
    mountPoints: z.array(opaque).optional(),
    volumesFrom: z.array(opaque).optional(),
    links: z.array(z.string()).optional(),
    hostname: z.string().optional(),
    disableNetworking: z.boolean().optional(),
    privileged: z.boolean().optional(),
    readonlyRootFilesystem: z.boolean().optional(),
    dnsServers: z.array(z.string()).optional(),
    dnsSearchDomains: z.array(z.string()).optional(),
    extraHosts: z.array(opaque).optional(),
    dockerSecurityOptions: z.array(z.string()).optional(),
    interactive: z.boolean().optional(),
    pseudoTerminal: z.boolean().optional(),
    systemControls: z.array(opaque).optional(),
    resourceRequirements: z.array(opaque).optional(),
    firelensConfiguration: opaque.optional(),
    credentialSpecs: z.array(z.string()).optional(),
    linuxParameters: opaque.optional(),
  })
  .strict();

const taskDefinitionObject = z
  .object({
    family: nameSchema('family'),
    containerDefinitions: z.array(containerDefinitionSchema).min(1, 'A task definition needs at least one container').max(MAX_CONTAINERS, `At most ${MAX_CONTAINERS} containers per task definition`),
    taskRoleArn: z.string().min(1).optional(),
    executionRoleArn: z.string().min(1).optional(),
    networkMode: z.enum(NETWORK_MODES).default('bridge'),
    requiresCompatibilities: z.array(z.enum(COMPATIBILITIES)).optional(),
    cpu: taskCpuSchema.optional(),
    memory: taskMemorySchema.optional(),
    placementConstraints: z
      .array(z.object({ type: z.literal('memberOf', { message: 'Task definitions take only memberOf constraints' }), expression: z.string().min(1).max(2000) }).strict())
      .max(10)
      .default([]),
    tags: z.array(tagSchema).max(50).optional(),
    // Valid ECS fields kept as given; see UNSUPPORTED_TASK_FIELDS.
    volumes: z.array(opaque).optional(),
    pidMode: z.enum(['host', 'task']).optional(),
    ipcMode: z.enum(['host', 'task', 'none']).optional(),
    proxyConfiguration: opaque.optional(),
    ephemeralStorage: opaque.optional(),
    runtimePlatform: opaque.optional(),
    inferenceAccelerators: z.array(opaque).optional(),
    enableFaultInjection: z.boolean().optional(),
  })
  .strict();

/** Cross-field rules run once every field is valid on its own, so they can trust the shapes. */
export const registerTaskDefinitionRequestSchema = taskDefinitionObject.superRefine(checkTaskDefinition, { when: (payload) => payload.issues.length === 0 });

export type RegisterTaskDefinitionRequest = z.output<typeof registerTaskDefinitionRequestSchema>;
export type ContainerDefinition = RegisterTaskDefinitionRequest['containerDefinitions'][number];

/** The cross-field rules of ECS, each issue naming its field. */
function checkTaskDefinition(td: z.output<typeof taskDefinitionObject>, ctx: z.RefinementCtx): void {
  const containers = td.containerDefinitions;
  const issue = (path: (string | number)[], message: string): void => ctx.addIssue({ code: 'custom', path, message });

  if (td.networkMode === 'awsvpc' || td.networkMode === 'none') {
    issue(['networkMode'], `networkMode "${td.networkMode}" is not supported yet: Wharf runs bridge (the default, with dynamic host ports) and host networking. Use "bridge"`);
  }
  if (!containers.some((c) => c.essential)) issue(['containerDefinitions'], 'At least one container must be essential (essential defaults to true)');

  const names = new Map<string, number>();
  containers.forEach((c, i) => {
    if (names.has(c.name)) issue(['containerDefinitions', i, 'name'], `Container name "${c.name}" is used twice; names are unique within a task definition`);
    names.set(c.name, i);
  });

  const hostPorts = new Map<string, string>();
  containers.forEach((c, i) => {
    const at = (...rest: (string | number)[]) => ['containerDefinitions', i, ...rest];
    if (c.memory !== undefined && c.memoryReservation !== undefined && c.memory <= c.memoryReservation) {
      issue(at('memory'), `memory (${c.memory} MiB, the hard limit) must be greater than memoryReservation (${c.memoryReservation} MiB, the soft limit)`);
    }
    if (td.memory === undefined && c.memory === undefined && c.memoryReservation === undefined) {
      issue(at('memory'), 'Set memory or memoryReservation on each container, or memory on the task');
    }
    c.portMappings.forEach((m, j) => {
      if (m.containerPort === undefined && m.containerPortRange === undefined) issue(at('portMappings', j, 'containerPort'), 'A port mapping needs a containerPort');
      if (td.networkMode === 'host' && m.hostPort !== undefined && m.hostPort !== m.containerPort) {
        issue(at('portMappings', j, 'hostPort'), 'With host networking, hostPort must be left out or equal containerPort');
      }
      const hostPort = td.networkMode === 'host' ? m.containerPort : m.hostPort;
      if (hostPort) {
        const key = `${m.protocol}/${hostPort}`;
        const other = hostPorts.get(key);
        if (other) issue(at('portMappings', j, 'hostPort'), `Host port ${key} is already mapped by ${other}`);
        hostPorts.set(key, `container "${c.name}"`);
      }
    });
    (c.dependsOn ?? []).forEach((d, j) => {
      const target = names.has(d.containerName) ? containers[names.get(d.containerName) as number] : undefined;
      if (!target) return issue(at('dependsOn', j, 'containerName'), `No container named "${d.containerName}" in this task definition`);
      if (target.name === c.name) return issue(at('dependsOn', j, 'containerName'), 'A container cannot depend on itself');
      if ((d.condition === 'COMPLETE' || d.condition === 'SUCCESS') && target.essential) {
        issue(at('dependsOn', j, 'condition'), `${d.condition} cannot be used on an essential container ("${target.name}"): an essential container exiting stops the task`);
      }
      if (d.condition === 'HEALTHY' && !target.healthCheck) issue(at('dependsOn', j, 'condition'), `HEALTHY needs "${target.name}" to define a healthCheck`);
    });
  });
  const cycle = dependencyCycle(containers);
  if (cycle) issue(['containerDefinitions'], `dependsOn forms a cycle: ${cycle.join(' -> ')}`);

  const sum = (pick: (c: ContainerDefinition) => number | undefined) => containers.reduce((total, c) => total + (pick(c) ?? 0), 0);
  if (td.cpu !== undefined && sum((c) => c.cpu) > Number(td.cpu)) issue(['cpu'], `The containers' cpu adds up to ${sum((c) => c.cpu)} units, more than the task's ${td.cpu}`);
  if (td.memory !== undefined) {
    const reserved = sum((c) => c.memoryReservation ?? c.memory);
    if (reserved > Number(td.memory)) issue(['memory'], `The containers reserve ${reserved} MiB, more than the task's ${td.memory} MiB`);
  }
}

function dependencyCycle(containers: readonly ContainerDefinition[]): string[] | undefined {
  const edges = new Map(containers.map((c) => [c.name, (c.dependsOn ?? []).map((d) => d.containerName)]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): string[] | undefined => {
    if (state.get(name) === 'visiting') return [...path.slice(path.indexOf(name)), name];
    if (state.get(name) === 'done' || !edges.has(name)) return undefined;
    state.set(name, 'visiting');
    for (const next of edges.get(name) ?? []) {
      const found = visit(next, [...path, name]);
      if (found) return found;
    }
    state.set(name, 'done');
    return undefined;
  };
  for (const c of containers) {
    const found = visit(c.name, []);
    if (found) return found;
  }
  return undefined;
}

/** Why each kept-but-not-acted-on field matters, by the issue that will act on it. */
const UNSUPPORTED_TASK_FIELDS: Record<string, string> = {
  volumes: 'volumes are not mounted yet',
  pidMode: 'pidMode is not applied yet',
  ipcMode: 'ipcMode is not applied yet',
  proxyConfiguration: 'App Mesh proxies are not supported',
  ephemeralStorage: 'ephemeral storage sizing is not applied yet',
  inferenceAccelerators: 'inference accelerators are not supported',
  taskRoleArn: 'task roles come with the roles issue; the task runs without role credentials',
  executionRoleArn: 'execution roles come with the roles issue',
};

const UNSUPPORTED_CONTAINER_FIELDS: Record<string, string> = {
  repositoryCredentials: 'images are local; private registry credentials are not used yet',
  environmentFiles: 'environment files are not read yet; their variables will be missing',
  secrets: 'secrets are not injected yet; their variables will be missing',
  restartPolicy: 'in-place container restarts are not supported yet',
  mountPoints: 'volumes are not mounted yet',
  volumesFrom: 'volumes are not mounted yet',
  links: 'container links are not created',
  hostname: 'the container hostname is not set',
  disableNetworking: 'disableNetworking is not applied yet',
  readonlyRootFilesystem: 'a read-only root file system is not applied yet',
  dnsServers: 'custom DNS servers are not applied',
  dnsSearchDomains: 'custom DNS search domains are not applied',
  extraHosts: 'extra /etc/hosts entries are not added yet',
  dockerSecurityOptions: 'Docker security options are not applied',
  systemControls: 'sysctls are not applied',
  resourceRequirements: 'GPUs and accelerators are not scheduled',
  firelensConfiguration: 'FireLens log routing is not supported; Wharf keeps the logs itself',
  credentialSpecs: 'credential specs are not supported',
  linuxParameters: 'Linux parameters (capabilities, devices, tmpfs, init) are not applied yet',
  interactive: 'interactive containers are not supported yet',
  pseudoTerminal: 'pseudo-terminals are not allocated yet',
};

/** A valid ECS field that Wharf keeps but does not act on yet, with the consequence. */
export interface UnsupportedField {
  readonly field: string;
  readonly reason: string;
}

/**
 * The fields of a registered task definition that Wharf keeps but does not act on yet. Returned
 * with RegisterTaskDefinition and DescribeTaskDefinition so nothing is silently ignored.
 * (`logConfiguration` is accepted and not listed: Wharf keeps the logs itself, as documented.)
 */
export function unsupportedFields(td: RegisterTaskDefinitionRequest): UnsupportedField[] {
  const found: UnsupportedField[] = [];
  for (const [field, reason] of Object.entries(UNSUPPORTED_TASK_FIELDS)) {
    if ((td as Record<string, unknown>)[field] !== undefined) found.push({ field, reason });
  }
  td.containerDefinitions.forEach((c, i) => {
    for (const [field, reason] of Object.entries(UNSUPPORTED_CONTAINER_FIELDS)) {
      const value = (c as Record<string, unknown>)[field];
      if (value !== undefined && value !== false && !(Array.isArray(value) && value.length === 0)) found.push({ field: `containerDefinitions.${i}.${field}`, reason });
    }
  });
  return found;
}

/** The container's memory the scheduler reserves: memoryReservation if set, else memory (ECS). */
export function reservedMemory(container: ContainerDefinition): number {
  return container.memoryReservation ?? container.memory ?? 0;
}

/** The task's cpu and memory to reserve on a host: task-level figures when set, else the containers' sums. */
export function taskResources(td: Pick<RegisterTaskDefinitionRequest, 'cpu' | 'memory' | 'containerDefinitions'>): { cpu: number; memory: number } {
  const cpu = td.cpu !== undefined ? Number(td.cpu) : td.containerDefinitions.reduce((t, c) => t + (c.cpu ?? 0), 0);
  const memory = td.memory !== undefined ? Number(td.memory) : td.containerDefinitions.reduce((t, c) => t + reservedMemory(c), 0);
  return { cpu, memory };
}

export const TASK_DEFINITION_STATUSES = ['ACTIVE', 'INACTIVE', 'DELETE_IN_PROGRESS'] as const;
export type TaskDefinitionStatus = (typeof TASK_DEFINITION_STATUSES)[number];

/** A registered revision as stored: the normalised request plus its identity and state. */
export interface TaskDefinitionRecord {
  readonly family: string;
  readonly revision: number;
  readonly status: TaskDefinitionStatus;
  readonly definition: RegisterTaskDefinitionRequest;
  /** ms since the epoch. */
  readonly registeredAt: number;
  readonly deregisteredAt: number | null;
  readonly deleteRequestedAt: number | null;
}
