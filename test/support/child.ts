/**
 * Child processes for integration tests (a compiled script run by this Node, its stdout read line by
 * line), and `waitFor`, the polling wait with a deadline that says what it was waiting for.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { CleanupContext } from './postgres.js';

/** How often `waitFor` checks its condition. */
const WAIT_POLL_MS = 20;
/** How long `waitFor` waits unless told otherwise. */
export const DEFAULT_WAIT_TIMEOUT_MS = 10_000;

/**
 * Polls `check` until it returns a value other than undefined/false, and returns that value; fails
 * after `timeoutMs` with "timed out after N ms waiting for <what>".
 */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
  }
}

/** A running child Node process. */
export interface NodeChild {
  readonly process: ChildProcess;
  readonly pid: number;
  /** Complete stdout lines so far (a line cut off by a kill is not included). */
  readonly lines: readonly string[];
  /** Everything written to stderr so far, for failure messages. */
  stderr(): string;
  /** Resolves with the exit code or signal once the process has exited (and been reaped). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Waits for a stdout line matching `pattern`, failing with the child's stderr after the timeout. */
  waitForLine(pattern: RegExp, what: string, timeoutMs?: number): Promise<string>;
  /** Sends the signal (if still running) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `node <script> <args…>` with stdout captured line by line. With a test context, the child
 * is killed after the test if still running.
 */
export function spawnNodeChild(script: string, args: readonly string[], t?: CleanupContext, env: NodeJS.ProcessEnv = process.env): NodeChild {
  const child = spawn(process.execPath, ['--enable-source-maps', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  const handle: NodeChild = {
    process: child,
    pid: child.pid as number,
    lines,
    stderr: () => stderr,
    exited,
    async waitForLine(pattern, what, timeoutMs) {
      try {
        return await waitFor(what, () => lines.find((line) => pattern.test(line)) ?? (running() ? undefined : failExited()), timeoutMs);
      } catch (error) {
        throw new Error(`${(error as Error).message}\nchild stderr:\n${stderr}`);
      }
    },
    async kill(signal = 'SIGKILL') {
      if (running()) child.kill(signal);
      await exited;
    },
  };
  const failExited = (): never => {
    throw new Error(`the child exited (${child.exitCode ?? child.signalCode}) before printing it`);
  };
  t?.after(() => handle.kill('SIGKILL'));
  return handle;
}
