/**
 * The haproxy data plane: Debian's HAProxy, programmed through its Runtime API and map files
 * (layout.ts has the scheme). Target changes, health changes and route changes are runtime
 * commands (no reload); new listeners, new target groups and groups outgrowing their slots are a
 * seamless master-worker reload. Per-request metrics and passive health come from HAProxy's log
 * lines, streamed from its log ring over the stats socket (log-receiver.ts); requests in flight
 * from `show stat`.
 */
import { lookup } from 'node:dns/promises';
import { rename } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { makePrivateDir, writePrivateFile } from '../../files.js';
import type { Logger } from '../../log.js';
import { wharfError } from '../../model/errors.js';
import type { DataPlane, DataPlaneConfig, DataPlaneEvents } from '../data-plane.js';
import type { Layout, ListenerLayout } from './layout.js';
import { EMPTY_LAYOUT, LOG_RING, planLayout, renderConfig, routesMapFile, routesMapText, slotName, structureKey, weightsMapFile, weightsMapText } from './layout.js';
import type { RequestLine } from './log-receiver.js';
import { LogReader } from './log-receiver.js';
import { HAProxyProcess, findHAProxy } from './process.js';
import { RuntimeApi } from './runtime.js';

export interface HAProxyDataPlaneOptions {
  /** The plane's own folder: configuration, map files, sockets, HAProxy's output. Keep its path short (unix sockets). */
  readonly dataDir: string;
  readonly log: Logger;
  /** The haproxy binary (default Debian's, or one on PATH). */
  readonly binary?: string;
}

/** Whether HAProxy is installed (for `--data-plane auto`). */
export function haproxyInstalled(binary?: string): boolean {
  return findHAProxy(binary) !== undefined;
}

export class HAProxyDataPlane implements DataPlane {
  readonly kind = 'haproxy' as const;
  private readonly dir: string;
  private readonly configFile: string;
  private readonly runtime: RuntimeApi;
  private readonly process: HAProxyProcess;
  private readonly logs: LogReader;
  private events: DataPlaneEvents | undefined;
  /** What HAProxy serves now. */
  private layout: Layout = EMPTY_LAYOUT;
  private structure = structureKey(EMPTY_LAYOUT);
  /** Listener port → the port it is bound on (a requested 0 is resolved once, then kept). */
  private readonly bound = new Map<number, { host: string; requested: number; port: number }>();
  /** `backend/server` → the target that is (or last was) in that slot, for log lines. */
  private readonly occupants = new Map<string, { groupKey: string; targetId: string }>();
  private readonly resolved = new Map<string, string>();
  private readonly mapTexts = new Map<string, string>();
  private started = false;

  constructor(private readonly options: HAProxyDataPlaneOptions) {
    const binary = findHAProxy(options.binary);
    if (!binary) throw wharfError('WHARF_E_HAPROXY_NOT_INSTALLED', { binary: options.binary ?? 'haproxy' });
    this.dir = path.resolve(options.dataDir);
    this.configFile = path.join(this.dir, 'haproxy.cfg');
    this.runtime = new RuntimeApi(path.join(this.dir, 'admin.sock'));
    this.process = new HAProxyProcess({ binary, dir: this.dir, configFile: this.configFile, log: options.log });
    this.logs = new LogReader(this.runtime.socketPath, LOG_RING, { request: (line) => this.onRequest(line), serverDown: (backend, server, info) => this.onServerDown(backend, server, info) }, options.log);
  }

  async start(events: DataPlaneEvents): Promise<void> {
    this.events = events;
    await makePrivateDir(this.dir);
    await this.writeFiles(EMPTY_LAYOUT);
    await this.process.start(this.runtime);
    await this.logs.attach(true);
    this.started = true;
  }

  async apply(config: DataPlaneConfig): Promise<void> {
    if (!this.started) throw new Error('the haproxy data plane is not started');
    const withPorts: DataPlaneConfig = { ...config, listeners: await Promise.all(config.listeners.map(async (l) => ({ ...l, bindPort: await this.bindPort(l.port, l.bindHost, l.bindPort) }))) };
    await this.resolveHosts(config);
    const next = planLayout(withPorts, this.layout, (host) => this.resolved.get(host) ?? host);
    const structure = structureKey(next);
    if (structure !== this.structure) {
      await this.writeFiles(next);
      await this.process.check(this.configFile);
      await this.process.reload(this.runtime);
      await this.logs.attach(true);
      this.options.log.info({ listeners: next.listeners.map((l) => l.port), backends: [...next.backends.keys()] }, 'haproxy configuration reloaded');
    } else {
      await this.applyAtRuntime(next);
    }
    this.layout = next;
    this.structure = structure;
    for (const backend of next.backends.values()) {
      backend.slots.forEach((slot, index) => {
        if (slot) this.occupants.set(`${backend.key}/${slotName(index)}`, { groupKey: backend.key, targetId: slot.targetId });
      });
    }
    for (const port of this.bound.keys()) if (!next.listeners.some((l) => l.port === port)) this.bound.delete(port);
  }

  async inFlight(groupKey: string, targetId: string): Promise<number> {
    const backend = this.layout.backends.get(groupKey);
    const index = backend?.slots.findIndex((slot) => slot?.targetId === targetId) ?? -1;
    if (!backend || index === -1) return 0;
    return (await this.runtime.currentSessions(groupKey, slotName(index))) ?? 0;
  }

  address(listenerPort: number): { host: string; port: number } | undefined {
    const bound = this.bound.get(listenerPort);
    return bound && this.layout.listeners.some((l) => l.port === listenerPort) ? { host: bound.host, port: bound.port } : undefined;
  }

  async stop(): Promise<void> {
    this.logs.stop();
    await this.process.stop();
  }

  // --- runtime changes -------------------------------------------------------------------------

  /** Slots and maps by Runtime API commands (the structure is unchanged). */
  private async applyAtRuntime(next: Layout): Promise<void> {
    const enable: string[] = [];
    const disable: string[] = [];
    for (const backend of next.backends.values()) {
      const before = this.layout.backends.get(backend.key);
      backend.slots.forEach((after, index) => {
        const was = before?.slots[index];
        const server = `${backend.key}/${slotName(index)}`;
        if (was && !after) {
          disable.push(`set server ${server} state maint`);
          // A draining target removed at its deadline: cut what is still in flight.
          if (was.draining) disable.push(`shutdown sessions server ${server}`);
        } else if (after && (!was || was.targetId !== after.targetId || was.address !== after.address || was.port !== after.port)) {
          if (was) enable.push(`set server ${server} state maint`);
          enable.push(`set server ${server} addr ${after.address} port ${after.port}`, `set weight ${server} ${after.weight}`, `set server ${server} state ${after.draining ? 'drain' : 'ready'}`, `set server ${server} health up`);
        } else if (after && was && after.draining !== was.draining) {
          if (after.draining) enable.push(`set server ${server} state drain`);
          else enable.push(`set weight ${server} ${after.weight}`, `set server ${server} state ready`, `set server ${server} health up`);
        } else if (after && was && !after.draining && after.weight !== was.weight) {
          enable.push(`set weight ${server} ${after.weight}`);
        }
      });
    }
    for (const command of enable) await this.runtime.run(command, /^$|changed|no need to change/);
    for (const listener of next.listeners) await this.updateMaps(listener);
    for (const command of disable) await this.runtime.run(command);
    await this.writeFiles(next, { configToo: false });
  }

  private async updateMaps(listener: ListenerLayout): Promise<void> {
    const routesFile = routesMapFile(this.dir, listener.port);
    const routesText = routesMapText(listener);
    if (this.mapTexts.get(routesFile) !== routesText) {
      await this.runtime.replaceMap(routesFile, listener.routes.map((regex, index) => [regex, String(index + 1)] as const));
    }
    const weightsFile = weightsMapFile(this.dir, listener.port);
    const weightsText = weightsMapText(listener);
    if (this.mapTexts.get(weightsFile) !== weightsText) {
      await this.runtime.replaceMap(weightsFile, listener.weights.map((line) => line.split(' ') as [string, string]));
    }
  }

  // --- files -----------------------------------------------------------------------------------

  /** Writes the map files (and the configuration) for `layout`, each atomically. */
  private async writeFiles(layout: Layout, options: { configToo?: boolean } = {}): Promise<void> {
    for (const listener of layout.listeners) {
      await this.writeAtomically(routesMapFile(this.dir, listener.port), routesMapText(listener));
      await this.writeAtomically(weightsMapFile(this.dir, listener.port), weightsMapText(listener));
    }
    if (options.configToo === false) return;
    await this.writeAtomically(this.configFile, renderConfig(layout, { dir: this.dir, statsSocket: this.runtime.socketPath }));
  }

  private async writeAtomically(file: string, text: string): Promise<void> {
    if (this.mapTexts.get(file) === text) return;
    const temp = `${file}.tmp`;
    await writePrivateFile(temp, text);
    await rename(temp, file);
    this.mapTexts.set(file, text);
  }

  // --- ports and addresses ---------------------------------------------------------------------

  private async bindPort(listenerPort: number, host: string, requested: number): Promise<number> {
    const known = this.bound.get(listenerPort);
    if (known && known.host === host && known.requested === requested) return known.port;
    const port = requested === 0 ? await freePort(host) : requested;
    this.bound.set(listenerPort, { host, requested, port });
    return port;
  }

  private async resolveHosts(config: DataPlaneConfig): Promise<void> {
    for (const group of config.targetGroups) {
      for (const target of group.targets) {
        if (net.isIP(target.host) || this.resolved.has(target.host)) continue;
        const { address } = await lookup(target.host, { family: 4 });
        this.resolved.set(target.host, address);
      }
    }
  }

  // --- log lines -------------------------------------------------------------------------------

  private onRequest(line: RequestLine): void {
    const events = this.events;
    if (!events) return;
    const occupant = line.server === '<NOSRV>' ? undefined : this.occupants.get(`${line.backend}/${line.server}`);
    if (occupant) {
      events.observe(occupant.groupKey, occupant.targetId, line.status, line.ms / 1000);
      return;
    }
    const port = /^listener-(\d+)$/.exec(line.frontend)?.[1];
    if (port !== undefined) events.answered(Number(port), line.status);
  }

  private onServerDown(backend: string, server: string, info: string): void {
    const occupant = this.occupants.get(`${backend}/${server}`);
    if (occupant) this.events?.connectionFailed(occupant.groupKey, occupant.targetId, `Connection failed (HAProxy: ${info || 'health analyze'})`);
  }
}

/** A free TCP port on `host` (asked of the OS, then released for HAProxy to bind). */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}
