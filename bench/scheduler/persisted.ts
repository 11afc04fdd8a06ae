/**
 * Scheduler at scale with persistence: the placement benchmark (`placement.ts`: 5,000 simulated
 * hosts, 1,000,000 tasks as 1,000 jobs of 1,000, binpack and spread, some constrained) with every
 * placement written as a real task row through the store's repository, one transaction per batch
 * (`store.transaction(tx => tx.tasks.insertMany(rows))`), on SQLite and on PostgreSQL.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/scheduler/persisted.js [--store sqlite|postgres|both]
 *     [--hosts 5000] [--tasks 1000000] [--batch 1000] [--seed 1] [--runs 1] [--data-dir DIR]
 *     [--database-url postgres://…] [--ids random|ordered] [--json]
 *
 * SQLite gets a fresh temp data folder per run (or one under `--data-dir`); PostgreSQL a private
 * server started for the run (`test/support/postgres.ts`, fsync on), or `--database-url` (whose
 * `tasks` table must be empty). Reports placements/s, per-batch p50/p99 (placement + persistence),
 * peak RSS and the time until all tasks are placed and committed, then counts the rows to check.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { pino } from 'pino';
import { SQLITE_FILE_NAME } from '../../src/store/sqlite.js';
import { openStore } from '../../src/store/open.js';
import type { NewTask, Store, StoreKind } from '../../src/store/store.js';
import { startPostgres } from '../../test/support/postgres.js';
import type { PersistHook, PlacementBenchResult } from './placement.js';
import { runPlacementBench } from './placement.js';

export interface PersistedBenchOptions {
  readonly hosts: number;
  readonly tasks: number;
  readonly batch: number;
  readonly seed: number;
  readonly ids: TaskIds;
}

export interface PersistedBenchResult extends PlacementBenchResult {
  readonly store: StoreKind;
  readonly ids: TaskIds;
  /** Rows in `tasks` after the run, counted outside the store. */
  readonly rowsStored: number;
  /** SQLite: the database file plus its WAL; PostgreSQL: `pg_total_relation_size('tasks')`. */
  readonly tableMiB: number;
  /** Peak resident memory of the PostgreSQL server's processes (sampled), MiB; 0 for SQLite. */
  readonly serverPeakRssMiB: number;
}

/**
 * How task ids are made: `random` as RunTask does today (32 random hex digits), or `ordered` (a
 * time prefix, so new rows land at the right end of the id indexes): the proposal measured here.
 */
export type TaskIds = 'random' | 'ordered';

/**
 * A persist hook writing each placed batch as NewTask rows shaped as RunTask builds them
 * (`src/controller/compute/tasks.ts`): random 32-hex ids, PROVISIONING, desired RUNNING, the
 * group, CPU, memory and static host ports (0 where the host picks at start).
 */
export function storePersistHook(store: Store, ids: TaskIds = 'random', now: () => number = Date.now): PersistHook {
  return async ({ job, requirement, placements }) => {
    if (placements.length === 0) return;
    const random = randomBytes(16 * placements.length).toString('hex');
    const createdAt = now();
    // 'ordered': 12 hex digits of the time in ms, then 20 random ones; still 32 hex digits.
    const prefix = createdAt.toString(16).padStart(12, '0');
    const rows: NewTask[] = placements.map((p, i) => ({
      id: ids === 'random' ? random.slice(i * 32, i * 32 + 32) : prefix + random.slice(i * 32, i * 32 + 20),
      cluster: 'bench',
      family: `job-${job}`,
      revision: 1,
      containerInstanceId: p.hostId,
      desiredStatus: 'RUNNING',
      lastStatus: 'PROVISIONING',
      healthStatus: 'UNKNOWN',
      group: requirement.group,
      startedBy: null,
      cpu: requirement.cpu,
      memory: requirement.memory,
      hostPorts: requirement.ports.map((need, k) => (need.hostPort === 0 ? 0 : (p.hostPorts[k] ?? 0))),
      overrides: {},
      tags: [],
      containers: [],
      stopCode: null,
      stoppedReason: null,
      drainUntil: null,
      createdAt,
      startedAt: null,
      stoppingAt: null,
      stoppedAt: null,
    }));
    await store.transaction((tx) => tx.tasks.insertMany(rows));
  };
}

/** The RSS of `rootPid` and its descendants, from /proc (Linux), MiB. */
function processTreeRssMiB(rootPid: number): number {
  let total = 0;
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      const pages = Number(fields[21]);
      const pid = Number(entry);
      rss.set(pid, pages * 4096);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    } catch {
      // gone
    }
  }
  const walk = (pid: number): void => {
    total += rss.get(pid) ?? 0;
    for (const child of children.get(pid) ?? []) walk(child);
  };
  walk(rootPid);
  return total / 2 ** 20;
}

/** One run on SQLite in a fresh data folder under `parent`. */
export async function runOnSqlite(options: PersistedBenchOptions, parent: string = tmpdir()): Promise<PersistedBenchResult> {
  const dataDir = mkdtempSync(path.join(parent, 'wharf-bench-sqlite-'));
  try {
    const store = await openStore({ dataDir }, silentLog());
    let result: PlacementBenchResult;
    try {
      result = await runPlacementBench({ ...options, persist: storePersistHook(store, options.ids) });
    } finally {
      await store.close();
    }
    const file = path.join(dataDir, SQLITE_FILE_NAME);
    const size = [file, `${file}-wal`].reduce((n, f) => n + (statOr0(f)), 0);
    const db = new Database(file, { readonly: true });
    const rows = (db.prepare('SELECT count(*) AS n FROM tasks').get() as { n: number }).n;
    db.close();
    return { ...result, store: 'sqlite', ids: options.ids, rowsStored: rows, tableMiB: size / 2 ** 20, serverPeakRssMiB: 0 };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function statOr0(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** One run on PostgreSQL at `databaseUrl` (tasks table empty or absent); `serverPid` is sampled for RSS. */
export async function runOnPostgres(options: PersistedBenchOptions, databaseUrl: string, serverPid?: number): Promise<PersistedBenchResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wharf-bench-pg-'));
  const store = await openStore({ databaseUrl, dataDir }, silentLog());
  let serverPeak = 0;
  const sampler = serverPid === undefined ? undefined : setInterval(() => (serverPeak = Math.max(serverPeak, processTreeRssMiB(serverPid))), 500);
  let result: PlacementBenchResult;
  try {
    result = await runPlacementBench({ ...options, persist: storePersistHook(store, options.ids) });
  } finally {
    if (sampler) clearInterval(sampler);
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (serverPid !== undefined) serverPeak = Math.max(serverPeak, processTreeRssMiB(serverPid));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const count = await client.query<{ n: string }>('SELECT count(*) AS n FROM tasks');
    const size = await client.query<{ bytes: string }>("SELECT pg_total_relation_size('tasks') AS bytes");
    return { ...result, store: 'postgres', ids: options.ids, rowsStored: Number(count.rows[0]?.n), tableMiB: Number(size.rows[0]?.bytes) / 2 ** 20, serverPeakRssMiB: serverPeak };
  } finally {
    await client.end();
  }
}

function silentLog(): pino.Logger {
  return pino({ level: 'warn' }, pino.destination({ fd: 2, sync: true }));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The median of each numeric figure over runs (counts are taken from the first run). */
function medianOf(runs: readonly PersistedBenchResult[]): PersistedBenchResult & { readonly runs: number; readonly totalSecondsEach: readonly number[] } {
  const first = runs[0]!;
  const m = (pick: (r: PersistedBenchResult) => number) => median(runs.map(pick));
  return {
    ...first,
    totalSeconds: m((r) => r.totalSeconds),
    placementsPerSecond: m((r) => r.placementsPerSecond),
    batchP50Ms: m((r) => r.batchP50Ms),
    batchP99Ms: m((r) => r.batchP99Ms),
    batchMaxMs: m((r) => r.batchMaxMs),
    persistSeconds: m((r) => r.persistSeconds),
    peakRssMiB: m((r) => r.peakRssMiB),
    serverPeakRssMiB: m((r) => r.serverPeakRssMiB),
    placeMsByKind: {
      binpack: { p50Ms: m((r) => r.placeMsByKind.binpack.p50Ms), p99Ms: m((r) => r.placeMsByKind.binpack.p99Ms) },
      spread: { p50Ms: m((r) => r.placeMsByKind.spread.p50Ms), p99Ms: m((r) => r.placeMsByKind.spread.p99Ms) },
    },
    runs: runs.length,
    totalSecondsEach: runs.map((r) => r.totalSeconds),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      store: { type: 'string', default: 'both' },
      hosts: { type: 'string', default: process.env.BENCH_HOSTS ?? '5000' },
      tasks: { type: 'string', default: process.env.BENCH_TASKS ?? '1000000' },
      batch: { type: 'string', default: process.env.BENCH_BATCH ?? '1000' },
      seed: { type: 'string', default: '1' },
      runs: { type: 'string', default: process.env.BENCH_RUNS ?? '1' },
      ids: { type: 'string', default: 'random' },
      'data-dir': { type: 'string' },
      'database-url': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const options: PersistedBenchOptions = { hosts: Number(values.hosts), tasks: Number(values.tasks), batch: Number(values.batch), seed: Number(values.seed), ids: values.ids === 'ordered' ? 'ordered' : 'random' };
  const runs = Math.max(1, Number(values.runs));
  const kinds: StoreKind[] = values.store === 'both' ? ['sqlite', 'postgres'] : [values.store as StoreKind];
  const results: ReturnType<typeof medianOf>[] = [];
  for (const kind of kinds) {
    const each: PersistedBenchResult[] = [];
    for (let r = 0; r < runs; r++) {
      if (kind === 'sqlite') {
        each.push(await runOnSqlite(options, values['data-dir']));
      } else if (values['database-url']) {
        each.push(await runOnPostgres(options, values['database-url']));
      } else {
        const server = await startPostgres();
        try {
          each.push(await runOnPostgres(options, server.url, server.pid));
        } finally {
          await server.stop();
        }
      }
      if (!values.json) console.error(`  ${kind} run ${r + 1}/${runs}: ${each[r]!.totalSeconds.toFixed(2)} s`);
    }
    results.push(medianOf(each));
  }
  if (values.json) {
    console.log(JSON.stringify(results));
    return;
  }
  const f = (n: number, d = 1) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  for (const r of results) {
    console.log(`scheduler placement + persistence on ${r.store}: ${f(r.hosts, 0)} hosts, ${f(r.tasksSubmitted, 0)} tasks in ${r.batches} batches (median of ${r.runs} run(s), ${r.ids} task ids)`);
    console.log(`  placed            ${f(r.tasksPlaced, 0)} (failed ${f(r.tasksFailed, 0)}), rows stored ${f(r.rowsStored, 0)}`);
    console.log(`  all placed+stored ${f(r.totalSeconds, 2)} s (runs: ${r.totalSecondsEach.map((s) => f(s, 2)).join(', ')}; persistence ${f(r.persistSeconds, 2)} s of it)`);
    console.log(`  placements/s      ${f(r.placementsPerSecond, 0)}`);
    console.log(`  batch latency     p50 ${f(r.batchP50Ms, 2)} ms, p99 ${f(r.batchP99Ms, 2)} ms, max ${f(r.batchMaxMs, 2)} ms (placement + commit)`);
    console.log(`  peak RSS          ${f(r.peakRssMiB, 0)} MiB (bench process)${r.store === 'postgres' && r.serverPeakRssMiB > 0 ? `, PostgreSQL server ${f(r.serverPeakRssMiB, 0)} MiB` : ''}`);
    console.log(`  tasks table       ${f(r.tableMiB, 0)} MiB`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
