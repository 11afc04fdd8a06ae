/**
 * The router's control part: it holds the routing table it serves, owns every target's health
 * (active checks, failed connections reported by the data plane, draining), and feeds the data
 * plane only what should get traffic. It never forwards a byte itself.
 *
 *   TableSource ──table──▶ Router ──compile (pure)──▶ DataPlane.apply
 *                            ▲  │
 *       health transitions ──┘  └── cache file (last table + target states) in the data folder
 *
 * Changes are applied one at a time: a change that arrives while the plane is busy is folded into
 * the next apply. A failing table source changes nothing: the last table stays in service.
 */
import type { Logger } from '../log.js';
import type { RoutingTable, Target, TargetGroup, TargetHealthDescription, TargetState } from '../model/routing.js';
import { EMPTY_ROUTING_TABLE, TARGET_STATES } from '../model/routing.js';
import type { OrphanDrainingTarget } from './compile.js';
import { compileDataPlaneConfig, newGroupKey, targetKey } from './compile.js';
import type { DataPlane, DataPlaneConfig, DataPlaneEvents } from './data-plane.js';
import type { HealthProbe } from './health-check.js';
import { TargetHealthCheck, httpHealthProbe } from './health-check.js';
import { RouterMetrics } from './metrics.js';
import { readTableCache, writeTableCache } from './table-cache.js';
import type { CachedTable } from './table-cache.js';
import type { TableSink, TableSource } from './table-source.js';
import type { TargetEvent, TargetHealth } from './target-health.js';
import { INITIAL_TARGET_HEALTH, RESTORED_HEALTHY } from './target-health.js';

/** How often draining targets are checked for being idle. */
export const DRAIN_POLL_MS = 100;
/** Pause before retrying a data plane update that failed. */
export const APPLY_RETRY_MS = 2_000;
/** How long target state changes may wait before the cache file is rewritten. */
export const CACHE_WRITE_DELAY_MS = 200;

export interface RouterOptions {
  readonly dataPlane: DataPlane;
  readonly source: TableSource;
  readonly log: Logger;
  /** Where the last table is cached; no cache without one. */
  readonly dataDir?: string;
  /** Address the listeners bind to. */
  readonly bindHost: string;
  /** Listener port (in the table) → port to bind (0: a free one); a listener not listed binds its own port. */
  readonly bindPorts?: ReadonlyMap<number, number>;
  /** The clock for decisions (drain deadlines); Date.now by default. */
  readonly now?: () => number;
  /** Multiplies health check intervals and timeouts; 1 in production, smaller in tests and benchmarks. */
  readonly healthCheckTimeScale?: number;
  readonly probe?: HealthProbe;
  readonly drainPollMs?: number;
}

interface Registered {
  readonly groupArn: string;
  readonly check: TargetHealthCheck;
}

interface Draining extends OrphanDrainingTarget {
  readonly drainDeadline: number;
  /** The apply generation that first carried the draining state to the plane. */
  readonly generation: number;
}

/** Counts by state of one target group. */
function emptyCounts(): Record<TargetState, number> {
  return Object.fromEntries(TARGET_STATES.map((state) => [state, 0])) as Record<TargetState, number>;
}

export class Router {
  readonly metrics = new RouterMetrics();
  private table: RoutingTable = EMPTY_ROUTING_TABLE;
  /** The table the data plane has in effect (the last one applied without failure). */
  private appliedTable: RoutingTable = EMPTY_ROUTING_TABLE;
  private readonly registered = new Map<string, Registered>();
  private readonly draining = new Map<string, Draining>();
  private readonly groupKeys = new Map<string, string>();
  private readonly groupsByKey = new Map<string, { arn: string; name: string }>();
  private readonly now: () => number;
  private readonly probe: HealthProbe;
  private readonly timeScale: number;
  private started = false;
  private stopped = false;
  private dirty = false;
  private pushing: Promise<void> | undefined;
  private generation = 0;
  private appliedGeneration = 0;
  private applyFailing = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private drainTimer: NodeJS.Timeout | undefined;
  private cacheTimer: NodeJS.Timeout | undefined;
  private cacheWrite: Promise<void> = Promise.resolve();
  private sourceFailing = false;

  constructor(private readonly options: RouterOptions) {
    this.now = options.now ?? Date.now;
    this.probe = options.probe ?? httpHealthProbe;
    this.timeScale = options.healthCheckTimeScale ?? 1;
  }

  /** The table being served. */
  get currentTable(): RoutingTable {
    return this.table;
  }

  get dataPlaneKind(): DataPlane['kind'] {
    return this.options.dataPlane.kind;
  }

  /**
   * Starts serving: the cached table first (when the data folder has one), then whatever the
   * source delivers. Resolves once the data plane serves the first table.
   */
  async start(): Promise<void> {
    if (this.started) throw new Error('router already started');
    this.started = true;
    const log = this.options.log;
    let cached: CachedTable | undefined;
    if (this.options.dataDir) cached = await readTableCache(this.options.dataDir, (reason) => log.warn({ reason }, 'routing table cache not used'));
    await this.options.dataPlane.start(this.planeEvents());
    if (cached) {
      log.info({ version: cached.table.version }, 'serving the cached routing table until the controller answers');
      this.install(cached.table, cached.states);
    }
    await this.requestPush();
    const sink: TableSink = {
      table: (table) => {
        if (this.sourceFailing) this.sourceFailing = false;
        log.info({ from: this.table.version, to: table.version }, 'routing table changed');
        this.install(table);
        void this.requestPush();
      },
      failed: (error) => {
        if (this.sourceFailing) return;
        this.sourceFailing = true;
        log.warn({ source: this.options.source.description, err: error instanceof Error ? error.message : String(error), version: this.table.version }, 'table source failed: serving the last table');
      },
      recovered: () => {
        if (!this.sourceFailing) return;
        this.sourceFailing = false;
        log.info({ source: this.options.source.description }, 'table source answers again');
      },
    };
    this.options.source.start(sink, this.table.version);
  }

  /** Stops the source, the checks and the data plane, and writes the cache one last time. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.options.source.stop();
    for (const entry of this.registered.values()) entry.check.stop();
    for (const timer of [this.retryTimer, this.drainTimer, this.cacheTimer]) if (timer) clearTimeout(timer);
    await this.pushing?.catch(() => undefined);
    if (this.options.dataDir && this.table.version > 0) await this.saveCache();
    await this.cacheWrite;
    await this.options.dataPlane.stop();
  }

  /** Resolves when every change made so far is in effect in the data plane. */
  async settled(): Promise<void> {
    while (this.pushing) await this.pushing;
  }

  /** Where a listener is served (its bind port can differ from the table's port). */
  address(listenerPort: number): { host: string; port: number } | undefined {
    return this.options.dataPlane.address(listenerPort);
  }

  /** The table's listeners the data plane serves now (applied, and bound to an address). */
  servedListeners(): { arn?: string; port: number }[] {
    return this.appliedTable.listeners.filter((l) => this.options.dataPlane.address(l.port) !== undefined).map((l) => ({ ...(l.arn ? { arn: l.arn } : {}), port: l.port }));
  }

  /** Every target's health, registered and draining (DescribeTargetHealth). */
  targetHealth(): TargetHealthDescription[] {
    const out: TargetHealthDescription[] = [];
    for (const entry of this.registered.values()) {
      const health = entry.check.health;
      out.push({
        targetGroupArn: entry.groupArn,
        targetId: entry.check.target.id,
        host: entry.check.target.host,
        port: entry.check.target.port,
        state: health.state,
        ...(health.reason && health.state !== 'healthy' ? { reason: health.reason } : {}),
        ...(health.description && health.state !== 'healthy' ? { description: health.description } : {}),
      });
    }
    for (const entry of this.draining.values()) {
      out.push({
        targetGroupArn: entry.targetGroupArn,
        targetId: entry.id,
        host: entry.host,
        port: entry.port,
        state: 'draining',
        reason: 'Target.DeregistrationInProgress',
        description: 'Target deregistration is in progress',
      });
    }
    return out;
  }

  // --- table changes ---------------------------------------------------------------------------

  /** Makes `table` the served table: new targets start checking, removed ones drain. */
  private install(table: RoutingTable, restoredStates?: CachedTable['states']): void {
    const now = this.now();
    const seen = new Set<string>();
    for (const group of table.targetGroups) {
      if (!this.groupKeys.has(group.arn)) this.assignGroupKey(group.arn, group.name);
      for (const target of group.targets) {
        const key = targetKey(group.arn, target.id);
        seen.add(key);
        const existing = this.registered.get(key);
        if (existing && sameEndpoint(existing.check.target, target)) {
          existing.check.reconfigure(group.healthCheck);
          continue;
        }
        if (existing) {
          // Same id, new address: the old endpoint is replaced, not drained (it cannot share the id).
          existing.check.stop();
          this.registered.delete(key);
        }
        this.draining.delete(key);
        const restored = restoredStates?.[group.arn]?.[target.id] === 'healthy' ? RESTORED_HEALTHY : INITIAL_TARGET_HEALTH;
        this.register(key, group, target, restored);
      }
    }
    for (const [key, entry] of this.registered) {
      if (seen.has(key)) continue;
      const group = this.table.targetGroups.find((g) => g.arn === entry.groupArn);
      this.beginDrain(key, entry, group, now);
    }
    this.table = table;
    this.forgetUnusedGroupKeys();
    this.metrics.setTableVersion(table.version);
    this.updateGauges();
    this.scheduleCacheWrite();
  }

  private register(key: string, group: TargetGroup, target: Target, initial: TargetHealth): void {
    const check = new TargetHealthCheck(
      target,
      group.healthCheck,
      {
        probe: this.probe,
        timeScale: this.timeScale,
        onTransition: (from, to, event) => this.onTransition(group.arn, target, from, to, event),
      },
      initial,
    );
    this.registered.set(key, { groupArn: group.arn, check });
    this.options.log.info({ targetGroup: group.name, target: target.id, address: `${target.host}:${target.port}`, state: initial.state }, 'target registered');
    check.start();
  }

  private beginDrain(key: string, entry: Registered, group: TargetGroup | undefined, now: number): void {
    entry.check.stop();
    this.registered.delete(key);
    const delaySeconds = group?.deregistrationDelaySeconds ?? 0;
    const from = entry.check.health;
    entry.check.apply({ type: 'deregistered', drainDeadline: now + delaySeconds * 1000 });
    const name = group?.name ?? this.groupOf(entry.groupArn)?.name ?? entry.groupArn;
    // A target that took no traffic has nothing to drain.
    if (delaySeconds === 0 || from.state === 'initial' || from.state === 'unhealthy') {
      this.options.log.info({ targetGroup: name, target: entry.check.target.id, from: from.state, to: 'removed' }, 'target deregistered');
      return;
    }
    this.draining.set(key, {
      targetGroupArn: entry.groupArn,
      targetGroupName: name,
      id: entry.check.target.id,
      host: entry.check.target.host,
      port: entry.check.target.port,
      drainDeadline: now + delaySeconds * 1000,
      generation: this.generation + 1,
    });
    this.scheduleDrainCheck();
  }

  private assignGroupKey(arn: string, name: string): void {
    const key = newGroupKey(name, new Set(this.groupsByKey.keys()));
    this.groupKeys.set(arn, key);
    this.groupsByKey.set(key, { arn, name });
  }

  private forgetUnusedGroupKeys(): void {
    const inUse = new Set([...this.table.targetGroups.map((g) => g.arn), ...[...this.draining.values()].map((d) => d.targetGroupArn)]);
    for (const [arn, key] of this.groupKeys) {
      if (inUse.has(arn)) continue;
      this.groupKeys.delete(arn);
      this.groupsByKey.delete(key);
    }
  }

  private groupOf(arn: string): TargetGroup | undefined {
    return this.table.targetGroups.find((g) => g.arn === arn);
  }

  // --- health ----------------------------------------------------------------------------------

  private onTransition(groupArn: string, target: Target, from: TargetHealth, to: TargetHealth, event: TargetEvent): void {
    const group = this.groupOf(groupArn);
    this.options.log.info(
      { targetGroup: group?.name ?? groupArn, target: target.id, from: from.state, to: to.state, ...(to.reason && to.state !== 'healthy' ? { reason: to.reason, description: to.description } : {}), event: event.type },
      'target state changed',
    );
    if (to.state === 'draining') return;
    this.updateGauges();
    this.scheduleCacheWrite();
    void this.requestPush();
  }

  private planeEvents(): DataPlaneEvents {
    return {
      connectionFailed: (groupKey, targetId, description) => {
        const group = this.groupsByKey.get(groupKey);
        if (!group) return;
        this.metrics.connectionFailed(group.name, targetId);
        const entry = this.registered.get(targetKey(group.arn, targetId));
        if (!entry) return;
        entry.check.apply({ type: 'connection-failed', description });
        entry.check.checkSoon();
      },
      observe: (groupKey, targetId, status, seconds) => {
        const group = this.groupsByKey.get(groupKey);
        if (group) this.metrics.observe(group.name, targetId, status, seconds);
      },
      answered: (listenerPort, status) => this.metrics.answered(listenerPort, status),
    };
  }

  private updateGauges(): void {
    const counts = new Map<string, Record<TargetState, number>>();
    for (const group of this.table.targetGroups) counts.set(group.name, emptyCounts());
    for (const entry of this.registered.values()) {
      const name = this.groupOf(entry.groupArn)?.name;
      const byState = name === undefined ? undefined : counts.get(name);
      if (byState) byState[entry.check.health.state] += 1;
    }
    for (const entry of this.draining.values()) {
      const byState = counts.get(entry.targetGroupName) ?? emptyCounts();
      byState.draining += 1;
      counts.set(entry.targetGroupName, byState);
    }
    this.metrics.setTargetCounts(counts);
  }

  // --- draining --------------------------------------------------------------------------------

  private scheduleDrainCheck(): void {
    if (this.drainTimer || this.stopped) return;
    this.drainTimer = setTimeout(() => {
      this.drainTimer = undefined;
      void this.checkDraining();
    }, this.options.drainPollMs ?? DRAIN_POLL_MS);
    this.drainTimer.unref();
  }

  private async checkDraining(): Promise<void> {
    const now = this.now();
    let removed = false;
    for (const [key, entry] of [...this.draining]) {
      let reason: string | undefined;
      if (now >= entry.drainDeadline) reason = 'deregistration delay elapsed';
      else if (entry.generation <= this.appliedGeneration) {
        const groupKey = this.groupKeys.get(entry.targetGroupArn);
        const inFlight = groupKey === undefined ? 0 : await this.options.dataPlane.inFlight(groupKey, entry.id).catch(() => 1);
        if (inFlight === 0) reason = 'no requests in flight';
      }
      if (reason === undefined || this.draining.get(key) !== entry) continue;
      this.draining.delete(key);
      removed = true;
      this.options.log.info({ targetGroup: entry.targetGroupName, target: entry.id, from: 'draining', to: 'removed', reason }, 'target drained');
    }
    if (removed) {
      this.forgetUnusedGroupKeys();
      this.updateGauges();
      void this.requestPush();
    }
    if (this.draining.size > 0) this.scheduleDrainCheck();
  }

  // --- feeding the data plane ------------------------------------------------------------------

  /** What the data plane should serve now. */
  compile(): DataPlaneConfig {
    const health = new Map<string, TargetHealth>();
    for (const [key, entry] of this.registered) health.set(key, entry.check.health);
    const draining = [...this.draining.values()];
    return compileDataPlaneConfig({
      table: this.table,
      health,
      draining,
      bindPorts: this.options.bindPorts ?? new Map(),
      bindHost: this.options.bindHost,
      groupKeys: this.groupKeys,
    });
  }

  private requestPush(): Promise<void> {
    this.dirty = true;
    if (!this.pushing) {
      this.pushing = this.pushLoop().finally(() => {
        this.pushing = undefined;
      });
    }
    return this.pushing;
  }

  private async pushLoop(): Promise<void> {
    while (this.dirty && !this.stopped) {
      this.dirty = false;
      const generation = ++this.generation;
      const table = this.table;
      try {
        await this.options.dataPlane.apply(this.compile());
        this.appliedGeneration = generation;
        this.appliedTable = table;
        if (this.applyFailing) {
          this.applyFailing = false;
          this.options.log.info({ version: this.table.version }, 'data plane updated again');
        }
      } catch (error) {
        if (!this.applyFailing) {
          this.applyFailing = true;
          this.options.log.error({ err: error, version: this.table.version }, 'data plane update failed: it keeps its previous configuration; retrying');
        }
        if (!this.retryTimer && !this.stopped) {
          this.retryTimer = setTimeout(() => {
            this.retryTimer = undefined;
            void this.requestPush();
          }, APPLY_RETRY_MS);
          this.retryTimer.unref();
        }
        return;
      }
    }
  }

  // --- cache -----------------------------------------------------------------------------------

  private scheduleCacheWrite(): void {
    if (!this.options.dataDir || this.cacheTimer || this.stopped) return;
    this.cacheTimer = setTimeout(() => {
      this.cacheTimer = undefined;
      void this.saveCache();
    }, CACHE_WRITE_DELAY_MS);
    this.cacheTimer.unref();
  }

  private saveCache(): Promise<void> {
    const dataDir = this.options.dataDir;
    if (!dataDir) return Promise.resolve();
    const states: Record<string, Record<string, TargetState>> = {};
    for (const entry of this.registered.values()) {
      (states[entry.groupArn] ??= {})[entry.check.target.id] = entry.check.health.state;
    }
    const cache: CachedTable = { table: this.table, states };
    this.cacheWrite = this.cacheWrite
      .then(() => writeTableCache(dataDir, cache))
      .catch((error: unknown) => this.options.log.warn({ err: error instanceof Error ? error.message : String(error), dataDir }, 'could not write the routing table cache'));
    return this.cacheWrite;
  }
}

function sameEndpoint(a: Target, b: Target): boolean {
  return a.host === b.host && a.port === b.port;
}
