import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_TASKS_PER_HOST } from '../../model/cluster.js';
import type { PlacementHost, TaskRequirement } from '../../model/placement.js';
import { testHost, testTask } from './fixtures.test-support.js';
import type { PlaceOptions } from './place.js';
import { MIN_SAMPLE, eligibleHosts, placeTasks, placementInputProblems } from './place.js';
import { seededRandom } from './random.js';
import type { PlacementClusterOptions } from './view.js';
import { createPlacementCluster } from './view.js';

function place(hosts: PlacementHost[], task: TaskRequirement, count: number, options: Partial<PlaceOptions> & PlacementClusterOptions = {}) {
  const view = createPlacementCluster(hosts, options);
  const result = placeTasks(view, task, count, { rng: seededRandom(1), ...options });
  return { view, result, hostIds: result.placements.map((p) => p.hostId) };
}

/** Scores every feasible host, so ranking tests do not depend on the sample. */
const ALL = { sampleSize: 'all' } as const;

describe('feasibility', () => {
  it('only ACTIVE hosts with a connected agent take tasks', () => {
    const hosts = [testHost('draining', { status: 'DRAINING' }), testHost('no-agent', { agentConnected: false }), testHost('ok')];
    assert.deepEqual(place(hosts, testTask(), 3).hostIds, ['ok', 'ok', 'ok']);
  });

  it('fails with INACTIVE, AGENT or MISSING when that is all there is', () => {
    assert.equal(place([testHost('a', { status: 'DRAINING' })], testTask(), 1).result.failures[0]?.reason, 'INACTIVE');
    assert.equal(place([testHost('a', { agentConnected: false })], testTask(), 1).result.failures[0]?.reason, 'AGENT');
    const missing = place([], testTask(), 2).result.failures[0];
    assert.equal(missing?.reason, 'MISSING');
    assert.equal(missing?.count, 2);
  });

  it('checks CPU and memory, updating the view after each task of the batch', () => {
    const { view, result } = place([testHost('a', { cpu: 1000, memory: 8192 })], testTask({ cpu: 300 }), 5);
    assert.equal(result.placements.length, 3);
    assert.deepEqual(result.failures, [
      {
        reason: 'RESOURCE:CPU',
        detail: "No container instance meets all of the task's requirements. The closest matching container instance a has insufficient CPU units available (needs 300, has 100). Of 1 container instances: 1 short of CPU.",
        count: 2,
      },
    ]);
    assert.equal(view.remainingOf('a').cpu, 100);
    assert.equal(view.remainingOf('a').memory, 8192 - 3 * 512);
    assert.equal(place([testHost('a', { memory: 1000 })], testTask(), 3).result.failures[0]?.reason, 'RESOURCE:MEMORY');
  });

  it('gives the closest matching host’s reason when hosts fail for different reasons', () => {
    const hosts = [
      testHost('draining', { status: 'DRAINING' }),
      testHost('no-agent', { agentConnected: false }),
      testHost('small-cpu', { cpu: 100 }),
      testHost('small-memory', { memory: 300 }),
      testHost('smaller-memory', { memory: 200 }),
    ];
    const failure = place(hosts, testTask(), 1).result.failures[0];
    assert.equal(failure?.reason, 'RESOURCE:MEMORY');
    assert.equal(
      failure?.detail,
      "No container instance meets all of the task's requirements. The closest matching container instance small-memory has insufficient memory available (needs 512 MiB, has 300 MiB). Of 5 container instances: 1 not ACTIVE, 1 without a connected agent, 1 short of CPU, 2 short of memory.",
    );
    // A host that passes the constraints but lacks memory is closer than one that fails them.
    const constrained = [testHost('wrong-stack', { attributes: { stack: 'dev' } }), testHost('right-stack', { memory: 100, attributes: { stack: 'prod' } })];
    const task = testTask({ placementConstraints: [{ type: 'memberOf', expression: 'attribute:stack == prod' }] });
    assert.equal(place(constrained, task, 1).result.failures[0]?.reason, 'RESOURCE:MEMORY');
  });

  it('static host ports must be free; a host whose port is taken is skipped', () => {
    const hosts = [testHost('a', { remaining: { cpu: 4096, memory: 8192, portsTcp: [22, 80], portsUdp: [] } }), testHost('b'), testHost('c')];
    const { result, hostIds, view } = place(hosts, testTask({ ports: [{ hostPort: 80, protocol: 'tcp' }] }), 3, ALL);
    assert.deepEqual(hostIds.sort(), ['b', 'c']);
    assert.equal(result.failures[0]?.reason, 'RESOURCE:PORTS');
    assert.match(result.failures[0]!.detail, /has no free TCP host port for 80/);
    assert.deepEqual(result.placements[0]?.hostPorts, [80]);
    assert.ok(view.remainingOf('b').portsTcp.includes(80));
  });

  it('dynamic ports come from the range, distinct per host, in the order asked', () => {
    const ports = [
      { hostPort: 0, protocol: 'tcp' as const },
      { hostPort: 8125, protocol: 'udp' as const },
      { hostPort: 0, protocol: 'tcp' as const },
    ];
    const { result } = place([testHost('a')], testTask({ ports: [ports[0]!, ports[2]!] }), 3);
    const all = result.placements.flatMap((p) => p.hostPorts);
    assert.deepEqual(all, [49153, 49154, 49155, 49156, 49157, 49158]);
    const udp = place([testHost('a'), testHost('b')], testTask({ ports }), 3, ALL).result;
    assert.equal(udp.placements.length, 2, 'UDP 8125 is static: one task per host');
    assert.equal(udp.placements[0]!.hostPorts[1], 8125);
    assert.equal(udp.failures[0]?.reason, 'RESOURCE:PORTS_UDP');
  });

  it('fails RESOURCE:PORTS when the dynamic range is used up', () => {
    const hosts = [testHost('a', { remaining: { cpu: 4096, memory: 8192, portsTcp: [50001], portsUdp: [] } })];
    const task = testTask({ ports: [{ hostPort: 0, protocol: 'tcp' }, { hostPort: 0, protocol: 'tcp' }] });
    const { result } = place(hosts, task, 2, { dynamicPortRange: { from: 50000, to: 50003 } });
    assert.deepEqual(result.placements.map((p) => p.hostPorts), [[50000, 50002]]);
    assert.equal(result.failures[0]?.reason, 'RESOURCE:PORTS');
  });

  it('a host holding maxTasksPerHost tasks has no room, whatever CPU and memory it has left (RESOURCE:TASKS)', () => {
    const hosts = () => [testHost('a', { groupCounts: { 'family:other': 2 } }), testHost('b')];
    for (const placementStrategy of [[], [{ type: 'binpack' as const, field: 'memory' }], [{ type: 'spread' as const, field: 'instanceId' }]]) {
      const { view, result } = place(hosts(), testTask({ placementStrategy }), 6, { maxTasksPerHost: 3 });
      assert.equal(result.placements.length, 4, `${JSON.stringify(placementStrategy)}: one more on a, three on b, none past the limit`);
      assert.deepEqual([view.running[0], view.running[1]], [3, 3]);
      assert.deepEqual(result.failures, [
        {
          reason: 'RESOURCE:TASKS',
          detail:
            "No container instance meets all of the task's requirements. The closest matching container instance a already holds 3 tasks that are not STOPPED, the most one container instance may hold (WHARF_MAX_TASKS_PER_HOST). Of 2 container instances: 2 at the tasks-per-host limit (3).",
          count: 2,
        },
      ]);
    }
    // A host short of CPU is a closer match than a full one: a smaller task would fit it.
    const mixed = place([testHost('full', { groupCounts: { 'family:web': 1 } }), testHost('small', { cpu: 100 })], testTask(), 1, { maxTasksPerHost: 1 });
    assert.equal(mixed.result.failures[0]?.reason, 'RESOURCE:CPU');
    assert.match(mixed.result.failures[0]!.detail, /Of 2 container instances: 1 at the tasks-per-host limit \(1\), 1 short of CPU\.$/);
  });

  it('holds MAX_TASKS_PER_HOST tasks a host by default, however small they are', () => {
    const { result } = place([testHost('a')], testTask({ cpu: 0, memory: 0 }), MAX_TASKS_PER_HOST + 5);
    assert.equal(result.placements.length, MAX_TASKS_PER_HOST);
    assert.equal(result.failures[0]?.reason, 'RESOURCE:TASKS');
    assert.equal(result.failures[0]?.count, 5);
  });
});

describe('constraints', () => {
  it('distinctInstance: one task of the group per host, counting tasks already there', () => {
    const hosts = [testHost('a'), testHost('b', { groupCounts: { 'family:web': 1 } }), testHost('c'), testHost('d', { groupCounts: { 'family:other': 3 } })];
    const { result, hostIds } = place(hosts, testTask({ placementConstraints: [{ type: 'distinctInstance' }] }), 4);
    assert.deepEqual(hostIds.sort(), ['a', 'c', 'd']);
    assert.equal(result.failures[0]?.reason, 'DISTINCT_INSTANCE');
    assert.equal(result.failures[0]?.count, 1);
  });

  it('memberOf on attributes keeps tasks on matching hosts; no match fails ATTRIBUTE naming the missing attribute', () => {
    const hosts = [testHost('prod-1', { attributes: { stack: 'prod' } }), testHost('dev-1', { attributes: { stack: 'dev' } }), testHost('bare', { attributes: {} }), testHost('prod-2', { attributes: { stack: 'prod' } })];
    const { hostIds } = place(hosts, testTask({ placementConstraints: [{ type: 'memberOf', expression: 'attribute:stack == prod' }] }), 20);
    assert.deepEqual([...new Set(hostIds)].sort(), ['prod-1', 'prod-2']);
    const failure = place([testHost('bare', { attributes: {} })], testTask({ placementConstraints: [{ type: 'memberOf', expression: 'attribute:gpu exists' }] }), 1).result.failures[0];
    assert.equal(failure?.reason, 'ATTRIBUTE');
    assert.match(failure!.detail, /bare is missing the attribute "gpu" that the memberOf constraint "attribute:gpu exists" requires/);
  });

  it('memberOf on task:group follows placements made in the same batch', () => {
    const hosts = [testHost('a'), testHost('db-host', { groupCounts: { 'service:db': 1 } }), testHost('c')];
    const near = place(hosts, testTask({ placementConstraints: [{ type: 'memberOf', expression: 'task:group == service:db' }] }), 3);
    assert.deepEqual(near.hostIds, ['db-host', 'db-host', 'db-host']);
    // Anti-affinity to its own group, written as a query: works like distinctInstance.
    const apart = place(hosts, testTask({ placementConstraints: [{ type: 'memberOf', expression: 'not(task:group == family:web)' }] }), 4);
    assert.deepEqual(apart.hostIds.sort(), ['a', 'c', 'db-host']);
    assert.equal(apart.result.failures[0]?.reason, 'ATTRIBUTE');
  });

  it('rejects invalid strategies and constraints as a TypeError listing each problem', () => {
    assert.deepEqual(placementInputProblems([{ type: 'binpack', field: 'disk' }, { type: 'spread' }], [{ type: 'memberOf' }, { type: 'distinctInstance', expression: 'x' }]), [
      'placementStrategy.0.field: binpack takes "cpu" or "memory", got "disk"',
      'placementStrategy.1.field: spread takes "instanceId", "host" or "attribute:<name>", got undefined',
      'placementConstraints.0.expression: memberOf needs a cluster query expression',
      'placementConstraints.1.expression: distinctInstance takes no expression',
    ]);
    assert.throws(() => place([testHost('a')], testTask({ placementConstraints: [{ type: 'memberOf', expression: 'attribute:x ==' }] }), 1), /Invalid placement input: placementConstraints.0.expression: Invalid cluster query/);
  });
});

describe('strategies', () => {
  it('binpack cpu: the host with the least remaining CPU that still fits, filled before the next', () => {
    const hosts = [testHost('big', { cpu: 4096 }), testHost('medium', { cpu: 1024 }), testHost('tiny', { cpu: 200 })];
    const { hostIds } = place(hosts, testTask({ placementStrategy: [{ type: 'binpack', field: 'cpu' }] }), 6);
    assert.deepEqual(hostIds, ['medium', 'medium', 'medium', 'medium', 'big', 'big']);
  });

  it('binpack memory', () => {
    const hosts = [testHost('big', { memory: 16384 }), testHost('small', { memory: 1024 }), testHost('medium', { memory: 4096 })];
    const { hostIds } = place(hosts, testTask({ placementStrategy: [{ type: 'binpack', field: 'memory' }] }), 4);
    assert.deepEqual(hostIds, ['small', 'small', 'medium', 'medium']);
  });

  it('spread instanceId: fewest tasks of the group first, counting tasks already running', () => {
    const hosts = [testHost('a', { groupCounts: { 'family:web': 2, 'family:other': 5 } }), testHost('b'), testHost('c', { groupCounts: { 'family:other': 9 } })];
    const { view } = place(hosts, testTask({ placementStrategy: [{ type: 'spread', field: 'instanceId' }] }), 4, ALL);
    assert.deepEqual(['a', 'b', 'c'].map((id) => view.groupCount('family:web', view.indexOf(id))), [2, 2, 2]);
  });

  it('strategies apply in order; later ones break ties of earlier ones', () => {
    const hosts = [
      testHost('a-big', { memory: 8192, attributes: { 'ecs.availability-zone': 'zone-a' } }),
      testHost('a-small', { memory: 2048, attributes: { 'ecs.availability-zone': 'zone-a' } }),
      testHost('b-mid', { memory: 4096, attributes: { 'ecs.availability-zone': 'zone-b' } }),
    ];
    const spreadThenPack = testTask({ placementStrategy: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }, { type: 'binpack', field: 'memory' }] });
    assert.deepEqual(place(hosts, spreadThenPack, 4, ALL).hostIds, ['a-small', 'b-mid', 'a-small', 'b-mid']);
    const packThenSpread = testTask({ placementStrategy: [{ type: 'binpack', field: 'memory' }, { type: 'spread', field: 'attribute:ecs.availability-zone' }] });
    assert.deepEqual(place(hosts, packThenSpread, 4, ALL).hostIds, ['a-small', 'a-small', 'a-small', 'a-small']);
    // The sampled path gives the same answers here.
    assert.deepEqual(place(hosts, packThenSpread, 4).hostIds, ['a-small', 'a-small', 'a-small', 'a-small']);
  });

  it('spread on an attribute counts hosts without it as one more value', () => {
    const hosts = [testHost('x', { attributes: { rack: 'r1' } }), testHost('y', { attributes: { rack: 'r2' } }), testHost('z', { attributes: {} })];
    const { hostIds } = place(hosts, testTask({ placementStrategy: [{ type: 'spread', field: 'attribute:rack' }] }), 3, ALL);
    assert.deepEqual(hostIds.sort(), ['x', 'y', 'z']);
  });

  it('random: repeatable with a seed, and it uses many hosts', () => {
    const hosts = Array.from({ length: 20 }, (_, i) => testHost(`h${i}`));
    const task = testTask({ placementStrategy: [{ type: 'random' }] });
    const one = place(hosts, task, 10, { rng: seededRandom(42) }).hostIds;
    assert.deepEqual(place(hosts, task, 10, { rng: seededRandom(42) }).hostIds, one);
    assert.notDeepEqual(place(hosts, task, 10, { rng: seededRandom(43) }).hostIds, one);
    assert.ok(new Set(one).size >= 5, `random used only ${new Set(one).size} hosts`);
  });
});

describe('sampling', () => {
  /** Hosts of mixed sizes, statuses and attributes; deterministic from the seed. */
  function mixedHosts(n: number, seed: number): PlacementHost[] {
    const rng = seededRandom(seed);
    return Array.from({ length: n }, (_, i) => {
      const cpu = [1024, 2048, 4096, 8192][Math.floor(rng() * 4)]!;
      const used = Math.floor(rng() * 3);
      return testHost(`h${i}`, {
        cpu,
        memory: cpu * [1, 2, 4][Math.floor(rng() * 3)]!,
        status: rng() < 0.05 ? 'DRAINING' : 'ACTIVE',
        agentConnected: rng() > 0.05,
        remaining: { cpu: cpu - used * 256, memory: cpu - used * 256, portsTcp: rng() < 0.2 ? [22, 80] : [22], portsUdp: [] },
        attributes: { 'ecs.availability-zone': `zone-${i % 3}`, stack: rng() < 0.7 ? 'prod' : 'dev' },
        groupCounts: used > 0 ? { 'family:web': used } : {},
      });
    });
  }

  it('never picks an infeasible host (random hosts and requirements, checked against the rules)', () => {
    const hosts = mixedHosts(300, 7);
    const view = createPlacementCluster(hosts);
    const rng = seededRandom(99);
    const usedPorts = hosts.map((h) => new Set(h.remaining.portsTcp));
    const cpu = hosts.map((h) => h.remaining.cpu);
    const memory = hosts.map((h) => h.remaining.memory);
    const strategies = [[{ type: 'binpack', field: 'cpu' }], [{ type: 'spread', field: 'attribute:ecs.availability-zone' }, { type: 'spread', field: 'instanceId' }], [{ type: 'random' }], []] as const;
    let placed = 0;
    for (let batch = 0; batch < 40; batch++) {
      const distinct = rng() < 0.3;
      const constrained = rng() < 0.5;
      const task = testTask({
        cpu: 128 * (1 + Math.floor(rng() * 4)),
        memory: 128 * (1 + Math.floor(rng() * 8)),
        group: `family:g${batch % 7}`,
        ports: rng() < 0.3 ? [{ hostPort: 80, protocol: 'tcp' }] : rng() < 0.5 ? [{ hostPort: 0, protocol: 'tcp' }] : [],
        placementConstraints: [...(distinct ? [{ type: 'distinctInstance' as const }] : []), ...(constrained ? [{ type: 'memberOf' as const, expression: 'attribute:stack == prod' }] : [])],
        placementStrategy: strategies[batch % strategies.length]!,
      });
      const groupBefore = new Map(hosts.map((_, i) => [i, view.groupCount(task.group, i)]));
      const result = placeTasks(view, task, 1 + Math.floor(rng() * 60), { rng });
      const seenInBatch = new Set<number>();
      for (const p of result.placements) {
        const i = view.indexOf(p.hostId);
        const h = hosts[i]!;
        assert.equal(h.status, 'ACTIVE');
        assert.equal(h.agentConnected, true);
        cpu[i]! -= task.cpu;
        memory[i]! -= task.memory;
        assert.ok(cpu[i]! >= 0 && memory[i]! >= 0, `host ${p.hostId} over-committed`);
        if (constrained) assert.equal(h.attributes.stack, 'prod', `memberOf: ${p.hostId} is not in stack prod`);
        if (distinct) {
          assert.equal(groupBefore.get(i), 0, `distinctInstance: ${p.hostId} already ran the group`);
          assert.ok(!seenInBatch.has(i), `distinctInstance: ${p.hostId} twice in a batch`);
        }
        seenInBatch.add(i);
        for (const port of p.hostPorts) {
          assert.ok(!usedPorts[i]!.has(port), `port ${port} taken twice on ${p.hostId}`);
          usedPorts[i]!.add(port);
        }
        placed++;
      }
      if (result.failures.length > 0) assert.equal(result.placements.length + result.failures[0]!.count > 0, true);
    }
    assert.ok(placed > 200, `only ${placed} placed`);
  });

  it('is deterministic for a seed', () => {
    const hosts = mixedHosts(500, 3);
    const task = testTask({ placementStrategy: [{ type: 'spread', field: 'instanceId' }] });
    const run = (seed: number) => placeTasks(createPlacementCluster(hosts), task, 200, { rng: seededRandom(seed) }).placements;
    assert.deepEqual(run(5), run(5));
    assert.notDeepEqual(run(5), run(6));
  });

  it('checks a bounded sample of hosts per task (log2(n), at least MIN_SAMPLE), not all of them', () => {
    const hosts = Array.from({ length: 4096 }, (_, i) => testHost(`h${i}`, { cpu: 65536, memory: 262144 }));
    const task = testTask({ placementStrategy: [{ type: 'spread', field: 'instanceId' }] });
    const { result } = place(hosts, task, 1000);
    assert.equal(result.placements.length, 1000);
    const k = Math.max(MIN_SAMPLE, Math.log2(4096));
    assert.ok(result.hostsChecked <= 1000 * k * 1.1, `${result.hostsChecked} checks for 1000 tasks`);
    assert.ok(result.hostsChecked < 4096 * 10, 'far fewer than all hosts per task');
    assert.equal(new Set(result.placements.map((p) => p.hostId)).size, 1000, 'spread put no two tasks on one host');
  });

  it('spread from a sample stays within one task of full scoring; binpack from the index matches it', () => {
    const hosts = Array.from({ length: 200 }, (_, i) => testHost(`h${i}`, { cpu: 1024 * (1 + (i % 4)), memory: 4096 * (1 + (i % 4)), attributes: { 'ecs.availability-zone': `zone-${i % 3}` } }));
    const spread = testTask({ cpu: 64, memory: 64, placementStrategy: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }, { type: 'spread', field: 'instanceId' }] });
    const imbalance = (options: Partial<PlaceOptions>) => {
      const { view } = place(hosts, spread, 1500, options);
      const counts = hosts.map((_, i) => view.groupCount(spread.group, i));
      return Math.max(...counts) - Math.min(...counts);
    };
    assert.ok(imbalance({}) <= imbalance(ALL) + 1, `sampled imbalance ${imbalance({})}, full ${imbalance(ALL)}`);
    const binpack = testTask({ cpu: 512, memory: 512, placementStrategy: [{ type: 'binpack', field: 'cpu' }] });
    const hostsUsed = (options: Partial<PlaceOptions>) => new Set(place(hosts, binpack, 300, options).hostIds).size;
    assert.equal(hostsUsed({}), hostsUsed(ALL));
  });
});

describe('eligible hosts (DAEMON services)', () => {
  it('are the ACTIVE, connected hosts that pass the static memberOf expressions; task-reading ones are left to placement', () => {
    const hosts = [
      testHost('a'),
      testHost('draining', { status: 'DRAINING' }),
      testHost('no-agent', { agentConnected: false }),
      testHost('gpu', { attributes: { 'ecs.os-type': 'linux', gpu: 'yes' } }),
      testHost('busy', { groupCounts: { 'service:other': 9 } }),
    ];
    const view = createPlacementCluster(hosts);
    assert.deepEqual(eligibleHosts(view, []).map((h) => h.id), ['a', 'gpu', 'busy']);
    assert.deepEqual(eligibleHosts(view, [{ type: 'memberOf', expression: 'attribute:gpu == yes' }]).map((h) => h.id), ['gpu']);
    assert.deepEqual(eligibleHosts(view, [{ type: 'distinctInstance' }, { type: 'memberOf', expression: 'runningTasksCount < 3' }]).map((h) => h.id), ['a', 'gpu', 'busy']);
  });

  it('a memberOf on ec2InstanceId pins a task to one host, quoted names included', () => {
    const hosts = [testHost('a', { ec2InstanceId: 'host one' }), testHost('b', { ec2InstanceId: 'host "two"' }), testHost('c')];
    assert.deepEqual(place(hosts, testTask({ placementConstraints: [{ type: 'memberOf', expression: 'ec2InstanceId == "host \\"two\\""' }] }), 2).hostIds, ['b', 'b']);
    assert.deepEqual(place(hosts, testTask({ placementConstraints: [{ type: 'memberOf', expression: 'ec2InstanceId == "c"' }] }), 1).hostIds, ['c']);
  });
});
