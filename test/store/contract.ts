/**
 * The store contract: one suite that every store implementation runs (`sqlite.test.ts`,
 * `postgres.test.ts`). It speaks only the `Store` interface, plus a little raw access to the
 * database (`StoreLocation`) to play a newer Wharf that wrote a newer schema.
 */
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { DEFAULT_CLUSTER } from '../../src/model/cluster.js';
import { WharfError } from '../../src/model/errors.js';
import { EVENT_SEVERITIES, severityAtLeast, type EventFilter, type NewEvent, type WharfEvent } from '../../src/model/events.js';
import { LATEST_SCHEMA_VERSION } from '../../src/store/migrations.js';
import { registerTaskDefinitionRequestSchema, type RegisterTaskDefinitionRequest, type TaskDefinitionRecord } from '../../src/model/task-definition.js';
import type { Store } from '../../src/store/store.js';
import { computeCases } from './compute-contract.js';
import { servicesCases } from './services-contract.js';
import { platformCases } from './platform-contract.js';
import { s3Cases } from './s3-contract.js';
import { loadBalancingCases } from './load-balancing-contract.js';
import { iamCases } from './iam-contract.js';

/** One place a store lives (a data folder, a database), made fresh for one test and removed after it. */
export interface StoreLocation {
  /** Opens the store at this location (again); stores still open at the end of the test are closed. */
  open(): Promise<Store>;
  /** Records a migration `version` straight in `schema_migrations`, as a newer Wharf would. The store must be closed. */
  recordSchemaVersion(version: number): Promise<void>;
  /** A fingerprint of everything stored (file bytes, or every row), to check a refused open changed nothing. */
  snapshot(): Promise<string>;
}

/** Makes a fresh location for one test and registers its removal with the test. */
export type StoreLocationFactory = (t: TestContext) => Promise<StoreLocation>;

/** A fixed point in time for the tests' records (the store takes `now` from its callers). */
const T0 = 1_700_000_000_000;

function event(overrides: Partial<NewEvent> = {}): NewEvent {
  return { resourceType: 'cluster', resourceId: 'alpha', severity: 'INFO', message: 'something happened', requestId: null, ...overrides };
}

/** The events a filter should return, computed from what was appended: the reference for `events.query`. */
function expectedEvents(all: readonly WharfEvent[], filter: EventFilter): WharfEvent[] {
  return all
    .filter((e) => filter.resourceType === undefined || e.resourceType === filter.resourceType)
    .filter((e) => filter.resourceId === undefined || e.resourceId === filter.resourceId)
    .filter((e) => filter.minSeverity === undefined || severityAtLeast(e.severity, filter.minSeverity))
    .filter((e) => filter.startTime === undefined || e.time >= filter.startTime)
    .filter((e) => filter.endTime === undefined || e.time < filter.endTime)
    .filter((e) => filter.requestId === undefined || e.requestId === filter.requestId)
    .filter((e) => filter.beforeId === undefined || e.id < filter.beforeId)
    .sort((a, b) => b.id - a.id)
    .slice(0, filter.limit);
}

/** Registers the contract suite for one store implementation. */
export function storeContract(name: string, fresh: StoreLocationFactory): void {
  describe(`store contract: ${name}`, () => {
    describe('migrations', () => {
      test('a new store applies every migration once; opening again applies nothing', async (t) => {
        const location = await fresh(t);
        const first = await location.open();
        assert.equal(first.info.schemaVersion, LATEST_SCHEMA_VERSION);
        assert.deepEqual(first.info.migrationsApplied, Array.from({ length: LATEST_SCHEMA_VERSION }, (_, i) => i + 1));
        await first.close();
        const second = await location.open();
        assert.equal(second.info.schemaVersion, LATEST_SCHEMA_VERSION);
        assert.deepEqual(second.info.migrationsApplied, []);
        assert.equal(second.info.kind, name === 'sqlite' ? 'sqlite' : 'postgres');
      });

      test('a schema newer than this code is refused and left untouched', async (t) => {
        const location = await fresh(t);
        const store = await location.open();
        await store.events.append(event({ time: T0 }));
        await store.close();
        await location.recordSchemaVersion(LATEST_SCHEMA_VERSION + 1);
        const before = await location.snapshot();
        for (let attempt = 0; attempt < 2; attempt++) {
          // Twice: a refused open must also give back everything it took (locks, connections).
          await assert.rejects(location.open(), (error: unknown) => {
            assert.ok(error instanceof WharfError, String(error));
            assert.equal(error.code, 'WHARF_E_SCHEMA_TOO_NEW');
            assert.match(error.message, new RegExp(`schema version ${LATEST_SCHEMA_VERSION + 1}, newer than the ${LATEST_SCHEMA_VERSION}`));
            return true;
          });
        }
        assert.equal(await location.snapshot(), before);
      });
    });

    describe('clusters', () => {
      test('the default cluster exists and is ACTIVE', async (t) => {
        const store = await (await fresh(t)).open();
        const cluster = await store.clusters.get(DEFAULT_CLUSTER);
        assert.equal(cluster?.status, 'ACTIVE');
        assert.deepEqual(cluster?.tags, []);
      });

      test('create is idempotent, deactivate marks INACTIVE, create brings it back', async (t) => {
        const store = await (await fresh(t)).open();
        const input = { clusterName: 'alpha', tags: [{ key: 'team', value: 'web' }], settings: [{ name: 'containerInsights', value: 'enabled' }] };
        const created = await store.clusters.create(input, T0);
        assert.equal(created.created, true);
        assert.deepEqual(created.cluster, { ...input, status: 'ACTIVE', createdAt: T0, updatedAt: T0 });
        assert.deepEqual(await store.clusters.get('alpha'), created.cluster);

        const again = await store.clusters.create({ clusterName: 'alpha', tags: [], settings: [] }, T0 + 1);
        assert.equal(again.created, false);
        assert.deepEqual(again.cluster, created.cluster, 'an ACTIVE cluster is returned unchanged');

        const deactivated = await store.clusters.deactivate('alpha', T0 + 2);
        assert.deepEqual(deactivated, { ...created.cluster, status: 'INACTIVE', updatedAt: T0 + 2 });
        assert.equal(await store.clusters.deactivate('alpha', T0 + 3), undefined, 'an INACTIVE cluster is not deactivated again');
        assert.equal(await store.clusters.deactivate('nope', T0 + 3), undefined);
        assert.equal((await store.clusters.get('alpha'))?.status, 'INACTIVE');

        const revived = await store.clusters.create({ clusterName: 'alpha', tags: [{ key: 'team', value: 'api' }], settings: [] }, T0 + 4);
        assert.equal(revived.created, true);
        assert.deepEqual(revived.cluster, {
          clusterName: 'alpha',
          status: 'ACTIVE',
          tags: [{ key: 'team', value: 'api' }],
          settings: [],
          createdAt: T0 + 4,
          updatedAt: T0 + 4,
        });
        assert.equal(await store.clusters.get('missing'), undefined);
      });

      test('update replaces the tags or settings given of an ACTIVE cluster and keeps the rest', async (t) => {
        const store = await (await fresh(t)).open();
        await store.clusters.create({ clusterName: 'alpha', tags: [{ key: 'team', value: 'web' }], settings: [] }, T0);
        const tagged = await store.clusters.update('alpha', { tags: [{ key: 'team', value: 'api' }, { key: 'env', value: 'prod' }] }, T0 + 1);
        assert.deepEqual([tagged?.tags, tagged?.settings, tagged?.updatedAt, tagged?.createdAt], [[{ key: 'team', value: 'api' }, { key: 'env', value: 'prod' }], [], T0 + 1, T0]);
        const set = await store.clusters.update('alpha', { settings: [{ name: 'containerInsights', value: 'enabled' }] }, T0 + 2);
        assert.deepEqual([set?.tags.length, set?.settings], [2, [{ name: 'containerInsights', value: 'enabled' }]]);
        assert.deepEqual(await store.clusters.get('alpha'), set);
        assert.equal(await store.clusters.update('missing', { tags: [] }, T0 + 3), undefined);
        await store.clusters.deactivate('alpha', T0 + 4);
        assert.equal(await store.clusters.update('alpha', { tags: [] }, T0 + 5), undefined, 'an INACTIVE cluster is not updated');
      });

      test('list pages by name in byte order and filters by status', async (t) => {
        const store = await (await fresh(t)).open();
        const names = ['gamma', 'Beta', 'alpha', 'delta-1', 'delta_2', 'zeta', 'Zulu'];
        for (const clusterName of names) await store.clusters.create({ clusterName, tags: [], settings: [] }, T0);
        await store.clusters.deactivate('delta-1', T0 + 1);
        await store.clusters.deactivate('Zulu', T0 + 1);
        const all = [...names, DEFAULT_CLUSTER].sort();

        const paged: string[] = [];
        let after: string | undefined;
        for (;;) {
          const page = await store.clusters.list({ limit: 3, ...(after === undefined ? {} : { after }) });
          assert.ok(page.length <= 3);
          paged.push(...page.map((c) => c.clusterName));
          if (page.length < 3) break;
          after = page.at(-1)?.clusterName;
        }
        assert.deepEqual(paged, all);

        const active = await store.clusters.list({ status: 'ACTIVE', limit: 100 });
        assert.deepEqual(
          active.map((c) => c.clusterName),
          all.filter((n) => n !== 'delta-1' && n !== 'Zulu'),
        );
        const inactive = await store.clusters.list({ status: 'INACTIVE', after: 'Zulu', limit: 100 });
        assert.deepEqual(
          inactive.map((c) => c.clusterName),
          ['delta-1'],
        );
        assert.deepEqual(await store.clusters.list({ limit: 0 }), []);
      });
    });

    taskDefinitionCases(fresh);
    computeCases(fresh);
    servicesCases(fresh);
    platformCases(fresh);
    s3Cases(fresh);
    loadBalancingCases(fresh);
    iamCases(fresh);

    describe('events', () => {
      test('append returns the stored event with an increasing id; time defaults to now', async (t) => {
        const store = await (await fresh(t)).open();
        const first = await store.events.append(event({ time: T0, requestId: 'req-1' }));
        assert.deepEqual(first, { ...event({ time: T0, requestId: 'req-1' }), id: first.id });
        const before = Date.now();
        const second = await store.events.append(event());
        const after = Date.now();
        assert.ok(second.id > first.id, 'ids increase');
        assert.ok(second.time >= before && second.time <= after, `time ${second.time} is the time of the append`);
        assert.deepEqual(await store.events.query({ limit: 10 }), [second, first]);
      });

      test('query applies every filter, newest first, and pages with beforeId', async (t) => {
        const store = await (await fresh(t)).open();
        const all: WharfEvent[] = [];
        const resources = [
          ['cluster', 'alpha'],
          ['cluster', 'beta'],
          ['service', 'alpha'],
        ] as const;
        for (let i = 0; i < 36; i++) {
          const [resourceType, resourceId] = resources[i % resources.length] as (typeof resources)[number];
          all.push(
            await store.events.append({
              resourceType,
              resourceId,
              severity: EVENT_SEVERITIES[i % EVENT_SEVERITIES.length] as (typeof EVENT_SEVERITIES)[number],
              message: `event ${i}`,
              // Times go back and forth so that time order and id order differ.
              time: T0 + ((i * 7) % 12) * 1000,
              requestId: i % 4 === 0 ? `req-${i % 8}` : null,
            }),
          );
        }
        const filters: EventFilter[] = [
          { limit: 100 },
          { limit: 5 },
          { resourceType: 'cluster', limit: 100 },
          { resourceType: 'cluster', resourceId: 'alpha', limit: 100 },
          { resourceId: 'alpha', limit: 100 },
          { resourceType: 'task', limit: 100 },
          ...EVENT_SEVERITIES.map((minSeverity) => ({ minSeverity, limit: 100 })),
          { startTime: T0 + 5000, limit: 100 },
          { endTime: T0 + 5000, limit: 100 },
          { startTime: T0 + 3000, endTime: T0 + 3000, limit: 100 },
          { startTime: T0 + 3000, endTime: T0 + 3001, limit: 100 },
          { requestId: 'req-0', limit: 100 },
          { requestId: 'req-4', resourceType: 'cluster', limit: 100 },
          { beforeId: all[20]?.id, limit: 100 },
          { resourceType: 'cluster', minSeverity: 'WARN', startTime: T0 + 2000, endTime: T0 + 9000, beforeId: all[30]?.id, limit: 3 },
          { limit: 0 },
        ];
        for (const filter of filters) {
          assert.deepEqual(await store.events.query(filter), expectedEvents(all, filter), `filter ${JSON.stringify(filter)}`);
        }
        const startBoundary = await store.events.query({ startTime: T0 + 3000, endTime: T0 + 3001, limit: 100 });
        assert.ok(startBoundary.length > 0 && startBoundary.every((e) => e.time === T0 + 3000), 'startTime is inclusive, endTime exclusive');

        const paged: WharfEvent[] = [];
        let beforeId: number | undefined;
        for (;;) {
          const page = await store.events.query({ resourceType: 'cluster', limit: 5, ...(beforeId === undefined ? {} : { beforeId }) });
          paged.push(...page);
          if (page.length < 5) break;
          beforeId = page.at(-1)?.id;
        }
        assert.deepEqual(paged, expectedEvents(all, { resourceType: 'cluster', limit: 1000 }));
      });
    });

    describe('event retention', () => {
      test('pruneBefore deletes the oldest events before a time, a batch at a time, and keeps the rest', async (t) => {
        const store = await (await fresh(t)).open();
        const old = [];
        for (let i = 0; i < 5; i++) old.push(await store.events.append(event({ time: T0 + i * 1000, message: `old ${i}` })));
        const kept = [await store.events.append(event({ time: T0 + 10_000, message: 'kept' })), await store.events.append(event({ time: T0 + 5_000, message: 'at the boundary' }))];
        assert.equal(await store.events.pruneBefore(T0 + 5_000, 3), 3, 'a batch of three');
        assert.deepEqual((await store.events.query({ limit: 100 })).map((e) => e.message), ['at the boundary', 'kept', 'old 4', 'old 3']);
        assert.equal(await store.events.pruneBefore(T0 + 5_000, 3), 2, 'the rest of the old ones');
        assert.equal(await store.events.pruneBefore(T0 + 5_000, 3), 0);
        assert.deepEqual(await store.events.query({ limit: 100 }), [...kept].reverse());
        assert.equal(old.length, 5);
      });
    });

    describe('transactions', () => {
      test('commit makes every write visible and returns the work result', async (t) => {
        const store = await (await fresh(t)).open();
        const result = await store.transaction(async (tx) => {
          await tx.clusters.create({ clusterName: 'tx', tags: [], settings: [] }, T0);
          const appended = await tx.events.append(event({ resourceId: 'tx', time: T0 }));
          assert.equal((await tx.clusters.get('tx'))?.status, 'ACTIVE', 'a transaction sees its own writes');
          return appended.id;
        });
        assert.equal((await store.clusters.get('tx'))?.status, 'ACTIVE');
        assert.deepEqual((await store.events.query({ resourceId: 'tx', limit: 10 })).map((e) => e.id), [result]);
      });

      test('a throw inside rolls back every write and is rethrown as it is', async (t) => {
        const store = await (await fresh(t)).open();
        await store.clusters.create({ clusterName: 'keep', tags: [], settings: [] }, T0);
        const boom = new Error('boom');
        await assert.rejects(
          store.transaction(async (tx) => {
            await tx.clusters.create({ clusterName: 'doomed', tags: [], settings: [] }, T0);
            await tx.clusters.deactivate('keep', T0 + 1);
            await tx.events.append(event({ resourceId: 'doomed' }));
            throw boom;
          }),
          (error) => error === boom,
        );
        assert.equal(await store.clusters.get('doomed'), undefined);
        assert.equal((await store.clusters.get('keep'))?.status, 'ACTIVE');
        assert.deepEqual(await store.events.query({ resourceId: 'doomed', limit: 10 }), []);
        // The store is still usable afterwards.
        await store.transaction(async (tx) => tx.events.append(event({ resourceId: 'after' })));
        assert.equal((await store.events.query({ resourceId: 'after', limit: 10 })).length, 1);
      });

      test('concurrent transactions do not interleave: read-then-write sees every earlier commit', async (t) => {
        const store = await (await fresh(t)).open();
        const count = 20;
        await Promise.all(
          Array.from({ length: count }, () =>
            store.transaction(async (tx) => {
              const seen = await tx.events.query({ resourceType: 'counter', limit: 1000 });
              await new Promise((resolve) => setImmediate(resolve));
              await tx.events.append(event({ resourceType: 'counter', resourceId: 'c', message: String(seen.length) }));
            }),
          ),
        );
        const messages = (await store.events.query({ resourceType: 'counter', limit: 1000 })).map((e) => Number(e.message)).sort((a, b) => a - b);
        assert.deepEqual(messages, Array.from({ length: count }, (_, i) => i));
      });

      test('a write outside a transaction is neither swallowed nor rolled back by one that is open', async (t) => {
        const store = await (await fresh(t)).open();
        let open!: () => void;
        const gate = new Promise<void>((resolve) => (open = resolve));
        let started!: () => void;
        const inside = new Promise<void>((resolve) => (started = resolve));
        const rolledBack = store.transaction(async (tx) => {
          await tx.events.append(event({ resourceId: 'inside' }));
          started();
          await gate;
          throw new Error('roll back');
        });
        await inside;
        const outside = store.events.append(event({ resourceId: 'outside' }));
        open();
        await assert.rejects(rolledBack, /roll back/);
        const written = await outside;
        assert.deepEqual(await store.events.query({ resourceId: 'outside', limit: 10 }), [written]);
        assert.deepEqual(await store.events.query({ resourceId: 'inside', limit: 10 }), []);
      });
    });

    describe('leadership and lifecycle', () => {
      test('a single controller acquires, holds and releases leadership', async (t) => {
        const store = await (await fresh(t)).open();
        const leadership = store.leadership({ pollIntervalMs: 50, holder: 'contract' });
        assert.equal(leadership.isLeader(), false);
        await leadership.acquire();
        assert.equal(leadership.isLeader(), true);
        await leadership.acquire(); // already leading: resolves at once
        await leadership.release();
        assert.equal(leadership.isLeader(), false);
        await leadership.release(); // safe twice
        await assert.rejects(store.leadership().acquire(AbortSignal.abort(new Error('stop'))), /stop/);
      });

      test('close waits for the running transaction and is safe twice', async (t) => {
        const location = await fresh(t);
        const store = await location.open();
        const running = store.transaction(async (tx) => {
          await new Promise((resolve) => setImmediate(resolve));
          return tx.events.append(event({ resourceId: 'last' }));
        });
        const closed = store.close();
        await running;
        await closed;
        await store.close();
        await assert.rejects(store.transaction(async () => undefined), /closed/);
        const reopened = await location.open();
        assert.equal((await reopened.events.query({ resourceId: 'last', limit: 10 })).length, 1);
      });
    });
  });
}

/** A complete valid task definition of `family`, normalised as the API stores it; `tweak` adds fields. */
function taskDefinition(family: string, tweak: Record<string, unknown> = {}): RegisterTaskDefinitionRequest {
  return registerTaskDefinitionRequestSchema.parse({
    family,
    containerDefinitions: [{ name: 'app', image: 'wharf/process', command: ['node', 'server.js'], memory: 128, portMappings: [{ containerPort: 8080 }] }],
    ...tweak,
  });
}

/** `family:revision` of each record, for compact assertions. */
function ids(records: readonly TaskDefinitionRecord[]): string[] {
  return records.map((r) => `${r.family}:${r.revision}`);
}

/** The task definition cases of the contract. */
function taskDefinitionCases(fresh: StoreLocationFactory): void {
  describe('task definitions', () => {
    test('register numbers revisions per family from 1 and stores the definition as given', async (t) => {
      const store = await (await fresh(t)).open();
      const web = taskDefinition('web', { cpu: '256', tags: [{ key: 'team', value: 'web' }] });
      const first = await store.taskDefinitions.register(web, T0);
      assert.deepEqual(first, { family: 'web', revision: 1, status: 'ACTIVE', definition: web, registeredAt: T0, deregisteredAt: null, deleteRequestedAt: null });
      assert.equal((await store.taskDefinitions.register(taskDefinition('web'), T0 + 1)).revision, 2);
      assert.equal((await store.taskDefinitions.register(taskDefinition('worker'), T0 + 2)).revision, 1, 'each family counts on its own');
      assert.equal((await store.taskDefinitions.register(taskDefinition('web'), T0 + 3)).revision, 3);
      assert.deepEqual(await store.taskDefinitions.get('web', 1), first);
      assert.equal(await store.taskDefinitions.get('web', 4), undefined);
      assert.equal(await store.taskDefinitions.get('nope', 1), undefined);
    });

    test('setTags replaces the tags of a revision in any status, and nothing else', async (t) => {
      const store = await (await fresh(t)).open();
      const web = taskDefinition('web', { tags: [{ key: 'team', value: 'web' }] });
      await store.taskDefinitions.register(web, T0);
      await store.taskDefinitions.setStatus('web', 1, ['ACTIVE'], 'INACTIVE', T0 + 1);
      const tagged = await store.taskDefinitions.setTags('web', 1, [{ key: 'env', value: 'prod' }]);
      assert.deepEqual(tagged?.definition, { ...web, tags: [{ key: 'env', value: 'prod' }] });
      assert.equal(tagged?.status, 'INACTIVE');
      assert.deepEqual(await store.taskDefinitions.get('web', 1), tagged);
      assert.equal(await store.taskDefinitions.setTags('web', 2, []), undefined);
    });

    test('concurrent registrations of one family get distinct, consecutive revisions', async (t) => {
      const store = await (await fresh(t)).open();
      const records = await Promise.all(Array.from({ length: 12 }, (_, i) => store.transaction((tx) => tx.taskDefinitions.register(taskDefinition('busy'), T0 + i))));
      assert.deepEqual(
        records.map((r) => r.revision).sort((a, b) => a - b),
        Array.from({ length: 12 }, (_, i) => i + 1),
      );
    });

    test('setStatus moves only from the given statuses and stamps the time; revisions are never reused', async (t) => {
      const store = await (await fresh(t)).open();
      for (let i = 0; i < 3; i++) await store.taskDefinitions.register(taskDefinition('web'), T0);

      assert.equal(await store.taskDefinitions.setStatus('web', 3, ['INACTIVE'], 'DELETE_IN_PROGRESS', T0 + 1), undefined, 'an ACTIVE revision is not deleted');
      assert.equal((await store.taskDefinitions.get('web', 3))?.status, 'ACTIVE');
      assert.equal(await store.taskDefinitions.setStatus('web', 9, ['ACTIVE'], 'INACTIVE', T0 + 1), undefined, 'a missing revision');
      assert.equal(await store.taskDefinitions.setStatus('web', 3, [], 'INACTIVE', T0 + 1), undefined, 'no status to move from');

      const inactive = await store.taskDefinitions.setStatus('web', 3, ['ACTIVE'], 'INACTIVE', T0 + 2);
      assert.deepEqual({ status: inactive?.status, deregisteredAt: inactive?.deregisteredAt, deleteRequestedAt: inactive?.deleteRequestedAt }, { status: 'INACTIVE', deregisteredAt: T0 + 2, deleteRequestedAt: null });
      assert.equal(await store.taskDefinitions.setStatus('web', 3, ['ACTIVE'], 'INACTIVE', T0 + 3), undefined, 'already INACTIVE');
      const deleting = await store.taskDefinitions.setStatus('web', 3, ['INACTIVE'], 'DELETE_IN_PROGRESS', T0 + 4);
      assert.deepEqual({ status: deleting?.status, deregisteredAt: deleting?.deregisteredAt, deleteRequestedAt: deleting?.deleteRequestedAt }, { status: 'DELETE_IN_PROGRESS', deregisteredAt: T0 + 2, deleteRequestedAt: T0 + 4 });
      assert.deepEqual(await store.taskDefinitions.get('web', 3), deleting);

      // The highest revision is being deleted: the next one is still 4, never 3 again.
      assert.equal((await store.taskDefinitions.register(taskDefinition('web'), T0 + 5)).revision, 4);
      const moved = await store.taskDefinitions.setStatus('web', 2, ['ACTIVE', 'INACTIVE'], 'INACTIVE', T0 + 6);
      assert.equal(moved?.status, 'INACTIVE', 'from may list several statuses');
    });

    test('latestActive is the highest ACTIVE revision, skipping INACTIVE and deleted ones', async (t) => {
      const store = await (await fresh(t)).open();
      assert.equal(await store.taskDefinitions.latestActive('web'), undefined);
      for (let i = 0; i < 4; i++) await store.taskDefinitions.register(taskDefinition('web'), T0 + i);
      assert.equal((await store.taskDefinitions.latestActive('web'))?.revision, 4);
      await store.taskDefinitions.setStatus('web', 4, ['ACTIVE'], 'INACTIVE', T0 + 10);
      await store.taskDefinitions.setStatus('web', 3, ['ACTIVE'], 'INACTIVE', T0 + 10);
      await store.taskDefinitions.setStatus('web', 3, ['INACTIVE'], 'DELETE_IN_PROGRESS', T0 + 11);
      assert.equal((await store.taskDefinitions.latestActive('web'))?.revision, 2);
      await store.taskDefinitions.setStatus('web', 2, ['ACTIVE'], 'INACTIVE', T0 + 12);
      await store.taskDefinitions.setStatus('web', 1, ['ACTIVE'], 'INACTIVE', T0 + 12);
      assert.equal(await store.taskDefinitions.latestActive('web'), undefined, 'no ACTIVE revision left');
      assert.equal(await store.taskDefinitions.latestActive('we'), undefined, 'family names match exactly');
    });

    test('list sorts by family then revision (ASC or DESC, byte order), filters by prefix and status, and pages', async (t) => {
      const store = await (await fresh(t)).open();
      const families = ['web', 'Web', 'web-2', 'web_2', 'worker', 'api'];
      for (const family of families) for (let i = 0; i < 3; i++) await store.taskDefinitions.register(taskDefinition(family), T0);
      await store.taskDefinitions.setStatus('web', 2, ['ACTIVE'], 'INACTIVE', T0 + 1);
      await store.taskDefinitions.setStatus('api', 1, ['ACTIVE'], 'INACTIVE', T0 + 1);
      await store.taskDefinitions.setStatus('api', 1, ['INACTIVE'], 'DELETE_IN_PROGRESS', T0 + 2);

      const all = [...families].sort().flatMap((f) => [1, 2, 3].map((r) => `${f}:${r}`));
      assert.deepEqual(ids(await store.taskDefinitions.list({ sort: 'ASC', limit: 1000 })), all);
      assert.deepEqual(ids(await store.taskDefinitions.list({ sort: 'DESC', limit: 1000 })), [...all].reverse());

      for (const sort of ['ASC', 'DESC'] as const) {
        const paged: string[] = [];
        let after: { family: string; revision: number } | undefined;
        for (;;) {
          const page = await store.taskDefinitions.list({ sort, status: 'ACTIVE', limit: 4, ...(after === undefined ? {} : { after }) });
          assert.ok(page.length <= 4);
          paged.push(...ids(page));
          const last = page.at(-1);
          if (page.length < 4 || last === undefined) break;
          after = { family: last.family, revision: last.revision };
        }
        const active = all.filter((id) => id !== 'web:2' && id !== 'api:1');
        assert.deepEqual(paged, sort === 'ASC' ? active : [...active].reverse(), `paged ${sort}`);
      }

      assert.deepEqual(ids(await store.taskDefinitions.list({ sort: 'ASC', familyPrefix: 'web', limit: 100 })), ['web:1', 'web:2', 'web:3', 'web-2:1', 'web-2:2', 'web-2:3', 'web_2:1', 'web_2:2', 'web_2:3'].sort(byFamilyThenRevision));
      assert.deepEqual(ids(await store.taskDefinitions.list({ sort: 'ASC', familyPrefix: 'web_', limit: 100 })), ['web_2:1', 'web_2:2', 'web_2:3'], 'the prefix is literal (_ is no wildcard)');
      assert.deepEqual(ids(await store.taskDefinitions.list({ sort: 'ASC', familyPrefix: 'W', limit: 100 })), ['Web:1', 'Web:2', 'Web:3'], 'the prefix is case-sensitive');
      assert.deepEqual(ids(await store.taskDefinitions.list({ sort: 'ASC', status: 'INACTIVE', limit: 100 })), ['web:2']);
      assert.deepEqual(ids(await store.taskDefinitions.list({ sort: 'DESC', status: 'DELETE_IN_PROGRESS', limit: 100 })), ['api:1']);
      assert.deepEqual(ids(await store.taskDefinitions.list({ sort: 'ASC', familyPrefix: 'zzz', limit: 100 })), []);
      assert.deepEqual(await store.taskDefinitions.list({ sort: 'ASC', limit: 0 }), []);
    });

    test('listFamilies: ACTIVE has an ACTIVE revision, INACTIVE has none, all otherwise; prefix and paging', async (t) => {
      const store = await (await fresh(t)).open();
      for (const family of ['alpha', 'beta', 'Gamma', 'delta', 'alpha-2']) {
        await store.taskDefinitions.register(taskDefinition(family), T0);
        await store.taskDefinitions.register(taskDefinition(family), T0);
      }
      // beta: one of two revisions INACTIVE (still an ACTIVE family); delta: none ACTIVE; Gamma: none ACTIVE, one being deleted.
      await store.taskDefinitions.setStatus('beta', 1, ['ACTIVE'], 'INACTIVE', T0);
      for (const family of ['delta', 'Gamma']) for (const revision of [1, 2]) await store.taskDefinitions.setStatus(family, revision, ['ACTIVE'], 'INACTIVE', T0);
      await store.taskDefinitions.setStatus('Gamma', 2, ['INACTIVE'], 'DELETE_IN_PROGRESS', T0);

      assert.deepEqual(await store.taskDefinitions.listFamilies({ limit: 100 }), ['Gamma', 'alpha', 'alpha-2', 'beta', 'delta']);
      assert.deepEqual(await store.taskDefinitions.listFamilies({ status: 'ACTIVE', limit: 100 }), ['alpha', 'alpha-2', 'beta']);
      assert.deepEqual(await store.taskDefinitions.listFamilies({ status: 'INACTIVE', limit: 100 }), ['Gamma', 'delta']);
      assert.deepEqual(await store.taskDefinitions.listFamilies({ status: 'DELETE_IN_PROGRESS', limit: 100 }), ['Gamma']);
      assert.deepEqual(await store.taskDefinitions.listFamilies({ familyPrefix: 'alpha', limit: 100 }), ['alpha', 'alpha-2']);
      assert.deepEqual(await store.taskDefinitions.listFamilies({ familyPrefix: 'g', limit: 100 }), [], 'case-sensitive prefix');
      assert.deepEqual(await store.taskDefinitions.listFamilies({ limit: 2 }), ['Gamma', 'alpha']);
      assert.deepEqual(await store.taskDefinitions.listFamilies({ after: 'alpha', limit: 2 }), ['alpha-2', 'beta']);
      assert.deepEqual(await store.taskDefinitions.listFamilies({ status: 'ACTIVE', after: 'alpha-2', limit: 100 }), ['beta']);
      assert.deepEqual(await store.taskDefinitions.listFamilies({ limit: 0 }), []);
    });

    test('a registration rolled back with its transaction leaves no revision behind', async (t) => {
      const store = await (await fresh(t)).open();
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.taskDefinitions.register(taskDefinition('web'), T0);
          throw new Error('roll back');
        }),
        /roll back/,
      );
      assert.equal(await store.taskDefinitions.get('web', 1), undefined);
      assert.equal((await store.taskDefinitions.register(taskDefinition('web'), T0)).revision, 1);
    });
  });
}

/** Byte order of family, then revision as a number: how the store sorts `family:revision` ids. */
function byFamilyThenRevision(a: string, b: string): number {
  const [fa = '', ra = '0'] = a.split(':');
  const [fb = '', rb = '0'] = b.split(':');
  return fa < fb ? -1 : fa > fb ? 1 : Number(ra) - Number(rb);
}
