/**
 * The Elastic Beanstalk model's records: applications, application versions, environments, their
 * operations (create, deploy, configure, restart, terminate) and saved configurations. Plain data
 * and the status unions with their one transition function; the logic lives in
 * `src/controller/platform`.
 */

/** A setting as the API carries it (EB's `ConfigurationOptionSetting`); `Value` is always a string. */
export interface OptionSetting {
  readonly Namespace: string;
  readonly OptionName: string;
  readonly Value: string;
  readonly ResourceName?: string;
}

/** An option to remove from the settings applied through the API (EB's `OptionSpecification`). */
export interface OptionSpecification {
  readonly Namespace: string;
  readonly OptionName: string;
  readonly ResourceName?: string;
}

/** How a version runs; detected from its bundle or named by the environment's platform. */
export const PLATFORMS = ['nodejs', 'python', 'docker'] as const;
export type PlatformName = (typeof PLATFORMS)[number];

export interface ApplicationRecord {
  readonly applicationName: string;
  readonly description: string;
  /** Tags (CreateApplication's Tags, UpdateTagsForResource); absent in records made before they were kept. */
  readonly tags?: Readonly<Record<string, string>>;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** EB's `ApplicationVersionDescription.Status`; Wharf processes on creation, so Unprocessed is never stored. */
export const VERSION_STATUSES = ['Processed', 'Building', 'Failed'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

export interface ApplicationVersionRecord {
  readonly applicationName: string;
  readonly versionLabel: string;
  readonly description: string;
  /** The bundle in the artifact store. */
  /** The bundle's content in the artifact store; `s3Bucket`/`s3Key` the S3 object it was named by (absent: the upload bucket, key = sha256). */
  readonly sourceBundle: { readonly sha256: string; readonly size: number; readonly format: 'zip' | 'tar' | 'tar.gz'; readonly s3Bucket?: string; readonly s3Key?: string };
  readonly platform: PlatformName;
  /** option_settings from `.ebextensions`, in file order (later wins), each with its file (absent in versions made before it was kept). */
  readonly ebextensions: readonly (OptionSetting & { readonly file?: string })[];
  /** `env.yaml` at the bundle root, as parsed (absent when the bundle has none). */
  readonly manifest: EnvironmentManifest | null;
  readonly status: VersionStatus;
  /** Tags (CreateApplicationVersion's Tags, UpdateTagsForResource); absent in records made before they were kept. */
  readonly tags?: Readonly<Record<string, string>>;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** What Wharf keeps of an `env.yaml`. */
export interface EnvironmentManifest {
  readonly environmentName?: string;
  readonly cname?: string;
  readonly tier?: EnvironmentTierName;
  readonly platform?: PlatformName;
  readonly optionSettings: readonly OptionSetting[];
  readonly tags: Readonly<Record<string, string>>;
}

export const ENVIRONMENT_TIERS = ['WebServer', 'Worker'] as const;
export type EnvironmentTierName = (typeof ENVIRONMENT_TIERS)[number];

export const ENVIRONMENT_TYPES = ['LoadBalanced', 'SingleInstance'] as const;
export type EnvironmentType = (typeof ENVIRONMENT_TYPES)[number];

export const ENVIRONMENT_STATUSES = ['Launching', 'Updating', 'Aborting', 'Ready', 'Terminating', 'Terminated'] as const;
export type EnvironmentStatus = (typeof ENVIRONMENT_STATUSES)[number];

/** Basic health colours (EB's `EnvironmentHealth`). */
export const ENVIRONMENT_HEALTH = ['Green', 'Yellow', 'Red', 'Grey'] as const;
export type EnvironmentHealth = (typeof ENVIRONMENT_HEALTH)[number];

/** Enhanced health statuses (EB's `EnvironmentHealthStatus`), best first after the data-less ones. */
export const HEALTH_STATUSES = ['NoData', 'Unknown', 'Pending', 'Ok', 'Info', 'Warning', 'Degraded', 'Severe'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

/** What an operation does; one runs per environment at a time. */
export const OPERATION_KINDS = ['create', 'deploy', 'configure', 'restart', 'rebuild', 'terminate'] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

/**
 * The steps of an operation, in order. Each is persisted before it acts and is idempotent, so a
 * controller killed at any step resumes there. `abort` and `restore` follow an aborted deploy or
 * configure (AbortEnvironmentUpdate): the service returns to its previous task set, then the
 * environment waits until that set serves again.
 */
export const OPERATION_STEPS = ['build', 'define', 'route', 'serve', 'wait', 'abort', 'restore', 'retire', 'done'] as const;
export type OperationStep = (typeof OPERATION_STEPS)[number];

/** What an environment had before a deploy or configure changed it: what an abort returns to. */
export interface PreviousSettings {
  readonly optionSettings: readonly OptionSetting[];
  readonly templateName: string | null;
}

export interface EnvironmentOperation {
  /** Increases per environment: 1, 2, 3, … (EB's deployment id). */
  readonly id: number;
  readonly kind: OperationKind;
  readonly step: OperationStep;
  /** The version this operation deploys (the environment's current one for configure/restart). */
  readonly versionLabel: string | null;
  /** The task definition (`family:revision`) the `define` step registered. */
  readonly taskDefinition: string | null;
  /** The service deployment this operation waits on, once `serve` has started one. */
  readonly serviceDeploymentId: number | null;
  readonly startedAt: number;
  /** Why it failed; the environment stays on its previous version. */
  readonly failure: string | null;
  readonly requestId: string | null;
  /** Deploy and configure: the settings before this operation (older records have none). */
  readonly previous?: PreviousSettings;
  /** When AbortEnvironmentUpdate stopped this operation (ms since the epoch). */
  readonly abortedAt?: number;
}

export interface EnvironmentRecord {
  /** `e-` and 10 lower-case letters and digits. */
  readonly environmentId: string;
  readonly environmentName: string;
  readonly applicationName: string;
  readonly description: string;
  /** The CNAME prefix; the host name is `<cname>.<domain>`. */
  readonly cname: string;
  readonly tier: EnvironmentTierName;
  readonly platform: PlatformName;
  /**
   * EB's solution stack name the environment was made with (its request's or its saved
   * configuration's), answered as its SolutionStackName; absent when it was named otherwise (then
   * Wharf's own name of the platform is answered).
   */
  readonly solutionStackName?: string;
  /** The version serving now (null until the first deployment finishes). */
  readonly versionLabel: string | null;
  /** Settings given through the API (the top layer), and the saved configuration it was made from. */
  readonly optionSettings: readonly OptionSetting[];
  readonly templateName: string | null;
  readonly status: EnvironmentStatus;
  readonly health: EnvironmentHealth;
  readonly healthStatus: HealthStatus;
  readonly causes: readonly string[];
  /** The operation in progress, or the last one (kept for its id and failure). */
  readonly operation: EnvironmentOperation | null;
  /** Resources below: the service's cluster and name, the target group and rule when load balanced. */
  readonly resources: EnvironmentResources;
  readonly tags: Readonly<Record<string, string>>;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Increases on every write (compare-and-set). */
  readonly version: number;
}

export interface EnvironmentResources {
  readonly cluster: string;
  readonly serviceName: string;
  readonly taskDefinitionFamily: string;
  readonly targetGroupArn: string | null;
  readonly ruleArn: string | null;
  /** SingleInstance: the fixed host port its one task listens on. */
  readonly instancePort: number | null;
}

export interface ConfigurationTemplateRecord {
  readonly applicationName: string;
  readonly templateName: string;
  readonly description: string;
  readonly platform: PlatformName | null;
  /** EB's solution stack name it was made with (given, or from its source), as on an environment. */
  readonly solutionStackName?: string;
  readonly optionSettings: readonly OptionSetting[];
  /** Tags (CreateConfigurationTemplate's Tags, UpdateTagsForResource); absent in records made before they were kept. */
  readonly tags?: Readonly<Record<string, string>>;
  readonly createdAt: number;
  readonly updatedAt: number;
}

const STATUS_MOVES: Readonly<Record<EnvironmentStatus, readonly EnvironmentStatus[]>> = {
  Launching: ['Ready', 'Terminating'],
  Updating: ['Ready', 'Aborting', 'Terminating'],
  Aborting: ['Ready', 'Terminating'],
  Ready: ['Updating', 'Terminating'],
  Terminating: ['Terminated'],
  Terminated: [],
};

/** Returns `to` when an environment may move there from `from`; throws otherwise. */
export function environmentTransition(from: EnvironmentStatus, to: EnvironmentStatus): EnvironmentStatus {
  if (from !== to && !STATUS_MOVES[from].includes(to)) throw new Error(`An environment cannot move from ${from} to ${to}`);
  return to;
}

/** Whether the environment still owns resources (it is not Terminated). */
export function isLive(environment: Pick<EnvironmentRecord, 'status'>): boolean {
  return environment.status !== 'Terminated';
}

/**
 * Whether AbortEnvironmentUpdate may stop the environment's operation now (EB's
 * AbortableOperationInProgress): a deploy or configure while its new tasks roll out (`serve`,
 * `wait`), with a version to return to. Earlier steps have changed nothing that serves.
 */
export function isAbortable(environment: Pick<EnvironmentRecord, 'status' | 'operation' | 'versionLabel'>): boolean {
  const op = environment.operation;
  return environment.status === 'Updating' && environment.versionLabel !== null && op !== null && (op.kind === 'deploy' || op.kind === 'configure') && (op.step === 'serve' || op.step === 'wait');
}

/**
 * The version EB names in an environment's description: the one serving, or, before any has been
 * deployed (Launching), the one being launched; EB answers CreateEnvironment with it at once.
 */
export function reportedVersionLabel(environment: Pick<EnvironmentRecord, 'versionLabel' | 'operation'>): string | null {
  return environment.versionLabel ?? environment.operation?.versionLabel ?? null;
}

/** EB's rules for environment names: 4-40 letters, digits and hyphens, no hyphen first or last. */
export const ENVIRONMENT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{2,38}[A-Za-z0-9]$/;
/** CNAME prefixes: 4-63 letters, digits and hyphens, no hyphen first or last (a DNS label). */
export const CNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$/;
