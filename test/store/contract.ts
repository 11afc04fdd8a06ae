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
import type { Store } from '../../src/store/store.js';

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
