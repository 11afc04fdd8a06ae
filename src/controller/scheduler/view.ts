/**
 * The working view placement reads and updates: one cluster's hosts laid out in flat arrays
 * (remaining CPU and memory, used ports, tasks per group) so that a batch of placements sees
 * every earlier placement of the batch. Build it from a snapshot with `createPlacementCluster`, place
 * with `placeTasks`, and persist the placements; the view itself is never stored.
 */
import { MAX_TASKS_PER_HOST } from '../../model/cluster.js';
import type { HostResources, PlacementHost, PortProtocol } from '../../model/placement.js';
import { DEFAULT_DYNAMIC_PORT_RANGE } from '../../model/placement.js';
import type { QueryTarget } from './query.js';
import { SortedIndex } from './sorted-index.js';

export interface PlacementClusterOptions {
  /** Where dynamic host ports come from (ECS: the host's ephemeral range; default 49153-65535). */
  readonly dynamicPortRange?: { readonly from: number; readonly to: number };
  /** Tasks not STOPPED a host may hold: one holding this many has no room (default MAX_TASKS_PER_HOST, the controller's setting). */
  readonly maxTasksPerHost?: number;
}

/** One attribute across all hosts: a small integer per host (`values.length` when missing). */
export interface AttributeColumn {
  readonly valueIds: Int32Array;
  readonly values: readonly string[];
}

/** Per-value task counts of one group over one attribute, kept current as tasks are placed. */
interface SpreadCounts {
  readonly column: AttributeColumn;
  readonly counts: Int32Array;
}

/** Host status codes in `PlacementCluster.state`. */
export const HOST_OK = 0;
export const HOST_INACTIVE = 1;
export const HOST_NO_AGENT = 2;

/** One cluster's hosts as placement sees them (the API's cluster in ECS's shape is `ClusterView` in model/api/clusters.ts). */
export class PlacementCluster {
  readonly size: number;
  readonly hosts: readonly PlacementHost[];
  /** 0 ok, 1 not ACTIVE, 2 agent disconnected. */
  readonly state: Uint8Array;
  readonly cpu: Float64Array;
  readonly memory: Float64Array;
  readonly portsTcp: Set<number>[];
  readonly portsUdp: Set<number>[];
  /** Used ports inside the dynamic range, per protocol. */
  readonly dynamicUsedTcp: Int32Array;
  readonly dynamicUsedUdp: Int32Array;
  private readonly dynamicCursorTcp: Int32Array;
  private readonly dynamicCursorUdp: Int32Array;
  /** Tasks not STOPPED per host, placements of the batch included. */
  readonly running: Int32Array;
  readonly maxTasksPerHost: number;
  readonly dynamicPortRange: { readonly from: number; readonly to: number };
  /** Group name to (host index to task count). */
  readonly groups = new Map<string, Map<number, number>>();
  private readonly byId = new Map<string, number>();
  private readonly columns = new Map<string, AttributeColumn>();
  private readonly spread = new Map<string, Map<string, SpreadCounts>>();
  private readonly indexes: { cpu?: SortedIndex; memory?: SortedIndex } = {};
  /** Static-eligibility masks by constraint key; hosts' attributes and states do not change in a view. */
  readonly eligibilityCache = new Map<string, { readonly reasons: Uint8Array; readonly eligible: Int32Array }>();

  constructor(hosts: readonly PlacementHost[], options: PlacementClusterOptions = {}) {
    const n = hosts.length;
    this.size = n;
    this.hosts = hosts;
    this.dynamicPortRange = options.dynamicPortRange ?? DEFAULT_DYNAMIC_PORT_RANGE;
    this.maxTasksPerHost = options.maxTasksPerHost ?? MAX_TASKS_PER_HOST;
    this.state = new Uint8Array(n);
    this.cpu = new Float64Array(n);
    this.memory = new Float64Array(n);
    this.portsTcp = new Array<Set<number>>(n);
    this.portsUdp = new Array<Set<number>>(n);
    this.dynamicUsedTcp = new Int32Array(n);
    this.dynamicUsedUdp = new Int32Array(n);
    this.dynamicCursorTcp = new Int32Array(n).fill(this.dynamicPortRange.from);
    this.dynamicCursorUdp = new Int32Array(n).fill(this.dynamicPortRange.from);
    this.running = new Int32Array(n);
    const cluster = hosts[0]?.cluster;
    for (let i = 0; i < n; i++) {
      const h = hosts[i]!;
      if (h.cluster !== cluster) throw new TypeError(`A cluster view holds one cluster's hosts: ${h.id} is in ${h.cluster}, not ${cluster}`);
      if (this.byId.has(h.id)) throw new TypeError(`Host ${h.id} appears twice in the cluster view`);
      this.byId.set(h.id, i);
      this.state[i] = h.status !== 'ACTIVE' ? HOST_INACTIVE : h.agentConnected ? HOST_OK : HOST_NO_AGENT;
      this.cpu[i] = h.remaining.cpu;
      this.memory[i] = h.remaining.memory;
      this.portsTcp[i] = new Set(h.remaining.portsTcp);
      this.portsUdp[i] = new Set(h.remaining.portsUdp);
      this.dynamicUsedTcp[i] = this.countInRange(this.portsTcp[i]!);
      this.dynamicUsedUdp[i] = this.countInRange(this.portsUdp[i]!);
      let total = 0;
      for (const [group, count] of Object.entries(h.groupCounts)) {
        if (count <= 0) continue;
        total += count;
        let m = this.groups.get(group);
        if (!m) this.groups.set(group, (m = new Map()));
        m.set(i, count);
      }
      this.running[i] = h.runningTasksCount ?? total;
    }
  }

  /** The index of a host by id, or -1. */
  indexOf(hostId: string): number {
    return this.byId.get(hostId) ?? -1;
  }

  /** A host's remaining resources as the view has them now (after earlier placements). */
  remainingOf(hostId: string): HostResources {
    const i = this.indexOf(hostId);
    if (i < 0) throw new RangeError(`No host ${hostId} in the cluster view`);
    return { cpu: this.cpu[i]!, memory: this.memory[i]!, portsTcp: [...this.portsTcp[i]!], portsUdp: [...this.portsUdp[i]!] };
  }

  /** Tasks of `group` on the host at `index`. */
  groupCount(group: string, index: number): number {
    return this.groups.get(group)?.get(index) ?? 0;
  }

  /** The group's host-to-count map, created empty when the group has no tasks yet. */
  groupMap(group: string): Map<number, number> {
    let m = this.groups.get(group);
    if (!m) this.groups.set(group, (m = new Map()));
    return m;
  }

  /** The attribute's value per host, built once per attribute name. */
  attributeColumn(name: string): AttributeColumn {
    let column = this.columns.get(name);
    if (column) return column;
    const ids = new Map<string, number>();
    const values: string[] = [];
    const raw = new Int32Array(this.size);
    for (let i = 0; i < this.size; i++) {
      const v = this.hosts[i]!.attributes[name];
      if (v === undefined) {
        raw[i] = -1;
        continue;
      }
      let id = ids.get(v);
      if (id === undefined) {
        id = values.length;
        ids.set(v, id);
        values.push(v);
      }
      raw[i] = id;
    }
    for (let i = 0; i < this.size; i++) if (raw[i] === -1) raw[i] = values.length;
    column = { valueIds: raw, values };
    this.columns.set(name, column);
    return column;
  }

  /** Tasks of `group` per value of `attribute` (the last slot counts hosts without it). */
  spreadCounts(group: string, attribute: string): Int32Array {
    let byAttribute = this.spread.get(group);
    if (!byAttribute) this.spread.set(group, (byAttribute = new Map()));
    let entry = byAttribute.get(attribute);
    if (!entry) {
      const column = this.attributeColumn(attribute);
      const counts = new Int32Array(column.values.length + 1);
      for (const [host, count] of this.groupMap(group)) counts[column.valueIds[host]!]! += count;
      entry = { column, counts };
      byAttribute.set(attribute, entry);
    }
    return entry.counts;
  }

  /** Hosts ordered by remaining `field`, built on first use and kept current. */
  sortedIndex(field: 'cpu' | 'memory'): SortedIndex {
    return (this.indexes[field] ??= new SortedIndex(field === 'cpu' ? this.cpu : this.memory));
  }

  /** Free ports left in the dynamic range on a host. */
  dynamicFree(index: number, protocol: PortProtocol): number {
    const size = this.dynamicPortRange.to - this.dynamicPortRange.from + 1;
    return size - (protocol === 'tcp' ? this.dynamicUsedTcp[index]! : this.dynamicUsedUdp[index]!);
  }

  /**
   * Records one task on a host: takes its CPU, memory and ports (choosing dynamic ones), counts it
   * in its group. Returns the host ports in the order of `ports`. The caller checked it fits.
   */
  commit(index: number, cpu: number, memory: number, ports: readonly { hostPort: number; protocol: PortProtocol }[], group: string): number[] {
    if (cpu !== 0) {
      this.cpu[index]! -= cpu;
      this.indexes.cpu?.decreased(index);
    }
    if (memory !== 0) {
      this.memory[index]! -= memory;
      this.indexes.memory?.decreased(index);
    }
    const hostPorts: number[] = [];
    for (const need of ports) if (need.hostPort !== 0) this.takePort(index, need.hostPort, need.protocol);
    for (const need of ports) hostPorts.push(need.hostPort !== 0 ? need.hostPort : this.takeDynamicPort(index, need.protocol));
    const m = this.groupMap(group);
    m.set(index, (m.get(index) ?? 0) + 1);
    this.running[index]!++;
    const byAttribute = this.spread.get(group);
    if (byAttribute) for (const entry of byAttribute.values()) entry.counts[entry.column.valueIds[index]!]!++;
    return hostPorts;
  }

  /** A query target over the host at `index`, reused between calls (set `index` before evaluating). */
  queryTarget(): QueryTarget & { index: number } {
    return new HostQueryTarget(this);
  }

  private countInRange(ports: Set<number>): number {
    let c = 0;
    for (const p of ports) if (p >= this.dynamicPortRange.from && p <= this.dynamicPortRange.to) c++;
    return c;
  }

  private takePort(index: number, port: number, protocol: PortProtocol): void {
    const set = protocol === 'tcp' ? this.portsTcp[index]! : this.portsUdp[index]!;
    if (set.has(port)) return;
    set.add(port);
    if (port >= this.dynamicPortRange.from && port <= this.dynamicPortRange.to) {
      if (protocol === 'tcp') this.dynamicUsedTcp[index]!++;
      else this.dynamicUsedUdp[index]!++;
    }
  }

  private takeDynamicPort(index: number, protocol: PortProtocol): number {
    const { from, to } = this.dynamicPortRange;
    const set = protocol === 'tcp' ? this.portsTcp[index]! : this.portsUdp[index]!;
    const cursor = protocol === 'tcp' ? this.dynamicCursorTcp : this.dynamicCursorUdp;
    let port = cursor[index]!;
    for (let tries = 0; tries <= to - from; tries++) {
      if (port > to) port = from;
      if (!set.has(port)) {
        cursor[index] = port + 1;
        this.takePort(index, port, protocol);
        return port;
      }
      port++;
    }
    throw new RangeError(`No free dynamic ${protocol} port on host ${this.hosts[index]!.id}; placement should have checked`);
  }
}

/** The cluster query language's view of one host of a `PlacementCluster`; move it with `index`. */
class HostQueryTarget implements QueryTarget {
  index = 0;
  constructor(private readonly view: PlacementCluster) {}
  attribute(name: string): string | undefined {
    return this.view.hosts[this.index]!.attributes[name];
  }
  get agentConnected(): boolean {
    return this.view.hosts[this.index]!.agentConnected;
  }
  get agentVersion(): string | undefined {
    return this.view.hosts[this.index]!.agentVersion;
  }
  get ec2InstanceId(): string {
    const h = this.view.hosts[this.index]!;
    return h.ec2InstanceId ?? h.id;
  }
  get registeredAt(): number | undefined {
    return this.view.hosts[this.index]!.registeredAt;
  }
  get runningTasksCount(): number {
    return this.view.running[this.index]!;
  }
  taskGroupCount(group: string): number {
    return this.view.groupCount(group, this.index);
  }
  taskGroups(): Iterable<string> {
    return this.view.groups.keys();
  }
}

/** A working view over one cluster's hosts (all with the same `cluster`, ids unique). */
export function createPlacementCluster(hosts: readonly PlacementHost[], options: PlacementClusterOptions = {}): PlacementCluster {
  return new PlacementCluster(hosts, options);
}
