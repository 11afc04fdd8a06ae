/**
 * The state store: one interface, two implementations (SQLite embedded, PostgreSQL shared) that
 * pass one contract suite (`test/store/contract.ts`). Callers see repositories of typed records and
 * transactions; they never see SQL or which database is underneath.
 */
import type { Cluster, ClusterSetting, Tag } from '../model/cluster.js';
import type { ContainerInstance, ContainerInstanceStatus } from '../model/container-instance.js';
import type { ScalableTargetRecord, ScalingActivityRecord, ScalingPolicyRecord, ScheduledActionRecord } from '../model/autoscaling.js';
import type { EventFilter, NewEvent, WharfEvent } from '../model/events.js';
import type { ListenerRecord, LoadBalancerRecord, RuleRecord, TargetGroupRecord } from '../model/load-balancing.js';
import type { RegisterTaskDefinitionRequest, TaskDefinitionRecord, TaskDefinitionStatus } from '../model/task-definition.js';
import type { DeploymentRecord, ServiceRecord, ServiceStatus, TaskSetRecord } from '../model/service.js';
import type { DesiredTaskStatus, TaskRecord } from '../model/task.js';
import type { AuditFilter, AuditRecord, NewAuditRecord } from '../model/audit.js';
import type { AccessKeyRecord, IamGroupRecord, IamRoleRecord, IamUserRecord, KeyOwner, ManagedPolicyRecord } from '../model/iam/principal.js';
import type { ApplicationRecord, ApplicationVersionRecord, ConfigurationTemplateRecord, EnvironmentRecord } from '../model/platform.js';
import type { BucketRecord, MultipartUploadRecord, ObjectRecord, PartRecord } from '../model/s3.js';

export type StoreKind = 'sqlite' | 'postgres';

/** Events: append-only. */
export interface EventRepository {
  /** Appends one event and returns it with its id and time. */
  append(event: NewEvent): Promise<WharfEvent>;
  /** Newest first, at most `filter.limit`. */
  query(filter: EventFilter): Promise<WharfEvent[]>;
  /** Deletes up to `limit` events older than `time` (oldest first; the retention setting); returns how many. */
  pruneBefore(time: number, limit: number): Promise<number>;
}

export interface ClusterInput {
  readonly clusterName: string;
  readonly tags: readonly Tag[];
  readonly settings: readonly ClusterSetting[];
}

/** Clusters. A deleted cluster stays as INACTIVE (as in ECS) and is made ACTIVE again by create. */
export interface ClusterRepository {
  /**
   * Creates the cluster, or makes an INACTIVE one ACTIVE again with the given tags and settings.
   * An ACTIVE cluster of that name is returned unchanged (ECS's CreateCluster is idempotent).
   * `created` says whether anything changed.
   */
  create(input: ClusterInput, now: number): Promise<{ cluster: Cluster; created: boolean }>;
  get(clusterName: string): Promise<Cluster | undefined>;
  /** All clusters in a status, ordered by name, `limit` after the name `after` (exclusive). */
  list(options: { status?: Cluster['status']; after?: string; limit: number }): Promise<Cluster[]>;
  /** Replaces an ACTIVE cluster's tags and/or settings (those given); returns it, or undefined if it is not ACTIVE. Read and write in one transaction. */
  update(clusterName: string, change: { tags?: readonly Tag[]; settings?: readonly ClusterSetting[] }, now: number): Promise<Cluster | undefined>;
  /** Marks an ACTIVE cluster INACTIVE; returns it, or undefined if it was not ACTIVE. */
  deactivate(clusterName: string, now: number): Promise<Cluster | undefined>;
}

/** Task definitions: revisions per family, numbered from 1 with no reuse. */
export interface TaskDefinitionRepository {
  /** Stores the next revision of `definition.family` (one more than the highest ever, whatever its status). */
  register(definition: RegisterTaskDefinitionRequest, now: number): Promise<TaskDefinitionRecord>;
  get(family: string, revision: number): Promise<TaskDefinitionRecord | undefined>;
  /** The highest ACTIVE revision of a family. */
  latestActive(family: string): Promise<TaskDefinitionRecord | undefined>;
  /**
   * Revisions by family then revision (`sort` ASC or DESC), optionally of families starting with
   * `familyPrefix` and in one status, `limit` after the cursor `after` (exclusive).
   */
  list(options: { familyPrefix?: string; status?: TaskDefinitionStatus; sort: 'ASC' | 'DESC'; after?: { family: string; revision: number }; limit: number }): Promise<TaskDefinitionRecord[]>;
  /**
   * Family names (sorted), `limit` after `after`. By `status`, as ECS's ListTaskDefinitionFamilies:
   * ACTIVE, families with an ACTIVE revision; INACTIVE, families with none; DELETE_IN_PROGRESS,
   * families with a revision being deleted; omitted, every family.
   */
  listFamilies(options: { familyPrefix?: string; status?: TaskDefinitionStatus; after?: string; limit: number }): Promise<string[]>;
  /** Moves a revision to `to` if its status is one of `from`; stamps the matching time; returns it, or undefined if no such move happened. */
  setStatus(family: string, revision: number, from: readonly TaskDefinitionStatus[], to: TaskDefinitionStatus, now: number): Promise<TaskDefinitionRecord | undefined>;
  /** Replaces a revision's tags (any status); returns it, or undefined if there is no such revision. Read and write in one transaction. */
  setTags(family: string, revision: number, tags: readonly Tag[]): Promise<TaskDefinitionRecord | undefined>;
}

/** Container instances (hosts with an agent). */
export interface ContainerInstanceRepository {
  insert(instance: ContainerInstance): Promise<void>;
  get(id: string): Promise<ContainerInstance | undefined>;
  /** The live (not INACTIVE) instance of a cluster with this host id. */
  findLive(cluster: string, hostId: string): Promise<ContainerInstance | undefined>;
  /** Instances of a cluster by id, optionally in one status, `limit` after `after`. */
  list(options: { cluster: string; status?: ContainerInstanceStatus; after?: string; limit: number }): Promise<ContainerInstance[]>;
  /** Writes the whole record (read it in the same transaction). */
  replace(next: ContainerInstance): Promise<void>;
  /** Records a heartbeat: `lastSeenAt = now`, `agentConnected = true`. */
  touch(id: string, now: number): Promise<void>;
  /** Bumps `desiredVersion` of each id (once each) and returns nothing; agents long-polling on them wake up. */
  bumpDesiredVersion(ids: readonly string[], now: number): Promise<void>;
  /** Connected instances whose last heartbeat is older than `before`. */
  listSilent(before: number): Promise<ContainerInstance[]>;
  /** How many live (ACTIVE or DRAINING) instances the cluster has. */
  countLive(cluster: string): Promise<number>;
}

/** What RunTask writes for a new task. */
export type NewTask = Omit<TaskRecord, 'version'>;

/** Per host: resources held by its non-STOPPED tasks, and their count per task group. */
export interface HostUsage {
  readonly containerInstanceId: string;
  readonly cpu: number;
  readonly memory: number;
  readonly hostPorts: readonly number[];
  readonly groupCounts: Readonly<Record<string, number>>;
}

/** Tasks. */
export interface TaskRepository {
  /** Inserts new tasks (version 1). */
  insertMany(tasks: readonly NewTask[]): Promise<void>;
  get(id: string): Promise<TaskRecord | undefined>;
  /** Writes the whole record if its version is still `next.version - 1` (compare-and-set); returns whether it did. */
  replace(next: TaskRecord): Promise<boolean>;
  /**
   * Tasks of a cluster by id, filtered; `limit` after `after`. `desiredStatus` filters desired,
   * `family`, `startedBy`, `containerInstanceId` and `group` filter exactly.
   */
  list(options: {
    cluster: string;
    desiredStatus?: DesiredTaskStatus;
    family?: string;
    startedBy?: string;
    containerInstanceId?: string;
    group?: string;
    after?: string;
    limit: number;
  }): Promise<TaskRecord[]>;
  /**
   * Every task a service started (its group `service:<name>`), STOPPED ones included, by id: what the
   * service runner, the routing table and auto scaling read about a service's tasks.
   */
  ofService(cluster: string, serviceName: string): Promise<TaskRecord[]>;
  /** The tasks placed on an instance that are not STOPPED: what its agent should know about. */
  onInstance(containerInstanceId: string): Promise<TaskRecord[]>;
  /** Resource usage of the cluster's non-STOPPED tasks, per instance that has any. */
  usage(cluster: string): Promise<HostUsage[]>;
  /** The cluster's tasks that are RUNNING, and those not yet RUNNING (PROVISIONING, PENDING, ACTIVATING). */
  counts(cluster: string): Promise<{ running: number; pending: number }>;
}

/** Services. */
export interface ServiceRepository {
  insert(service: ServiceRecord): Promise<void>;
  get(cluster: string, serviceName: string): Promise<ServiceRecord | undefined>;
  /** Writes the whole record if its version is still `next.version - 1`; returns whether it did. */
  replace(next: ServiceRecord): Promise<boolean>;
  /** Services of a cluster by name, optionally in one status, `limit` after `after`. */
  list(options: { cluster: string; status?: ServiceStatus; after?: string; limit: number }): Promise<ServiceRecord[]>;
  /** Every service, of any cluster, that is not INACTIVE: what the service runner looks after. */
  listLive(): Promise<ServiceRecord[]>;
  /** How many of the cluster's services are not INACTIVE (ECS's quota "Services per cluster" counts them). */
  countLive(cluster: string): Promise<number>;
}

/** Task sets (ECS's deployments[] entries) of services. */
export interface TaskSetRepository {
  insert(set: TaskSetRecord): Promise<void>;
  get(id: string): Promise<TaskSetRecord | undefined>;
  /** Writes the whole record (read it in the same transaction). */
  replace(next: TaskSetRecord): Promise<void>;
  /** The service's sets, oldest first, INACTIVE ones included. */
  forService(cluster: string, serviceName: string): Promise<TaskSetRecord[]>;
}

/** Deployments of services: numbered 1, 2, 3, … per service. */
export interface DeploymentRepository {
  insert(deployment: DeploymentRecord): Promise<void>;
  get(cluster: string, serviceName: string, id: number): Promise<DeploymentRecord | undefined>;
  /** Writes the whole record (read it in the same transaction). */
  replace(next: DeploymentRecord): Promise<void>;
  /** The service's deployments, newest first, at most `limit`. */
  forService(cluster: string, serviceName: string, limit: number): Promise<DeploymentRecord[]>;
  /** The next deployment number of a service (1 for the first). */
  nextId(cluster: string, serviceName: string): Promise<number>;
}

/** Load balancing: load balancers, target groups, listeners and rules (ELBv2 on the router). */
export interface LoadBalancingRepository {
  /** Inserts a load balancer; false (nothing written) when its name is taken. */
  insertLoadBalancer(loadBalancer: LoadBalancerRecord): Promise<boolean>;
  replaceLoadBalancer(loadBalancer: LoadBalancerRecord): Promise<void>;
  deleteLoadBalancer(arn: string): Promise<void>;
  /** By name. */
  loadBalancers(): Promise<LoadBalancerRecord[]>;
  insertTargetGroup(group: TargetGroupRecord): Promise<void>;
  replaceTargetGroup(group: TargetGroupRecord): Promise<void>;
  deleteTargetGroup(arn: string): Promise<void>;
  targetGroups(): Promise<TargetGroupRecord[]>;
  insertListener(listener: ListenerRecord): Promise<void>;
  replaceListener(listener: ListenerRecord): Promise<void>;
  /** Removes a listener and its rules. */
  deleteListener(arn: string): Promise<void>;
  listeners(): Promise<ListenerRecord[]>;
  insertRule(rule: RuleRecord): Promise<void>;
  replaceRule(rule: RuleRecord): Promise<void>;
  deleteRule(arn: string): Promise<void>;
  /** Rules of every listener, by listener then priority. */
  rules(): Promise<RuleRecord[]>;
}

/** Application Auto Scaling: scalable targets, their policies and activities. */
export interface AutoScalingRepository {
  /** Inserts or replaces the target of its resource id. */
  putTarget(target: ScalableTargetRecord): Promise<void>;
  targets(): Promise<ScalableTargetRecord[]>;
  /** Removes a scalable target with its policies and scheduled actions (activities stay, as history). */
  deleteTarget(resourceId: string): Promise<void>;
  /** Inserts or replaces the policy of its resource id and name. */
  putPolicy(policy: ScalingPolicyRecord): Promise<void>;
  policies(resourceId?: string): Promise<ScalingPolicyRecord[]>;
  /** Removes one policy; returns whether there was one. */
  deletePolicy(resourceId: string, name: string): Promise<boolean>;
  /** Inserts or replaces the scheduled action of its resource id and name. */
  putScheduledAction(action: ScheduledActionRecord): Promise<void>;
  /** By resource id, then name; every target's when `resourceId` is not given. */
  scheduledActions(resourceId?: string): Promise<ScheduledActionRecord[]>;
  /** Removes one scheduled action; returns whether there was one. */
  deleteScheduledAction(resourceId: string, name: string): Promise<boolean>;
  addActivity(activity: ScalingActivityRecord): Promise<void>;
  /** Newest first. */
  activities(resourceId: string | undefined, limit: number): Promise<ScalingActivityRecord[]>;
}

/** Applications, versions, environments and saved configurations (the Elastic Beanstalk model). */
export interface PlatformRepository {
  /** Throws when the name is taken. */
  insertApplication(application: ApplicationRecord): Promise<void>;
  getApplication(applicationName: string): Promise<ApplicationRecord | undefined>;
  replaceApplication(application: ApplicationRecord): Promise<void>;
  /** By name. */
  listApplications(): Promise<ApplicationRecord[]>;
  /** Removes the application row only; the caller removes what it owns first. */
  deleteApplication(applicationName: string): Promise<void>;
  /** Throws when the label is taken in the application. */
  insertVersion(version: ApplicationVersionRecord): Promise<void>;
  getVersion(applicationName: string, versionLabel: string): Promise<ApplicationVersionRecord | undefined>;
  replaceVersion(version: ApplicationVersionRecord): Promise<void>;
  /** Newest first; every application's when `applicationName` is not given. */
  listVersions(applicationName?: string): Promise<ApplicationVersionRecord[]>;
  deleteVersion(applicationName: string, versionLabel: string): Promise<void>;
  /** Throws when a live environment has the name or the CNAME already. */
  insertEnvironment(environment: EnvironmentRecord): Promise<void>;
  getEnvironment(environmentId: string): Promise<EnvironmentRecord | undefined>;
  /** The live (not Terminated) environment with this name or CNAME prefix. */
  findLiveEnvironment(by: { environmentName: string } | { cname: string }): Promise<EnvironmentRecord | undefined>;
  /** Replaces when the stored version is `next.version - 1`; false when another write came first. */
  replaceEnvironment(next: EnvironmentRecord): Promise<boolean>;
  /** By application and name; Terminated ones only with `includeTerminated`. */
  listEnvironments(options: { applicationName?: string; includeTerminated?: boolean }): Promise<EnvironmentRecord[]>;
  putTemplate(template: ConfigurationTemplateRecord): Promise<void>;
  getTemplate(applicationName: string, templateName: string): Promise<ConfigurationTemplateRecord | undefined>;
  listTemplates(applicationName: string): Promise<ConfigurationTemplateRecord[]>;
  deleteTemplate(applicationName: string, templateName: string): Promise<void>;
}

/**
 * S3's buckets, object index and multipart uploads (the bytes are in the artifact store, named by
 * SHA-256). Keys are listed in byte order of their UTF-8, as S3 lists them.
 */
export interface S3Repository {
  /** Creates the bucket; false (and nothing changed) when one of that name exists. */
  insertBucket(bucket: BucketRecord): Promise<boolean>;
  getBucket(bucketName: string): Promise<BucketRecord | undefined>;
  /** By name. */
  listBuckets(): Promise<BucketRecord[]>;
  countBuckets(): Promise<number>;
  /** Removes the bucket with its uploads in progress and their parts (the caller checks it holds no object). */
  deleteBucket(bucketName: string): Promise<void>;
  /** Writes the object, replacing the one at its key. */
  putObject(object: ObjectRecord): Promise<void>;
  getObject(bucketName: string, key: string): Promise<ObjectRecord | undefined>;
  /** True when there was an object at the key. */
  deleteObject(bucketName: string, key: string): Promise<boolean>;
  /** Objects of a bucket whose keys start with `prefix`, after `after` (exclusive), in key order, at most `limit`. */
  listObjects(options: { bucketName: string; prefix: string; after: string; limit: number }): Promise<ObjectRecord[]>;
  hasObjects(bucketName: string): Promise<boolean>;
  insertUpload(upload: MultipartUploadRecord): Promise<void>;
  getUpload(uploadId: string): Promise<MultipartUploadRecord | undefined>;
  /** Removes the upload and its parts. */
  deleteUpload(uploadId: string): Promise<void>;
  /** Writes the part, replacing one of the same number. */
  putPart(part: PartRecord): Promise<void>;
  /** An upload's parts by number. */
  listParts(uploadId: string): Promise<PartRecord[]>;
  /** Every SHA-256 an object or a part names: content the artifact store must keep. */
  referencedContent(): Promise<string[]>;
}

/** The repositories, as seen outside a transaction (each call commits on its own) or inside one. */
/**
 * IAM: users, groups, roles, customer managed policies and access keys, each a whole record written at
 * once (read it in the same transaction). Lists are by name (byte order), `limit` after `after`.
 */
export interface IamRepository {
  putUser(user: IamUserRecord): Promise<void>;
  getUser(userName: string): Promise<IamUserRecord | undefined>;
  listUsers(options: { after?: string; limit: number }): Promise<IamUserRecord[]>;
  deleteUser(userName: string): Promise<void>;
  putGroup(group: IamGroupRecord): Promise<void>;
  getGroup(groupName: string): Promise<IamGroupRecord | undefined>;
  listGroups(options: { after?: string; limit: number }): Promise<IamGroupRecord[]>;
  deleteGroup(groupName: string): Promise<void>;
  putRole(role: IamRoleRecord): Promise<void>;
  getRole(roleName: string): Promise<IamRoleRecord | undefined>;
  listRoles(options: { after?: string; limit: number }): Promise<IamRoleRecord[]>;
  deleteRole(roleName: string): Promise<void>;
  putPolicy(policy: ManagedPolicyRecord): Promise<void>;
  getPolicy(arn: string): Promise<ManagedPolicyRecord | undefined>;
  listPolicies(options: { after?: string; limit: number }): Promise<ManagedPolicyRecord[]>;
  deletePolicy(arn: string): Promise<void>;
  putAccessKey(key: AccessKeyRecord): Promise<void>;
  getAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined>;
  /** An owner's keys by id. */
  accessKeysOf(owner: KeyOwner): Promise<AccessKeyRecord[]>;
  deleteAccessKey(accessKeyId: string): Promise<void>;
}

/** The audit log: append-only, queried newest first, pruned by age. */
export interface AuditRepository {
  append(record: NewAuditRecord): Promise<AuditRecord>;
  query(filter: AuditFilter): Promise<AuditRecord[]>;
  /** Deletes up to `limit` records older than `time` (oldest first); returns how many. */
  pruneBefore(time: number, limit: number): Promise<number>;
}

export interface Repositories {
  readonly events: EventRepository;
  readonly clusters: ClusterRepository;
  readonly taskDefinitions: TaskDefinitionRepository;
  readonly containerInstances: ContainerInstanceRepository;
  readonly tasks: TaskRepository;
  readonly services: ServiceRepository;
  readonly taskSets: TaskSetRepository;
  readonly deployments: DeploymentRepository;
  readonly loadBalancing: LoadBalancingRepository;
  readonly autoScaling: AutoScalingRepository;
  readonly platform: PlatformRepository;
  readonly iam: IamRepository;
  readonly audit: AuditRepository;
  readonly s3: S3Repository;
}

/**
 * Leadership among controllers that share one store. With PostgreSQL, one session-level advisory
 * lock; with SQLite, one controller per data folder, so the one that opened it leads.
 */
export interface Leadership {
  /** Resolves once this process leads; rejects if `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** True while this process holds the lock. */
  isLeader(): boolean;
  /** Called once if the lock is lost after it was held (e.g. the database connection broke). */
  onLost(listener: (reason: Error) => void): void;
  /** Releases the lock if held; safe to call more than once. */
  release(): Promise<void>;
}

/** What opening a store found and did. */
export interface StoreInfo {
  readonly kind: StoreKind;
  /** Where it lives: the SQLite file path, or the PostgreSQL URL without its password. */
  readonly location: string;
  readonly schemaVersion: number;
  /** Migrations applied by this open, in order (empty when already current). */
  readonly migrationsApplied: readonly number[];
}

export interface Store extends Repositories {
  readonly info: StoreInfo;
  /**
   * Runs `work` in one transaction: all its writes commit together or none do. Transactions on one
   * store run one at a time per connection; never await anything slow (network, timers) inside.
   */
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
  /** The leadership lock for controllers sharing this store. */
  leadership(options?: { pollIntervalMs?: number; holder?: string }): Leadership;
  /** Closes connections; pending transactions finish first. */
  close(): Promise<void>;
}

/** How to open a store; from the controller's settings. */
export interface StoreOptions {
  /** `postgres://…` selects PostgreSQL; otherwise SQLite in `dataDir`. */
  readonly databaseUrl?: string;
  /** Folder for the SQLite file (`wharf.db`); created if missing. */
  readonly dataDir: string;
  /** Bound on reaching PostgreSQL at open, ms. */
  readonly connectTimeoutMs?: number;
}
