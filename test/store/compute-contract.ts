/**
 * Contract cases for the compute repositories (container instances, tasks), run by the store
 * contract on every store implementation.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ContainerInstance } from '../../src/model/container-instance.js';
import type { NewTask } from '../../src/store/store.js';
import type { StoreLocationFactory } from './contract.js';

const T0 = 1_700_000_000_000;

function instance(id: string, overrides: Partial<ContainerInstance> = {}): ContainerInstance {
  return {
    id,
    cluster: 'default',
    hostId: `host-${id.slice(0, 4)}`,
    status: 'ACTIVE',
    agentConnected: true,
    credentialHash: 'h'.repeat(64),
    agentUrl: 'http://127.0.0.1:1',
    agentVersion: '0.1.0',
    resources: { cpu: 2048, memory: 4096, portsTcp: [22], portsUdp: [] },
    attributes: { zone: 'a' },
    customAttributes: {},
    tags: [],
    desiredVersion: 1,
    lastSeenAt: T0,
    registeredAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

function task(id: string, containerInstanceId: string, overrides: Partial<NewTask> = {}): NewTask {
  return {
    id,
    cluster: 'default',
    family: 'web',
    revision: 1,
    containerInstanceId,
    desiredStatus: 'RUNNING',
    lastStatus: 'PROVISIONING',
    healthStatus: 'UNKNOWN',
    group: 'family:web',
    startedBy: null,
    cpu: 256,
    memory: 512,
    hostPorts: [0],
    overrides: {},
    tags: [],
    containers: [],
    stopCode: null,
    stoppedReason: null,
    drainUntil: null,
    createdAt: T0,
    startedAt: null,
    stoppingAt: null,
    stoppedAt: null,
    ...overrides,
  };
}

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);

export function computeCases(fresh: StoreLocationFactory): void {
  describe('container instances', () => {
    test('insert, get, find the live one by host id, list, replace, touch, bump, silent, count', async (t) => {
      const store = await (await fresh(t)).open();
      await store.containerInstances.insert(instance(A));
      await store.containerInstances.insert(instance(B, { hostId: 'other', status: 'DRAINING', lastSeenAt: T0 + 5000 }));
      assert.deepEqual(await store.containerInstances.get(A), instance(A));
      assert.equal((await store.containerInstances.findLive('default', 'other'))?.id, B);
      assert.equal(await store.containerInstances.findLive('elsewhere', 'other'), undefined);
      assert.deepEqual((await store.containerInstances.list({ cluster: 'default', limit: 10 })).map((i) => i.id), [A, B]);
      assert.deepEqual((await store.containerInstances.list({ cluster: 'default', status: 'DRAINING', limit: 10 })).map((i) => i.id), [B]);
      assert.deepEqual((await store.containerInstances.list({ cluster: 'default', after: A, limit: 10 })).map((i) => i.id), [B]);
      assert.equal(await store.containerInstances.countLive('default'), 2);

      await store.containerInstances.replace({ ...instance(A), status: 'INACTIVE', updatedAt: T0 + 1 });
      assert.equal(await store.containerInstances.countLive('default'), 1);
      assert.equal(await store.containerInstances.findLive('default', instance(A).hostId), undefined, 'an INACTIVE instance is not live');

      await store.containerInstances.bumpDesiredVersion([B, B], T0 + 2);
      assert.equal((await store.containerInstances.get(B))?.desiredVersion, 2, 'bumped once per id');
      assert.deepEqual((await store.containerInstances.listSilent(T0 + 6000)).map((i) => i.id), [B]);
      await store.containerInstances.touch(B, T0 + 7000);
      assert.deepEqual(await store.containerInstances.listSilent(T0 + 6000), []);
    });

    test("custom attributes and tags are kept apart from the agent's attributes", async (t) => {
      const store = await (await fresh(t)).open();
      await store.containerInstances.insert(instance(A, { customAttributes: { stack: 'prod' }, tags: [{ key: 'team', value: 'web' }] }));
      const stored = await store.containerInstances.get(A);
      assert.deepEqual(stored?.customAttributes, { stack: 'prod' });
      assert.deepEqual(stored?.tags, [{ key: 'team', value: 'web' }]);
      await store.containerInstances.replace({ ...instance(A), attributes: { zone: 'b' }, customAttributes: { stack: 'dev', rack: '2' }, tags: [] });
      const replaced = await store.containerInstances.get(A);
      assert.deepEqual([replaced?.attributes, replaced?.customAttributes, replaced?.tags], [{ zone: 'b' }, { stack: 'dev', rack: '2' }, []]);
    });

    test('one live instance per host id and cluster', async (t) => {
      const store = await (await fresh(t)).open();
      await store.containerInstances.insert(instance(A));
      await assert.rejects(store.containerInstances.insert(instance(B, { hostId: instance(A).hostId })));
    });
  });

  describe('tasks', () => {
    test('insert, get, replace with a version check, list by filters, on an instance, usage and counts', async (t) => {
      const store = await (await fresh(t)).open();
      const t1 = '1'.repeat(32);
      const t2 = '2'.repeat(32);
      const t3 = '3'.repeat(32);
      await store.tasks.insertMany([
        task(t1, A, { hostPorts: [8080, 0], startedBy: 'ci' }),
        task(t2, A, { lastStatus: 'RUNNING', group: 'service:api', family: 'api' }),
        task(t3, B, { lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stoppedAt: T0 + 9 }),
      ]);
      const first = await store.tasks.get(t1);
      assert.deepEqual(first, { ...task(t1, A, { hostPorts: [8080, 0], startedBy: 'ci' }), version: 1 });

      assert.equal(await store.tasks.replace({ ...first!, lastStatus: 'PENDING', version: 2 }), true);
      assert.equal(await store.tasks.replace({ ...first!, lastStatus: 'RUNNING', version: 2 }), false, 'a stale version is refused');
      assert.equal((await store.tasks.get(t1))?.lastStatus, 'PENDING');

      const ids = async (o: Parameters<typeof store.tasks.list>[0]) => (await store.tasks.list(o)).map((x) => x.id);
      assert.deepEqual(await ids({ cluster: 'default', limit: 10 }), [t1, t2, t3]);
      assert.deepEqual(await ids({ cluster: 'default', desiredStatus: 'RUNNING', limit: 10 }), [t1, t2]);
      assert.deepEqual(await ids({ cluster: 'default', family: 'api', limit: 10 }), [t2]);
      assert.deepEqual(await ids({ cluster: 'default', startedBy: 'ci', limit: 10 }), [t1]);
      assert.deepEqual(await ids({ cluster: 'default', containerInstanceId: B, limit: 10 }), [t3]);
      assert.deepEqual(await ids({ cluster: 'default', group: 'service:api', limit: 10 }), [t2]);
      assert.deepEqual(await ids({ cluster: 'default', after: t1, limit: 1 }), [t2]);
      assert.deepEqual(await ids({ cluster: 'other', limit: 10 }), []);

      assert.deepEqual((await store.tasks.onInstance(A)).map((x) => x.id), [t1, t2]);
      assert.deepEqual(await store.tasks.onInstance(B), [], 'STOPPED tasks hold nothing');
      assert.deepEqual(await store.tasks.usage('default'), [{ containerInstanceId: A, cpu: 512, memory: 1024, hostPorts: [8080], groupCounts: { 'family:web': 1, 'service:api': 1 } }]);
      assert.deepEqual(await store.tasks.counts('default'), { running: 1, pending: 1 });
    });

    test("a service's tasks: every status, by id, of that service and cluster only", async (t) => {
      const store = await (await fresh(t)).open();
      const ids = ['5', '6', '7', '8', '9'].map((c) => c.repeat(32));
      const [s1, s2, s3, other, elsewhere] = ids as [string, string, string, string, string];
      // Inserted out of order: the answer is by id.
      await store.tasks.insertMany([
        task(s3, A, { group: 'service:api', lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stoppedAt: T0 + 1 }),
        task(s1, A, { group: 'service:api', lastStatus: 'RUNNING' }),
        task(other, A, { group: 'service:api-2' }),
        task(s2, B, { group: 'service:api', desiredStatus: 'STOPPED', lastStatus: 'STOPPING' }),
        task(elsewhere, B, { cluster: 'other', group: 'service:api' }),
      ]);
      assert.deepEqual((await store.tasks.ofService('default', 'api')).map((x) => x.id), [s1, s2, s3]);
      assert.deepEqual(await store.tasks.ofService('default', 'api'), await Promise.all([s1, s2, s3].map(async (id) => (await store.tasks.get(id))!)), 'whole records');
      assert.deepEqual((await store.tasks.ofService('other', 'api')).map((x) => x.id), [elsewhere]);
      assert.deepEqual(await store.tasks.ofService('default', 'missing'), []);
    });

    test('a task inserted in a rolled-back transaction is not there', async (t) => {
      const store = await (await fresh(t)).open();
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.tasks.insertMany([task('4'.repeat(32), A)]);
          throw new Error('abort');
        }),
      );
      assert.equal(await store.tasks.get('4'.repeat(32)), undefined);
    });
  });
}
