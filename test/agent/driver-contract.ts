/**
 * The contract every container driver passes (STYLE.md 9): one suite, run by
 * process-driver.test.ts and docker-driver.test.ts against real processes and a real engine.
 * Containers are tiny node HTTP apps; a harness says how a driver runs node.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { before, describe, test, type TestContext } from 'node:test';
import { randomBytes } from 'node:crypto';
import type { ContainerSpec, ContainerState, Driver, LogLine } from '../../src/agent/drivers/driver.js';
import type { ContainerSpecInput } from '../support/container-spec.js';
import { WharfError } from '../../src/model/errors.js';
import { suiteScope, type CleanupScope } from '../support/temp.js';
import { waitFor } from '../support/wait.js';

/** How a driver under test runs things. */
export interface DriverHarness {
  /** A driver on `dataDir`; a second one on the same folder is the same agent after a restart. */
  makeDriver(dataDir: string, options?: { readonly allowPrivileged?: boolean }): Promise<Driver>;
  /** A spec that runs `node -e <script>` in this driver's containers. */
  nodeSpec(script: string, overrides?: Partial<ContainerSpecInput>): ContainerSpec;
  /** The node executable as seen inside the containers (for exec and health checks). */
  readonly nodePath: string;
  /** A spec whose executable does not exist. */
  missingExecutableSpec(): ContainerSpec;
}

/** A driver for one test, with every container it started removed and the driver closed after it. */
export interface OpenDriver {
  readonly driver: Driver;
  readonly dataDir: string;
  /** Another driver on the same data folder, as after an agent restart (the first is closed). */
  restart(): Promise<Driver>;
}

/** Opens a driver on a fresh data folder; cleans up after `t`. */
export async function openDriver(t: TestContext, harness: DriverHarness): Promise<OpenDriver> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'wharf-driver-'));
  let driver = await harness.makeDriver(dataDir);
  t.after(async () => {
    for (const state of await driver.list().catch(() => [])) await driver.remove(state.id).catch(() => undefined);
    await driver.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  return {
    get driver() {
      return driver;
    },
    dataDir,
    async restart() {
      await driver.close();
      driver = await harness.makeDriver(dataDir);
      return driver;
    },
  };
}

/** A unique task id per container, so tests sharing one engine never collide. */
export function newTaskId(): string {
  return randomBytes(16).toString('hex');
}

/** GET `url` (no keep-alive) → status and body. */
export function httpGet(url: string, timeoutMs = 2_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false, timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${url} timed out`)));
    request.on('error', reject);
  });
}

/** All stored log lines now. */
export async function collectLogs(driver: Driver, id: string, options: { since?: number; tail?: number } = {}): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  for await (const line of driver.logs(id, options)) lines.push(line);
  return lines;
}

/** Waits until the container's stored output has a line matching `pattern`. */
export function waitForLog(driver: Driver, id: string, pattern: RegExp, timeoutMs = 15_000): Promise<LogLine> {
  return waitFor(`a log line of ${id} matching ${String(pattern)}`, async () => (await collectLogs(driver, id)).find((line) => pattern.test(line.text)), { timeoutMs, intervalMs: 50 });
}

/** A node script: an HTTP server on $PORT answering with its environment and working folder. */
export const HTTP_APP = `
const http = require('http');
require('fs').writeFileSync('marker.txt', 'from the main process');
http.createServer((req, res) => res.end(JSON.stringify({ greeting: process.env.GREETING, port: process.env.PORT, cwd: process.cwd() })))
  .listen(Number(process.env.PORT), () => console.log('listening on ' + process.env.PORT));
`;

const SLEEPER = `console.log('ready'); setInterval(() => {}, 1000);`;

/** Sums the bytes of the log files under `dir`. */
async function logBytesUnder(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.log')) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

function assertWharfError(error: unknown, code: string, pattern: RegExp): true {
  assert.ok(error instanceof WharfError, `expected a WharfError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  assert.match(error.message, pattern);
  return true;
}

/** Registers the contract suite for a driver; `setup` runs once before its tests. */
export function driverContract(name: string, setup: (scope: CleanupScope) => Promise<DriverHarness>): void {
  describe(`${name} driver contract`, () => {
    const scope = suiteScope();
    let harness: DriverHarness;
    before(async () => {
      harness = await setup(scope);
    });

    test('serves HTTP on its mapped port, with the environment and PORT delivered', async (t) => {
      const { driver } = await openDriver(t, harness);
      const state = await driver.start(harness.nodeSpec(HTTP_APP, { environment: { GREETING: 'ahoy' }, portMappings: [{ containerPort: 8080, hostPort: 0, protocol: 'tcp' }] }));
      assert.equal(state.status, 'running');
      assert.equal(state.ports.length, 1);
      const [binding] = state.ports;
      assert.ok(binding && binding.hostPort > 0, `a host port was chosen: ${JSON.stringify(binding)}`);
      const url = `http://${binding.target.host}:${binding.target.port}/`;
      const response = await waitFor(`HTTP 200 from ${url}`, () => httpGet(url), { timeoutMs: 15_000 });
      const body = JSON.parse(response.body) as { greeting: string; port: string };
      assert.equal(body.greeting, 'ahoy');
      assert.equal(Number(body.port), binding.target.port, 'the app listens on PORT, which is what the router targets');
      assert.deepEqual((await driver.inspect(state.id)).status, 'running');
    });

    test('exit codes: a command that exits at once with 0, and one that exits with 3', async (t) => {
      const { driver } = await openDriver(t, harness);
      const quick = await driver.start(harness.nodeSpec(''));
      const done = await driver.wait(quick.id);
      assert.equal(done.status, 'exited');
      assert.equal(done.exitCode, 0);
      assert.ok(done.finishedAt !== undefined && done.finishedAt >= done.startedAt - 1000);
      const failing = await driver.start(harness.nodeSpec(`console.error('bad things'); process.exit(3)`));
      const failed = await driver.wait(failing.id);
      assert.equal(failed.exitCode, 3);
      assert.deepEqual((await collectLogs(driver, failing.id)).map((line) => [line.stream, line.text]), [['stderr', 'bad things']]);
      assert.equal((await driver.inspect(failing.id)).status, 'exited');
    });

    test('stop sends SIGTERM: an app that handles it exits at once', async (t) => {
      const { driver } = await openDriver(t, harness);
      const state = await driver.start(harness.nodeSpec(`process.on('SIGTERM', () => { console.log('got SIGTERM'); process.exit(0); }); ${SLEEPER}`));
      await waitForLog(driver, state.id, /^ready$/);
      const started = Date.now();
      const stopped = await driver.stop(state.id, 20);
      assert.ok(Date.now() - started < 5_000, `stopped in ${Date.now() - started} ms, well before the 20 s timeout`);
      assert.equal(stopped.status, 'exited');
      assert.equal(stopped.exitCode, 0);
      assert.ok((await collectLogs(driver, state.id)).some((line) => line.text === 'got SIGTERM'));
    });

    test('stop sends SIGKILL after the timeout, not before, when SIGTERM is ignored', async (t) => {
      const { driver } = await openDriver(t, harness);
      const state = await driver.start(harness.nodeSpec(`process.on('SIGTERM', () => console.log('ignoring SIGTERM')); ${SLEEPER}`));
      await waitForLog(driver, state.id, /^ready$/);
      const started = Date.now();
      const stopped = await driver.stop(state.id, 2);
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 1_900, `killed after ${elapsed} ms: not before the 2 s timeout`);
      assert.ok(elapsed < 6_000, `killed after ${elapsed} ms: soon after the timeout`);
      assert.equal(stopped.exitCode, 137);
      assert.match(stopped.reason ?? '', /SIGKILL/);
      assert.ok((await collectLogs(driver, state.id)).some((line) => line.text === 'ignoring SIGTERM'), 'SIGTERM reached the app first');
    });

    test('the stop timeout of the spec applies when stop() gives none', async (t) => {
      const { driver } = await openDriver(t, harness);
      const state = await driver.start(harness.nodeSpec(`process.on('SIGTERM', () => {}); ${SLEEPER}`, { stopTimeout: 1 }));
      await waitForLog(driver, state.id, /^ready$/);
      const started = Date.now();
      const stopped = await driver.stop(state.id);
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 900 && elapsed < 5_000, `killed after ${elapsed} ms with stopTimeout 1 s`);
      assert.equal(stopped.exitCode, 137);
    });

    test('logs: stdout and stderr, tail, since, follow', async (t) => {
      const { driver } = await openDriver(t, harness);
      const script = `
        console.log('out 1'); console.error('err 1');
        let n = 0;
        const timer = setInterval(() => { n++; console.log('tick ' + n); if (n === 5) { clearInterval(timer); console.log('done'); } }, 150);`;
      const state = await driver.start(harness.nodeSpec(script));
      const followed: LogLine[] = [];
      for await (const line of driver.logs(state.id, { follow: true })) followed.push(line);
      // The follow ended by itself: the container's output ended with it.
      assert.deepEqual(
        followed.map((line) => `${line.stream}:${line.text}`).sort(),
        ['stdout:out 1', 'stderr:err 1', 'stdout:tick 1', 'stdout:tick 2', 'stdout:tick 3', 'stdout:tick 4', 'stdout:tick 5', 'stdout:done'].sort(),
      );
      const stored = await collectLogs(driver, state.id);
      assert.deepEqual(stored.map((line) => line.text).slice(-3), ['tick 4', 'tick 5', 'done']);
      assert.deepEqual((await collectLogs(driver, state.id, { tail: 2 })).map((line) => line.text), ['tick 5', 'done']);
      const tick3 = stored.find((line) => line.text === 'tick 3');
      assert.ok(tick3);
      const since = (await collectLogs(driver, state.id, { since: tick3.time })).map((line) => line.text);
      assert.deepEqual(since, ['tick 3', 'tick 4', 'tick 5', 'done']);
      assert.equal((await driver.wait(state.id)).exitCode, 0);
    });

    test('follow started early sees lines as they come, and stops when the reader stops', async (t) => {
      const { driver } = await openDriver(t, harness);
      const state = await driver.start(harness.nodeSpec(`let n = 0; setInterval(() => console.log('beat ' + ++n), 100);`));
      const seen: string[] = [];
      for await (const line of driver.logs(state.id, { follow: true })) {
        seen.push(line.text);
        if (seen.length === 3) break;
      }
      assert.deepEqual(seen, ['beat 1', 'beat 2', 'beat 3']);
    });

    test('the log cap holds when a container writes far more than the cap', async (t) => {
      const { driver, dataDir } = await openDriver(t, harness);
      const cap = 64 * 1024;
      const script = `const line = 'x'.repeat(1000); for (let i = 0; i < 20000; i++) process.stdout.write(i + ' ' + line + '\\n'); console.log('the end');`;
      const state = await driver.start(harness.nodeSpec(script, { logMaxBytes: cap }));
      const done = await driver.wait(state.id);
      assert.equal(done.exitCode, 0);
      const lines = await collectLogs(driver, state.id);
      assert.equal(lines.at(-1)?.text, 'the end', 'the newest output is kept');
      assert.ok(lines.length > 10 && lines.length < 200, `${lines.length} lines kept of 20001 (about 20 MB written)`);
      const onDisk = await logBytesUnder(dataDir);
      assert.ok(onDisk <= cap + 2048, `${onDisk} bytes of logs on disk, cap ${cap}`);
    });

    test('health check: HEALTHY, UNHEALTHY after `retries` failures in a row, HEALTHY again', async (t) => {
      const { driver } = await openDriver(t, harness);
      const check = `process.exit(require('fs').existsSync('sick') ? 1 : 0)`;
      const intervalSec = 0.4;
      const retries = 3;
      const state = await driver.start(
        harness.nodeSpec(SLEEPER, { healthCheck: { command: ['CMD', harness.nodePath, '-e', check], interval: intervalSec, timeout: 5, retries, startPeriod: 0 } }),
      );
      assert.equal(state.health, 'UNKNOWN', 'unknown until the first probe');
      await waitFor('HEALTHY', async () => (await driver.inspect(state.id)).health === 'HEALTHY', { timeoutMs: 15_000 });
      const sick = await driver.exec(state.id, [harness.nodePath, '-e', `require('fs').writeFileSync('sick', '')`]);
      assert.equal(sick.exitCode, 0, sick.stderr);
      const sickAt = Date.now();
      await waitFor('UNHEALTHY', async () => (await driver.inspect(state.id)).health === 'UNHEALTHY', { timeoutMs: 20_000 });
      const took = Date.now() - sickAt;
      assert.ok(took >= (retries - 1) * intervalSec * 1000 - 100, `UNHEALTHY after ${took} ms: ${retries} failed probes, ${intervalSec} s apart, are needed`);
      await driver.exec(state.id, [harness.nodePath, '-e', `require('fs').rmSync('sick')`]);
      await waitFor('HEALTHY again', async () => (await driver.inspect(state.id)).health === 'HEALTHY', { timeoutMs: 15_000 });
    });

    test('health check: failures during the start period do not count', async (t) => {
      const { driver } = await openDriver(t, harness);
      const state = await driver.start(
        harness.nodeSpec(SLEEPER, { healthCheck: { command: ['CMD', harness.nodePath, '-e', 'process.exit(1)'], interval: 0.3, timeout: 5, retries: 1, startPeriod: 3 } }),
      );
      const started = Date.now();
      await waitFor('UNHEALTHY', async () => (await driver.inspect(state.id)).health === 'UNHEALTHY', { timeoutMs: 20_000 });
      assert.ok(Date.now() - started >= 2_500, `UNHEALTHY after ${Date.now() - started} ms, inside the 3 s start period`);
    });

    test('exec runs in the container: its folder and environment, exit code and both outputs', async (t) => {
      const { driver } = await openDriver(t, harness);
      const state = await driver.start(harness.nodeSpec(HTTP_APP, { environment: { GREETING: 'hello from env' }, portMappings: [{ containerPort: 8080, hostPort: 0, protocol: 'tcp' }] }));
      await waitForLog(driver, state.id, /^listening/);
      const result = await driver.exec(state.id, [
        harness.nodePath,
        '-e',
        `console.log(process.env.GREETING + ' / ' + require('fs').readFileSync('marker.txt', 'utf8')); console.error('to stderr'); process.exit(4)`,
      ]);
      assert.equal(result.exitCode, 4);
      assert.equal(result.stdout, 'hello from env / from the main process\n');
      assert.equal(result.stderr, 'to stderr\n');
      const missing = await driver.exec(state.id, ['/no/such/command']);
      assert.notEqual(missing.exitCode, 0);
      assert.match(missing.stdout + missing.stderr, /no such file|not found/i);
    });

    test('stats: memory and cpu of a running container', async (t) => {
      const { driver } = await openDriver(t, harness);
      const state = await driver.start(harness.nodeSpec(`const b = Buffer.alloc(32 * 1024 * 1024, 1); let x = 0; for (let i = 0; i < 3e7; i++) x += i; ${SLEEPER}`));
      await waitForLog(driver, state.id, /^ready$/);
      const stats = await driver.stats(state.id);
      assert.ok(stats.memoryBytes > 32 * 1024 * 1024, `memory ${stats.memoryBytes} bytes`);
      assert.ok(stats.cpuSeconds > 0, `cpu ${stats.cpuSeconds} s`);
    });

    test('ulimits reach the container', async (t) => {
      const { driver } = await openDriver(t, harness);
      const script = `console.log(require('fs').readFileSync('/proc/self/limits', 'utf8'))`;
      const state = await driver.start(
        harness.nodeSpec(script, {
          ulimits: [
            { name: 'core', softLimit: 1000, hardLimit: 2000 },
            { name: 'nofile', softLimit: 1000, hardLimit: 3000 },
          ],
        }),
      );
      await driver.wait(state.id);
      const limits = (await collectLogs(driver, state.id)).map((entry) => entry.text).join('\n');
      assert.match(limits, /Max core file size\s+1000\s+2000/);
      // Node raises its own soft open-files limit to the hard one at start: only the hard limit shows.
      assert.match(limits, /Max open files\s+\d+\s+3000/);
    });

    test('list() on a new driver (an agent restart) finds running and exited containers and follows them', async (t) => {
      const open = await openDriver(t, harness);
      const running = await open.driver.start(harness.nodeSpec(`let n = 0; console.log('first'); setInterval(() => console.log('beat ' + ++n), 100);`));
      const exited = await open.driver.start(harness.nodeSpec(`process.exit(5)`));
      await open.driver.wait(exited.id);
      await waitForLog(open.driver, running.id, /^first$/);
      const driver = await open.restart();
      const restartedAt = Date.now();
      const found = new Map((await driver.list()).map((state) => [state.id, state] as const));
      assert.equal(found.size, 2);
      assert.equal(found.get(running.id)?.status, 'running');
      assert.equal(found.get(running.id)?.taskId, running.taskId);
      assert.equal(found.get(running.id)?.containerName, running.containerName);
      assert.equal(found.get(exited.id)?.status, 'exited');
      assert.equal(found.get(exited.id)?.exitCode, 5);
      // Output from before the restart is kept; output after it is captured again.
      assert.ok((await collectLogs(driver, running.id)).some((line) => line.text === 'first'));
      await waitFor('a line logged after the restart', async () => (await collectLogs(driver, running.id)).find((line) => line.time > restartedAt + 200 && /^beat/.test(line.text)), {
        timeoutMs: 10_000,
      });
      const stopped = await driver.stop(running.id, 5);
      assert.equal(stopped.status, 'exited');
      assert.equal((await driver.inspect(running.id)).status, 'exited');
    });

    test('remove forgets a container; unknown ids fail with WHARF_E_CONTAINER_NOT_FOUND', async (t) => {
      const { driver } = await openDriver(t, harness);
      const state = await driver.start(harness.nodeSpec(SLEEPER));
      await driver.remove(state.id);
      assert.deepEqual(await driver.list(), []);
      await assert.rejects(driver.inspect(state.id), (error) => assertWharfError(error, 'WHARF_E_CONTAINER_NOT_FOUND', /has no container/));
      await assert.rejects(collectLogs(driver, 'nope'), (error) => assertWharfError(error, 'WHARF_E_CONTAINER_NOT_FOUND', /nope/));
    });

    test('exec and stats on an exited container fail with WHARF_E_CONTAINER_NOT_RUNNING', async (t) => {
      const { driver } = await openDriver(t, harness);
      const state = await driver.start(harness.nodeSpec(''));
      await driver.wait(state.id);
      await assert.rejects(driver.exec(state.id, [harness.nodePath, '-e', '']), (error) => assertWharfError(error, 'WHARF_E_CONTAINER_NOT_RUNNING', /has exited/));
      await assert.rejects(driver.stats(state.id), (error) => assertWharfError(error, 'WHARF_E_CONTAINER_NOT_RUNNING', /has exited/));
    });

    test('a missing executable fails the start with the reason, leaving nothing behind', async (t) => {
      const { driver } = await openDriver(t, harness);
      await assert.rejects(driver.start(harness.missingExecutableSpec()), (error) => assertWharfError(error, 'WHARF_E_CONTAINER_START_FAILED', /no such file|not found/i));
      assert.deepEqual(await driver.list(), []);
    });

    test('a host port already taken fails the start with WHARF_E_HOST_PORT_IN_USE', async (t) => {
      const { driver } = await openDriver(t, harness);
      const blocker: Server = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '0.0.0.0', resolve));
      t.after(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
      const port = (blocker.address() as { port: number }).port;
      await assert.rejects(
        driver.start(harness.nodeSpec(HTTP_APP, { portMappings: [{ containerPort: 8080, hostPort: port, protocol: 'tcp' }] })),
        (error) => assertWharfError(error, 'WHARF_E_HOST_PORT_IN_USE', new RegExp(`${port}/tcp.*in use`)),
      );
      assert.deepEqual(await driver.list(), []);
    });
  });
}

/** The state of every container of a driver, by id. */
export async function statesById(driver: Driver): Promise<Map<string, ContainerState>> {
  return new Map((await driver.list()).map((state) => [state.id, state] as const));
}
