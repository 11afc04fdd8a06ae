/**
 * The controller process (`wharf server`, and the controller part of `wharf up`): opens the store,
 * serves the API, and competes for leadership with any other controller on the same database.
 *
 *   open store (migrate) ─▶ listen (standby: /healthz only) ─▶ acquire lock ─▶ leader: serve /v1
 *                                       ▲                                        │ lock lost
 *                                       └────────────────────────────────────────┘
 */
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { makePrivateDir, writePrivateFile } from '../files.js';
import type { ControllerSettings } from '../config/settings.js';
import type { ClusterQuotas } from '../model/cluster.js';
import type { Logger } from '../log.js';
import { wharfError } from '../model/errors.js';
import { openStore } from '../store/open.js';
import type { Leadership, Store } from '../store/store.js';
import { WHARF_VERSION } from '../version.js';
import { CONTROLLER_FILE } from '../config/controller-file.js';
import type { ControllerFile } from '../config/controller-file.js';
import type { ControllerRole } from './api/server.js';
import { buildApi } from './api/server.js';
import { sweepSilentHosts } from './compute/agents.js';
import { DesiredStateBus } from './compute/desired-state-bus.js';
import { scaleOnce } from './autoscaling/autoscaling.js';
import { UsageBoard } from './compute/usage.js';
import { RoutingTables } from './load-balancing/routing-table.js';
import { RequestBoard, TargetHealthBoard } from './load-balancing/target-health.js';
import { RouterBoard } from './load-balancing/routers.js';
import { ServiceRunner } from './services/runner.js';
import Docker from 'dockerode';
import { ArtifactStore } from './platform/bundles/artifact-store.js';
import { contentInUse } from './platform/buckets.js';
import type { PlatformContext } from './platform/context.js';
import { EnvironmentRunner } from './platform/runner.js';
import { Identity } from './identity/identity.js';
import { ensureRootKey, presignAsRoot } from './identity/keys.js';
import { taskLogs } from './compute/logs.js';
import { platformVersions } from './platform/platforms.js';
import type { RootKey } from './identity/keys.js';
import { loadSealer } from './identity/sealing.js';
import type { Sealer } from './identity/sealing.js';

/** Pause before trying again when taking the leadership lock failed (not merely was held). */
export const LEADERSHIP_RETRY_MS = 1000;

const DAY_MS = 86_400_000;
/** How often the leader deletes events past their retention. */
export const EVENT_PRUNE_INTERVAL_MS = 3_600_000;
/** Events deleted per statement, so one pass never holds the database for long. */
const EVENT_PRUNE_BATCH = 5_000;

/** Deletes every row older than `before` with `prune`, a batch at a time; returns how many. */
async function pruneInBatches(prune: (before: number, limit: number) => Promise<number>, before: number): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await prune(before, EVENT_PRUNE_BATCH);
    total += deleted;
    if (deleted < EVENT_PRUNE_BATCH) return total;
  }
}

/** Deletes every event older than `before`, a batch at a time; returns how many. */
export function pruneOldEvents(store: Store, before: number): Promise<number> {
  return pruneInBatches((time, limit) => store.events.pruneBefore(time, limit), before);
}

/** Deletes every audit record older than `before`, a batch at a time; returns how many. */
export function pruneOldAuditRecords(store: Store, before: number): Promise<number> {
  return pruneInBatches((time, limit) => store.audit.pruneBefore(time, limit), before);
}

/** How long an uploaded bundle may wait to be named by an application version before it is removed. */
export const UNUSED_BUNDLE_GRACE_MS = DAY_MS;

/** Removes the stored artifacts no application version, S3 object or multipart upload's part names, written before `before`; returns how many. */
export async function removeUnusedBundles(store: Store, artifacts: ArtifactStore, before: number): Promise<number> {
  const named = new Set([...(await store.platform.listVersions()).map((version) => version.sourceBundle.sha256), ...(await contentInUse(store))]);
  return (await artifacts.removeUnused(named, before)).length;
}

/** The file in the data folder that keeps the generated join token when none is configured. */
export const JOIN_TOKEN_FILE = 'join-token';

/**
 * The join token agents register with: the configured one, else the one this data folder keeps,
 * else a new random one, saved there (mode 0600) for the next start.
 */
async function joinTokenFor(settings: ControllerSettings): Promise<string> {
  if (settings.joinToken) return settings.joinToken;
  const file = path.join(settings.dataDir, JOIN_TOKEN_FILE);
  const saved = await readFile(file, 'utf8').then((text) => text.trim(), () => '');
  if (saved.length >= 16) return saved;
  const token = randomBytes(24).toString('base64url');
  await writePrivateFile(file, token + '\n');
  return token;
}

export interface RunningController {
  /** The API's base URL, e.g. `http://127.0.0.1:7070`. */
  readonly url: string;
  /** The secret agents register with. */
  readonly joinToken: string;
  /** The account root's access key: where its credentials file is, and the key when this start made it. */
  readonly rootKey: RootKey;
  readonly store: Store;
  role(): ControllerRole;
  /** Resolves when this controller first leads. */
  readonly leading: Promise<void>;
  /** Tells the platform the port routers serve environments on (for the URLs it reports). */
  setPublicPort(port: number): void;
  /** Stops serving, releases leadership, closes the store. Safe to call twice. */
  stop(): Promise<void>;
}

/** Starts a controller with `settings`. Failures before listening close what was opened and throw. */
/** What only code may choose (no setting reaches it). */
export interface ControllerOptions {
  /** `off` only in the benchmark that measures what authentication costs. */
  readonly authentication?: 'sigv4' | 'off';
}

export async function startController(settings: ControllerSettings, log: Logger, options: ControllerOptions = {}): Promise<RunningController> {
  const store = await openStore(
    { databaseUrl: settings.databaseUrl, dataDir: settings.dataDir, connectTimeoutMs: settings.databaseConnectTimeoutMs },
    log.child({ part: 'store' }),
  );
  log.info({ store: store.info.kind, location: store.info.location, schemaVersion: store.info.schemaVersion, migrationsApplied: store.info.migrationsApplied }, 'store open');

  const holder = `${os.hostname()}:${process.pid}`;
  const leadership = store.leadership({ pollIntervalMs: settings.leaderPollIntervalMs, holder });
  let role: ControllerRole = 'standby';
  let leaderSince: number | undefined;
  const bus = new DesiredStateBus();
  const stopping = new AbortController();
  const targetHealth = new TargetHealthBoard();
  const requests = new RequestBoard();
  const usage = new UsageBoard();
  const routingTables = new RoutingTables(store);
  const quotas: ClusterQuotas = Object.freeze({
    servicesPerCluster: settings.maxServicesPerCluster,
    provisioningTasksPerCluster: settings.maxProvisioningTasksPerCluster,
    tasksPerHost: settings.maxTasksPerHost,
  });
  const services = new ServiceRunner({
    store,
    bus,
    rng: Math.random,
    maxTasksPerHost: quotas.tasksPerHost,
    log: log.child({ part: 'services' }),
    settleMs: settings.serviceSettleMs,
    targetHealth: (service, task) => {
      const lb = service.loadBalancers[0];
      return lb ? (targetHealth.get(lb.targetGroupArn, task.id)?.state ?? 'initial') : undefined;
    },
    onChange: () => routingTables.changed(),
    taskTraffic: (taskIds, now) => requests.targetsTraffic(taskIds, now),
  });
  const arnScope = { region: settings.region, accountId: settings.accountId };
  const routers = new RouterBoard();
  const lbContext = { store, arnScope, health: targetHealth, routers, routerHost: settings.routerHost, changed: () => routingTables.changed() };
  let publicPort: number | undefined = settings.routerPort || undefined;
  let docker: Docker | undefined;
  const platform: PlatformContext = {
    store,
    arnScope,
    artifacts: new ArtifactStore(path.join(settings.dataDir, 'artifacts'), { maxArtifactBytes: settings.maxBundleBytes, quotaBytes: settings.artifactQuotaBytes }),
    root: path.join(settings.dataDir, 'platform'),
    domain: settings.platformDomain,
    publicPort: () => publicPort,
    docker: () => (docker ??= dockerFor(settings.dockerHost)),
    services: { store, arnScope, wake: () => services.wake(), quotas },
    loadBalancing: lbContext,
    autoScaling: { store, arnScope },
    settleMs: settings.serviceSettleMs,
    traffic: (targetGroupArn, now) => requests.traffic(targetGroupArn, now),
    taskUser: settings.taskUser,
    taskLogs: (task, tail, signal) => taskLogs(store, joinToken, task.id, { cluster: task.cluster, ...(tail === undefined ? {} : { tail }) }, signal),
    // RetrieveEnvironmentInfo's links are signed with the account root's key (see presignAsRoot).
    presign: (url, expiresSeconds, now) => presignAsRoot(store, sealer, settings.region, url, expiresSeconds, now),
    wake: () => environments.wake(),
  };
  const environments = new EnvironmentRunner(platform, { log: log.child({ part: 'environments' }) });
  // The runtimes' versions, asked once now so that environments' PlatformArn names them (platforms.ts).
  void platformVersions(platform);
  let app: FastifyInstance;
  let joinToken = '';
  let sealer: Sealer | undefined;
  let rootKey: RootKey;
  let identity: Identity;
  try {
    joinToken = await joinTokenFor(settings);
    await makePrivateDir(settings.dataDir);
    sealer = await loadSealer(settings.dataDir, settings.secretsKey);
    rootKey = await ensureRootKey(store, sealer, settings.dataDir, Date.now());
    if (rootKey.created) log.info({ accessKeyId: rootKey.created.accessKeyId, file: rootKey.file }, 'root access key created');
    identity = new Identity(store, sealer, arnScope);
    app = buildApi({
      identity,
      authentication: options.authentication,
      bus,
      joinToken,
      rng: Math.random,
      shutdown: stopping.signal,
      wakeServices: () => services.wake(),
      routingTables,
      targetHealth,
      routers,
      routerHost: settings.routerHost,
      requests,
      usage,
      quotas,
      store,
      log,
      bodyLimitBytes: settings.bodyLimitBytes,
      role: () => role,
      version: WHARF_VERSION,
      arnScope,
      platform,
      apiHostnames: settings.apiHostnames,
    });
    await app.listen({ host: settings.apiHost, port: settings.apiPort });
  } catch (error) {
    await store.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw wharfError('WHARF_E_PORT_IN_USE', { host: settings.apiHost, port: settings.apiPort, flag: '--api-port' }, { cause: error });
    }
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : settings.apiPort;
  const url = `http://${settings.apiHost.includes(':') ? `[${settings.apiHost}]` : settings.apiHost}:${port}`;
  const controllerFile = path.join(settings.dataDir, CONTROLLER_FILE);
  await makePrivateDir(settings.dataDir);
  await writePrivateFile(controllerFile, JSON.stringify({ url, pid: process.pid } satisfies ControllerFile) + '\n');
  log.info({ url, holder }, 'api listening');

  const leading = lead(leadership, holder, store, log, stopping.signal, (next) => {
    if (next !== role) log.info({ from: role, to: next }, 'controller role');
    leaderSince = next === 'leader' ? Date.now() : undefined;
    role = next;
    // Another leader may have changed IAM records while this one stood by: read keys afresh.
    identity.changed();
    // Only the leader runs services; a standby's runner is stopped.
    if (next === 'leader') {
      services.start();
      environments.start();
    } else {
      void services.stop();
      void environments.stop();
    }
  });
  leading.catch(() => undefined);

  // While leading: disconnect hosts whose agents went silent, and stop their tasks.
  const sweepEvery = Math.max(50, Math.floor(settings.agentHeartbeatTimeoutMs / 4));
  // A new leader first gives every agent a full timeout to reach it: while it stood by, agents'
  // reports went unanswered, so their last heartbeats are old through no fault of theirs.
  let sweeping = false;
  const sweeper = setInterval(() => {
    const now = Date.now();
    if (role !== 'leader' || sweeping || leaderSince === undefined || now < leaderSince + settings.agentHeartbeatTimeoutMs) return;
    sweeping = true;
    sweepSilentHosts(store, bus, settings.agentHeartbeatTimeoutMs, now, log)
      .catch((error: unknown) => log.error({ err: error }, 'host sweep failed'))
      .finally(() => (sweeping = false));
  }, sweepEvery);

  // While leading: events older than the retention setting go, at leadership and once an hour.
  let pruning = false;
  const pruneEvents = (): void => {
    if (role !== 'leader' || pruning) return;
    pruning = true;
    pruneOldEvents(store, Date.now() - settings.eventRetentionDays * DAY_MS)
      .then((deleted) => deleted > 0 && log.info({ deleted, retentionDays: settings.eventRetentionDays }, 'old events deleted'))
      .then(() => pruneOldAuditRecords(store, Date.now() - settings.auditRetentionDays * DAY_MS))
      .then((deleted) => deleted > 0 && log.info({ deleted, retentionDays: settings.auditRetentionDays }, 'old audit records deleted'))
      .then(() => removeUnusedBundles(store, platform.artifacts, Date.now() - UNUSED_BUNDLE_GRACE_MS))
      .then((removed) => removed > 0 && log.info({ removed }, 'source bundles no version names removed'))
      .catch((error: unknown) => log.error({ err: error }, 'event retention pass failed'))
      .finally(() => (pruning = false));
  };
  void leading.then(pruneEvents, () => undefined);
  const pruner = setInterval(pruneEvents, EVENT_PRUNE_INTERVAL_MS);

  // While leading: auto scaling, once per period.
  let scaling = false;
  const scaler = setInterval(() => {
    if (role !== 'leader' || scaling) return;
    scaling = true;
    scaleOnce(
      {
        store,
        services: { store, arnScope: { region: settings.region, accountId: settings.accountId }, wake: () => services.wake(), quotas },
        usage,
        requestsPerTarget: (targetGroupArn, periodMs, now) => requests.perTarget(targetGroupArn, targetHealth.healthyCount(targetGroupArn, now), periodMs, now),
        periodMs: settings.autoscalingPeriodMs,
        log: log.child({ part: 'autoscaling' }),
      },
      Date.now(),
    )
      .catch((error: unknown) => log.error({ err: error }, 'auto scaling pass failed'))
      .finally(() => (scaling = false));
  }, settings.autoscalingPeriodMs);

  let stopped: Promise<void> | undefined;
  return {
    url,
    joinToken,
    rootKey,
    store,
    role: () => role,
    leading,
    setPublicPort(port) {
      publicPort = port;
    },
    stop() {
      stopped ??= (async () => {
        stopping.abort();
        clearInterval(sweeper);
        clearInterval(scaler);
        clearInterval(pruner);
        await environments.close();
        await services.stop();
        bus.notifyAll();
        role = 'standby';
        await app.close();
        await rm(controllerFile, { force: true });
        await leadership.release();
        await store.close();
        log.info('controller stopped');
      })();
      return stopped;
    },
  };
}

/** The engine Docker platform builds run on: `unix:///path`, a socket path, or `tcp://host:port`; else Docker's own defaults (DOCKER_HOST). */
function dockerFor(host: string | undefined): Docker {
  if (!host) return new Docker();
  if (host.startsWith('unix://')) return new Docker({ socketPath: host.slice('unix://'.length) });
  if (host.startsWith('/')) return new Docker({ socketPath: host });
  const url = new URL(host.replace(/^tcp:/, 'http:'));
  return new Docker({ host: url.hostname, port: Number(url.port) || 2375 });
}

/** Takes the lock, and takes it again whenever it is lost, until `signal` aborts. */
async function lead(leadership: Leadership, holder: string, store: Store, log: Logger, signal: AbortSignal, setRole: (role: ControllerRole) => void): Promise<void> {
  let lost: (reason: Error) => void = () => undefined;
  leadership.onLost((reason) => lost(reason));
  let firstTime = true;
  let resolveLeading!: () => void;
  const leading = new Promise<void>((resolve) => (resolveLeading = resolve));
  void (async () => {
    while (!signal.aborted) {
      try {
        await leadership.acquire(signal);
      } catch (error) {
        if (signal.aborted) return;
        log.error({ err: error }, 'leadership acquisition failed; retrying');
        await delay(LEADERSHIP_RETRY_MS, undefined, { signal }).catch(() => undefined);
        continue;
      }
      const lostNow = new Promise<Error>((resolve) => (lost = resolve));
      setRole('leader');
      await store.events.append({ resourceType: 'controller', resourceId: holder, severity: 'INFO', message: `Controller ${holder} is now the leader.`, requestId: null }).catch((error: unknown) => log.warn({ err: error }, 'could not record leadership event'));
      if (firstTime) {
        firstTime = false;
        resolveLeading();
      }
      const reason = await Promise.race([lostNow, new Promise<undefined>((resolve) => signal.addEventListener('abort', () => resolve(undefined), { once: true }))]);
      if (reason === undefined) return;
      setRole('standby');
      log.error({ err: reason }, 'leadership lost; standing by');
    }
  })();
  return leading;
}
