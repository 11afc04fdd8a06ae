/** Child processes for integration tests: a compiled script run by this Node, its stdout read line by line. */
import { spawn, type ChildProcess } from 'node:child_process';
import type { CleanupContext } from './postgres.js';
import { waitFor } from './wait.js';

/** A running child Node process. */
export interface NodeChild {
  readonly process: ChildProcess;
  readonly pid: number;
  /** Complete stdout lines so far (a line cut off by a kill is not included). */
  readonly lines: readonly string[];
  /** Everything written to stderr so far, for failure messages. */
  stderr(): string;
  /** Resolves with the exit code or signal once the process has exited (and been reaped) and its output is read. */
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
  let closed = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    // 'close' comes after 'exit' once stdout and stderr are drained, so `lines` is complete by then.
    child.once('close', (code, signal) => {
      closed = true;
      resolve({ code, signal });
    });
  });
  const running = () => !closed;
  const handle: NodeChild = {
    process: child,
    pid: child.pid as number,
    lines,
    stderr: () => stderr,
    exited,
    async waitForLine(pattern, what, timeoutMs) {
      const found = await waitFor(what, () => lines.find((line) => pattern.test(line)) ?? (running() ? undefined : ({ exited: true } as const)), {
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      }).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}\nchild stderr:\n${stderr}`, { cause: error });
      });
      if (typeof found !== 'string') throw new Error(`the child exited (${child.exitCode ?? child.signalCode}) before ${what}\nchild stderr:\n${stderr}`);
      return found;
    },
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  t?.after(() => handle.kill('SIGKILL'));
  return handle;
}
