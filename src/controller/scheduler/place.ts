/**
 * Placement: choose a host for each of `count` tasks with the same requirement, in two phases.
 *
 * 1. Feasibility. Once per request, hosts that are not ACTIVE, have no connected agent, or fail a
 *    memberOf expression that reads only host facts are filtered out (cached per constraint set).
 *    Per task, a candidate must still fit: dynamic memberOf expressions (`task:group`,
 *    `runningTasksCount`), distinctInstance, room for one more task (`maxTasksPerHost`), CPU,
 *    memory, TCP ports, UDP ports, in that order.
 * 2. Ranking. Candidates are compared by the strategies in order (binpack: least remaining first;
 *    spread: fewest tasks of the group on the host or attribute value; random), later strategies
 *    breaking ties of earlier ones; remaining ties go to the first candidate found.
 *
 * Only a bounded sample is ranked: `k = max(MIN_SAMPLE, ceil(log2 eligible))` feasible hosts (Nomad's
 * log2 limit, with a floor so that small clusters are ranked in full and spread exactly), taken from a shuffled ring of eligible hosts that the next task continues from. When
 * the first strategy is binpack, the candidates are instead the k tightest fits from a sorted
 * index of remaining CPU or memory, so packing is as tight as scoring every host; a binpack
 * later in the list adds those k tightest fits to the k sampled ones.
 *
 * Every placement updates the view before the next task, so a batch is consistent. A task that
 * fits nowhere ends the request: it and the tasks after it come back as one ECS failure, whose
 * reason is that of the host that got furthest through the checks (the "closest matching"
 * container instance), never as an exception.
 */
import type { Placement, PlacementConstraint, PlacementFailure, PlacementFailureReason, PlacementHost, PlacementStrategy, TaskRequirement } from '../../model/placement.js';
import { MAX_PLACEMENT_CONSTRAINTS, MAX_PLACEMENT_STRATEGIES } from '../../model/placement.js';
import type { ClusterQuery } from './query.js';
import { evaluateClusterQuery, parseClusterQuery } from './query.js';
import type { Rng } from './random.js';
import { shuffleInPlace } from './random.js';
import type { PlacementCluster } from './view.js';
import { HOST_INACTIVE, HOST_NO_AGENT } from './view.js';

export interface PlaceOptions {
  /** The random source for sampling and the random strategy; seed it for repeatable results. */
  readonly rng: Rng;
  /**
   * Feasible hosts ranked per task. Default `max(MIN_SAMPLE, ceil(log2 eligible))`; `'all'` ranks every
   * feasible host (the slow reference the sampling is measured against).
   */
  readonly sampleSize?: number | 'all';
}

export interface PlacementResult {
  /** One per placed task, in order. */
  readonly placements: Placement[];
  /** At most one: the tasks that could not be placed and why. */
  readonly failures: PlacementFailure[];
  /** Feasibility checks made per task on hosts, summed (to see the sampling at work). */
  readonly hostsChecked: number;
}

/** Most hosts a leading binpack looks at in its index for one task before falling back to the ring. */
export const BINPACK_SCAN_LIMIT = 512;

// Check stages, in the order a host goes through them; a higher stage is a closer match.
const R_OK = 0;
const R_INACTIVE = 1;
const R_AGENT = 2;
const R_ATTRIBUTE = 3;
const R_DISTINCT = 4;
const R_TASKS = 5;
const R_CPU = 6;
const R_MEMORY = 7;
const R_PORTS = 8;
const R_PORTS_UDP = 9;
/** A dynamic memberOf that failed: may pass later in the batch, so the host stays in the ring. */
const R_ATTRIBUTE_DYNAMIC = 10;

const REASON_NAMES: Readonly<Record<number, PlacementFailureReason>> = {
  [R_INACTIVE]: 'INACTIVE',
  [R_AGENT]: 'AGENT',
  [R_ATTRIBUTE]: 'ATTRIBUTE',
  [R_DISTINCT]: 'DISTINCT_INSTANCE',
  [R_TASKS]: 'RESOURCE:TASKS',
  [R_CPU]: 'RESOURCE:CPU',
  [R_MEMORY]: 'RESOURCE:MEMORY',
  [R_PORTS]: 'RESOURCE:PORTS',
  [R_PORTS_UDP]: 'RESOURCE:PORTS_UDP',
};

const S_BINPACK_CPU = 0;
const S_BINPACK_MEMORY = 1;
const S_SPREAD_INSTANCE = 2;
const S_SPREAD_ATTRIBUTE = 3;
const S_RANDOM = 4;

interface Strategy {
  readonly kind: number;
  /** For spread on an attribute: value id per host, and tasks of the group per value. */
  readonly valueIds?: Int32Array;
  readonly counts?: Int32Array;
}

/**
 * Problems with a strategy and constraint list, as messages naming the offending entry (empty
 * when valid). The API validates with this; `placeTasks` throws a TypeError on invalid input.
 */
export function placementInputProblems(strategies: readonly PlacementStrategy[], constraints: readonly PlacementConstraint[]): string[] {
  const problems: string[] = [];
  if (strategies.length > MAX_PLACEMENT_STRATEGIES) problems.push(`placementStrategy: at most ${MAX_PLACEMENT_STRATEGIES} strategies, got ${strategies.length}`);
  if (constraints.length > MAX_PLACEMENT_CONSTRAINTS) problems.push(`placementConstraints: at most ${MAX_PLACEMENT_CONSTRAINTS} constraints, got ${constraints.length}`);
  strategies.forEach((s, i) => {
    if (s.type === 'binpack' && s.field !== 'cpu' && s.field !== 'memory') problems.push(`placementStrategy.${i}.field: binpack takes "cpu" or "memory", got ${JSON.stringify(s.field)}`);
    if (s.type === 'spread' && !(s.field === 'instanceId' || s.field === 'host' || (s.field !== undefined && /^attribute:[A-Za-z0-9\-_/.]{1,128}$/.test(s.field))))
      problems.push(`placementStrategy.${i}.field: spread takes "instanceId", "host" or "attribute:<name>", got ${JSON.stringify(s.field)}`);
    if (s.type !== 'binpack' && s.type !== 'spread' && s.type !== 'random') problems.push(`placementStrategy.${i}.type: binpack, spread or random, got ${JSON.stringify(s.type)}`);
  });
  constraints.forEach((c, i) => {
    if (c.type === 'distinctInstance') {
      if (c.expression) problems.push(`placementConstraints.${i}.expression: distinctInstance takes no expression`);
    } else if (c.type === 'memberOf') {
      if (!c.expression) problems.push(`placementConstraints.${i}.expression: memberOf needs a cluster query expression`);
      else {
        try {
          parseClusterQuery(c.expression);
        } catch (error) {
          problems.push(`placementConstraints.${i}.expression: ${(error as Error).message}`);
        }
      }
    } else problems.push(`placementConstraints.${i}.type: distinctInstance or memberOf, got ${JSON.stringify(c.type)}`);
  });
  return problems;
}

/** Most values of a leading attribute spread the sample widens for; see `spreadWidth`. */
export const SPREAD_SAMPLE_WIDTH_LIMIT = 8;

/** The fewest feasible hosts ranked per task: clusters this small are ranked in full. */
export const MIN_SAMPLE = 16;

/**
 * How many times log2(n) hosts to sample. A leading spread over an attribute with V values
 * leaves only about 1/V of the sample in the winning value, too few for the strategies after it
 * (spread by instance within a zone, say) to choose well; so the sample grows by V, up to 8.
 */
function spreadWidth(strategies: readonly Strategy[]): number {
  const lead = strategies[0];
  if (lead?.kind !== S_SPREAD_ATTRIBUTE || strategies.length < 2) return 1;
  return Math.min(SPREAD_SAMPLE_WIDTH_LIMIT, Math.max(1, lead.counts!.length - 1));
}

/** Static eligibility for a constraint set: the stage each host fails at (0 = eligible) and the eligible list. */
function staticEligibility(view: PlacementCluster, queries: readonly ClusterQuery[]): { readonly reasons: Uint8Array; readonly eligible: Int32Array } {
  const key = queries.map((q) => q.source).sort().join('\n');
  const cached = view.eligibilityCache.get(key);
  if (cached) return cached;
  const reasons = new Uint8Array(view.size);
  const target = view.queryTarget();
  const eligible: number[] = [];
  for (let h = 0; h < view.size; h++) {
    const state = view.state[h];
    if (state === HOST_INACTIVE) reasons[h] = R_INACTIVE;
    else if (state === HOST_NO_AGENT) reasons[h] = R_AGENT;
    else {
      target.index = h;
      reasons[h] = queries.every((q) => evaluateClusterQuery(q, target)) ? R_OK : R_ATTRIBUTE;
    }
    if (reasons[h] === R_OK) eligible.push(h);
  }
  const entry = { reasons, eligible: Int32Array.from(eligible) };
  view.eligibilityCache.set(key, entry);
  return entry;
}

/**
 * The hosts that take tasks under `constraints` at all: ACTIVE, agent connected, and passing every
 * memberOf expression that reads only host facts, in view order. A DAEMON service runs one task on
 * each. Expressions that read tasks (`task:group`, `runningTasksCount`) and distinctInstance change
 * as tasks are placed, so they are left to placement. Throws ClusterQueryError on a bad expression.
 */
export function eligibleHosts(view: PlacementCluster, constraints: readonly PlacementConstraint[]): PlacementHost[] {
  const queries = constraints.flatMap((c) => (c.type === 'memberOf' ? [parseClusterQuery(c.expression!)] : [])).filter((q) => !q.dynamic);
  return Array.from(staticEligibility(view, queries).eligible, (h) => view.hosts[h]!);
}

/**
 * Places up to `count` tasks of `requirement` on the view's hosts and records them in the view.
 * Pure apart from the view it updates; the caller persists the result.
 */
export function placeTasks(view: PlacementCluster, requirement: TaskRequirement, count: number, options: PlaceOptions): PlacementResult {
  const problems = placementInputProblems(requirement.placementStrategy, requirement.placementConstraints);
  if (problems.length > 0) throw new TypeError(`Invalid placement input: ${problems.join('; ')}`);
  if (!Number.isInteger(count) || count < 0) throw new TypeError(`count must be a whole number >= 0, got ${count}`);
  const placements: Placement[] = [];
  if (count === 0) return { placements, failures: [], hostsChecked: 0 };

  const { rng } = options;
  const n = view.size;
  const need = { cpu: requirement.cpu, memory: requirement.memory };
  const group = requirement.group;
  const groupMap = view.groupMap(group);
  const target = view.queryTarget();
  const maxTasks = view.maxTasksPerHost;

  // Constraints: static memberOf expressions filter once per constraint set; the rest run per host.
  let distinct = false;
  const staticQueries: ClusterQuery[] = [];
  const dynamicQueries: ClusterQuery[] = [];
  for (const c of requirement.placementConstraints) {
    if (c.type === 'distinctInstance') distinct = true;
    else {
      const q = parseClusterQuery(c.expression!);
      (q.dynamic ? dynamicQueries : staticQueries).push(q);
    }
  }

  // Ports: static ones must be free; dynamic ones need enough free ports in the range.
  const { from: dynFrom, to: dynTo } = view.dynamicPortRange;
  const staticTcp: number[] = [];
  const staticUdp: number[] = [];
  let dynTcp = 0;
  let dynUdp = 0;
  for (const p of requirement.ports) {
    if (p.hostPort === 0) {
      if (p.protocol === 'tcp') dynTcp++;
      else dynUdp++;
    } else if (p.protocol === 'tcp') staticTcp.push(p.hostPort);
    else staticUdp.push(p.hostPort);
  }
  // Static ports inside the dynamic range use up dynamic room too.
  const inRange = (p: number): boolean => p >= dynFrom && p <= dynTo;
  const dynTcpNeed = dynTcp + (dynTcp > 0 ? staticTcp.filter(inRange).length : 0);
  const dynUdpNeed = dynUdp + (dynUdp > 0 ? staticUdp.filter(inRange).length : 0);

  // Strategies, resolved to flat arrays.
  const strategies: Strategy[] = requirement.placementStrategy.map((s) => {
    if (s.type === 'binpack') return { kind: s.field === 'cpu' ? S_BINPACK_CPU : S_BINPACK_MEMORY };
    if (s.type === 'random') return { kind: S_RANDOM };
    if (s.field === 'instanceId' || s.field === 'host') return { kind: S_SPREAD_INSTANCE };
    const attribute = s.field!.slice('attribute:'.length);
    return { kind: S_SPREAD_ATTRIBUTE, valueIds: view.attributeColumn(attribute).valueIds, counts: view.spreadCounts(group, attribute) };
  });
  const lead = strategies[0]?.kind ?? S_RANDOM;
  const leadIsBinpack = lead === S_BINPACK_CPU || lead === S_BINPACK_MEMORY;
  // The first binpack in the list, if any: its index supplies the tightest fits as candidates.
  const packKind = strategies.find((s) => s.kind === S_BINPACK_CPU || s.kind === S_BINPACK_MEMORY)?.kind;
  const strategyCount = strategies.length;

  const { reasons, eligible } = staticEligibility(view, staticQueries);
  const ring = Int32Array.from(eligible);
  let ringLen = ring.length;
  shuffleInPlace(ring, ringLen, rng);
  let cursor = 0;
  const sampleAll = options.sampleSize === 'all';
  const k = sampleAll
    ? Number.POSITIVE_INFINITY
    : lead === S_RANDOM
      ? 1
      : Math.max(1, options.sampleSize ?? Math.max(MIN_SAMPLE, Math.ceil(Math.log2(Math.max(ringLen, 2)))) * spreadWidth(strategies));
  const dead = new Uint8Array(n);
  const seen = new Uint32Array(n);
  let stamp = 0;
  let hostsChecked = 0;

  const fits = (h: number): number => {
    hostsChecked++;
    if (dynamicQueries.length > 0) {
      target.index = h;
      for (const q of dynamicQueries) if (!evaluateClusterQuery(q, target)) return R_ATTRIBUTE_DYNAMIC;
    }
    if (distinct && (groupMap.get(h) ?? 0) > 0) return R_DISTINCT;
    if (view.running[h]! >= maxTasks) return R_TASKS;
    if (view.cpu[h]! < need.cpu) return R_CPU;
    if (view.memory[h]! < need.memory) return R_MEMORY;
    if (staticTcp.length > 0 || dynTcp > 0) {
      const used = view.portsTcp[h]!;
      for (const p of staticTcp) if (used.has(p)) return R_PORTS;
      if (dynTcp > 0 && view.dynamicFree(h, 'tcp') < dynTcpNeed) return R_PORTS;
    }
    if (staticUdp.length > 0 || dynUdp > 0) {
      const used = view.portsUdp[h]!;
      for (const p of staticUdp) if (used.has(p)) return R_PORTS_UDP;
      if (dynUdp > 0 && view.dynamicFree(h, 'udp') < dynUdpNeed) return R_PORTS_UDP;
    }
    return R_OK;
  };

  const candidates: number[] = [];
  const scores: number[] = [];
  const score = (kind: Strategy, h: number): number => {
    switch (kind.kind) {
      case S_BINPACK_CPU:
        return view.cpu[h]!;
      case S_BINPACK_MEMORY:
        return view.memory[h]!;
      case S_SPREAD_INSTANCE:
        return groupMap.get(h) ?? 0;
      case S_SPREAD_ATTRIBUTE:
        return kind.counts![kind.valueIds![h]!]!;
      default:
        return rng();
    }
  };

  for (let t = 0; t < count; t++) {
    stamp++;
    candidates.length = 0;

    // A binpack strategy: the tightest fits, from the sorted index.
    if (!sampleAll && packKind !== undefined) {
      const index = view.sortedIndex(packKind === S_BINPACK_CPU ? 'cpu' : 'memory');
      const order = index.order;
      const start = index.lowerBound(packKind === S_BINPACK_CPU ? need.cpu : need.memory);
      const end = Math.min(n, start + BINPACK_SCAN_LIMIT);
      for (let p = start; p < end && candidates.length < k; p++) {
        const h = order[p]!;
        if (reasons[h] !== R_OK || dead[h] === 1) continue;
        const r = fits(h);
        if (r === R_OK) {
          candidates.push(h);
          seen[h] = stamp;
        } else if (r !== R_ATTRIBUTE_DYNAMIC) dead[h] = 1;
      }
    }

    // Unless a leading binpack found its tightest fits: k more from the shuffled ring.
    if (candidates.length === 0 || !leadIsBinpack) {
      let visited = 0;
      const want = candidates.length + k;
      while (candidates.length < want && ringLen > 0 && visited < ringLen) {
        if (cursor >= ringLen) {
          cursor = 0;
          shuffleInPlace(ring, ringLen, rng);
        }
        const h = ring[cursor]!;
        if (seen[h] === stamp) {
          cursor++;
          visited++;
          continue;
        }
        const r = dead[h] === 1 ? R_CPU : fits(h);
        if (r === R_OK) {
          candidates.push(h);
          seen[h] = stamp;
          cursor++;
          visited++;
        } else if (r === R_ATTRIBUTE_DYNAMIC) {
          cursor++;
          visited++;
        } else {
          // Room, resources, ports and distinctInstance only get scarcer within a request: drop the host.
          dead[h] = 1;
          ring[cursor] = ring[--ringLen]!;
        }
      }
    }

    if (candidates.length === 0) {
      const failure = diagnose(view, requirement, reasons, staticQueries, fits, count - t);
      return { placements, failures: [failure], hostsChecked };
    }

    let best = candidates[0]!;
    if (candidates.length > 1 && strategyCount > 0) {
      scores.length = 0;
      for (const h of candidates) for (const s of strategies) scores.push(score(s, h));
      let bestAt = 0;
      for (let c = 1; c < candidates.length; c++) {
        for (let s = 0; s < strategyCount; s++) {
          const a = scores[c * strategyCount + s]!;
          const b = scores[bestAt * strategyCount + s]!;
          if (a < b) {
            bestAt = c;
            break;
          }
          if (a > b) break;
        }
      }
      best = candidates[bestAt]!;
    }
    const hostPorts = view.commit(best, need.cpu, need.memory, requirement.ports, group);
    placements.push({ hostId: view.hosts[best]!.id, hostPorts });
  }
  return { placements, failures: [], hostsChecked };
}

/** Why nothing fits: every host's furthest stage; the reason is the closest match's. */
function diagnose(
  view: PlacementCluster,
  requirement: TaskRequirement,
  staticReasons: Uint8Array,
  staticQueries: readonly ClusterQuery[],
  fits: (h: number) => number,
  remaining: number,
): PlacementFailure {
  if (view.size === 0) return { reason: 'MISSING', detail: 'No container instances were found in the cluster. Register a host (start `wharf agent`) and try again.', count: remaining };
  const tally = new Array<number>(R_PORTS_UDP + 1).fill(0);
  let closest = -1;
  let closestStage = -1;
  for (let h = 0; h < view.size; h++) {
    let stage = staticReasons[h]!;
    if (stage === R_OK) {
      stage = fits(h);
      if (stage === R_ATTRIBUTE_DYNAMIC) stage = R_ATTRIBUTE;
    }
    tally[stage]!++;
    const closer =
      stage > closestStage ||
      (stage === closestStage && stage === R_CPU && view.cpu[h]! > view.cpu[closest]!) ||
      (stage === closestStage && stage === R_MEMORY && view.memory[h]! > view.memory[closest]!);
    if (closer) {
      closest = h;
      closestStage = stage;
    }
  }
  const host = view.hosts[closest]!;
  const tcpPorts = requirement.ports.filter((p) => p.protocol === 'tcp');
  const udpPorts = requirement.ports.filter((p) => p.protocol === 'udp');
  const describePorts = (ports: typeof requirement.ports): string => ports.map((p) => (p.hostPort === 0 ? 'a dynamic port' : String(p.hostPort))).join(', ');
  let why: string;
  switch (closestStage) {
    case R_INACTIVE:
      why = `is ${host.status}, so it takes no new tasks`;
      break;
    case R_AGENT:
      why = 'has no connected agent';
      break;
    case R_ATTRIBUTE:
      why = memberOfDetail(view, closest, staticQueries, requirement);
      break;
    case R_DISTINCT:
      why = `already runs a task of group "${requirement.group}" (distinctInstance)`;
      break;
    case R_TASKS:
      why = `already holds ${view.running[closest]} tasks that are not STOPPED, the most one container instance may hold (WHARF_MAX_TASKS_PER_HOST)`;
      break;
    case R_CPU:
      why = `has insufficient CPU units available (needs ${requirement.cpu}, has ${view.cpu[closest]})`;
      break;
    case R_MEMORY:
      why = `has insufficient memory available (needs ${requirement.memory} MiB, has ${view.memory[closest]} MiB)`;
      break;
    case R_PORTS:
      why = `has no free TCP host port for ${describePorts(tcpPorts)}`;
      break;
    default:
      why = `has no free UDP host port for ${describePorts(udpPorts)}`;
  }
  const labels: Readonly<Record<number, string>> = {
    [R_INACTIVE]: 'not ACTIVE',
    [R_AGENT]: 'without a connected agent',
    [R_ATTRIBUTE]: 'not matching memberOf',
    [R_DISTINCT]: 'already running the group (distinctInstance)',
    [R_TASKS]: `at the tasks-per-host limit (${view.maxTasksPerHost})`,
    [R_CPU]: 'short of CPU',
    [R_MEMORY]: 'short of memory',
    [R_PORTS]: 'short of TCP ports',
    [R_PORTS_UDP]: 'short of UDP ports',
  };
  const parts: string[] = [];
  for (let r = R_INACTIVE; r <= R_PORTS_UDP; r++) if (tally[r]! > 0) parts.push(`${tally[r]} ${labels[r]}`);
  const detail = `No container instance meets all of the task's requirements. The closest matching container instance ${host.id} ${why}. Of ${view.size} container instances: ${parts.join(', ')}.`;
  return { reason: REASON_NAMES[closestStage]!, detail, count: remaining };
}

/** Names the memberOf expression a host fails, and a missing attribute when that is why. */
function memberOfDetail(view: PlacementCluster, h: number, staticQueries: readonly ClusterQuery[], requirement: TaskRequirement): string {
  const target = view.queryTarget();
  target.index = h;
  const all = requirement.placementConstraints.filter((c) => c.type === 'memberOf').map((c) => parseClusterQuery(c.expression!));
  const failing = all.find((q) => !evaluateClusterQuery(q, target)) ?? staticQueries[0];
  if (!failing) return 'does not match a memberOf constraint';
  const missing = failing.attributes.find((a) => view.hosts[h]!.attributes[a] === undefined);
  return missing !== undefined
    ? `is missing the attribute "${missing}" that the memberOf constraint "${failing.source}" requires`
    : `does not match the memberOf constraint "${failing.source}"`;
}
