/**
 * The HAProxy process: Debian's haproxy in master-worker mode, on its own files in the plane's
 * folder. Reloads are seamless: the master re-executes itself on SIGUSR2 and hands the listening
 * sockets to the new worker (`expose-fd listeners`), which the router waits for (the worker pid
 * behind the stats socket changes); the old worker finishes its requests and exits.
 */
import { spawn, execFile } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { PRIVATE_FILE_MODE } from '../../files.js';
import type { Logger } from '../../log.js';
import { wharfError } from '../../model/errors.js';
import type { RuntimeApi } from './runtime.js';

/** Where Debian installs HAProxy. */
export const DEFAULT_HAPROXY_BINARY = '/usr/sbin/haproxy';
/** How long HAProxy may take to start or to finish a reload. */
export const HAPROXY_START_TIMEOUT_MS = 10_000;
/** How long a stopping HAProxy may finish its requests before it is terminated. */
export const HAPROXY_STOP_GRACE_MS = 3_000;

/** The HAProxy binary to use: the given one, Debian's, or one on PATH; undefined when none is installed. */
export function findHAProxy(binary?: string): string | undefined {
  if (binary) return existsSync(binary) ? binary : undefined;
  if (existsSync(DEFAULT_HAPROXY_BINARY)) return DEFAULT_HAPROXY_BINARY;
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(path.join(dir, 'haproxy'))) return path.join(dir, 'haproxy');
  }
  return undefined;
}

export interface HAProxyProcessOptions {
  readonly binary: string;
  /** The plane's folder (configuration, pid file, HAProxy's output). */
  readonly dir: string;
  readonly configFile: string;
  readonly log: Logger;
}

export class HAProxyProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly pidFile: string;
  private readonly outputFile: string;

  constructor(private readonly options: HAProxyProcessOptions) {
    this.pidFile = path.join(options.dir, 'haproxy.pid');
    this.outputFile = path.join(options.dir, 'haproxy.out');
  }

  /** The master's pid while it runs. */
  get pid(): number | undefined {
    return this.child?.exitCode === null ? this.child.pid : undefined;
  }

  /** Checks a configuration file with `haproxy -c`. */
  async check(configFile: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      execFile(this.options.binary, ['-c', '-q', '-f', configFile], { timeout: HAPROXY_START_TIMEOUT_MS }, (error, stdout, stderr) => {
        if (error) reject(this.failure('accept its configuration', `${stderr || stdout || error.message}`.trim()));
        else resolve();
      });
    });
  }

  /** Starts the master and waits until its worker answers on the stats socket. */
  async start(runtime: RuntimeApi): Promise<void> {
    await this.stopStale();
    await this.check(this.options.configFile);
    const output = createWriteStream(this.outputFile, { flags: 'a', mode: PRIVATE_FILE_MODE });
    await new Promise<void>((resolve) => output.once('open', () => resolve()));
    const child = spawn(this.options.binary, ['-W', '-f', this.options.configFile, '-p', this.pidFile], { stdio: ['ignore', output, output] });
    this.child = child;
    this.exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.once('exit', (code, signal) => {
      output.end();
      if (this.child === child) this.options.log.warn({ code, signal }, 'haproxy exited');
    });
    const deadline = Date.now() + HAPROXY_START_TIMEOUT_MS;
    for (;;) {
      if (child.exitCode !== null) throw this.failure('start', `it exited with code ${child.exitCode}: ${await this.lastOutput()}`);
      const pid = await runtime.workerPid().catch(() => undefined);
      if (pid !== undefined) {
        this.options.log.info({ masterPid: child.pid, workerPid: pid }, 'haproxy started');
        return;
      }
      if (Date.now() > deadline) throw this.failure('start', `its stats socket did not answer within ${HAPROXY_START_TIMEOUT_MS} ms: ${await this.lastOutput()}`);
      await delay(20);
    }
  }

  /** Reloads the (already checked) configuration file seamlessly and waits for the new worker. */
  async reload(runtime: RuntimeApi): Promise<void> {
    const master = this.pid;
    if (master === undefined) throw this.failure('reload', 'it is not running');
    const before = await runtime.workerPid().catch(() => undefined);
    process.kill(master, 'SIGUSR2');
    const deadline = Date.now() + HAPROXY_START_TIMEOUT_MS;
    for (;;) {
      await delay(10);
      const now = await runtime.workerPid().catch(() => undefined);
      if (now !== undefined && now !== before) {
        this.options.log.info({ from: before, to: now }, 'haproxy reloaded');
        return;
      }
      if (this.pid === undefined) throw this.failure('reload', `the master exited: ${await this.lastOutput()}`);
      if (Date.now() > deadline) throw this.failure('reload', `no new worker within ${HAPROXY_START_TIMEOUT_MS} ms: ${await this.lastOutput()}`);
    }
  }

  /** Stops HAProxy: soft stop (requests in flight finish), then terminate after a grace. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.pid === undefined) return;
    const pid = child.pid;
    child.kill('SIGUSR1');
    if (await Promise.race([this.exited.then(() => true), delay(HAPROXY_STOP_GRACE_MS, false)])) return;
    child.kill('SIGTERM');
    if (await Promise.race([this.exited.then(() => true), delay(2_000, false)])) return;
    this.options.log.warn({ pid }, 'haproxy did not stop: killing it');
    child.kill('SIGKILL');
    await this.exited;
  }

  /** An HAProxy left running by a router that died: stopped by its pid file, if it is ours. */
  private async stopStale(): Promise<void> {
    const text = await readFile(this.pidFile, 'utf8').catch(() => '');
    const pid = Number(text.trim().split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0) return;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      return;
    }
    if (!cmdline.includes(this.options.configFile)) return;
    this.options.log.warn({ pid }, 'stopping an haproxy left running by an earlier router on this data folder');
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 100 && existsSync(`/proc/${pid}`); i++) await delay(20);
    await rm(this.pidFile, { force: true });
  }

  private async lastOutput(): Promise<string> {
    const text = await readFile(this.outputFile, 'utf8').catch(() => '');
    return text.trim().split('\n').slice(-5).join(' | ') || '(no output)';
  }

  private failure(action: string, reason: string) {
    return wharfError('WHARF_E_HAPROXY_FAILED', { action, reason, dataDir: this.options.dir });
  }
}
