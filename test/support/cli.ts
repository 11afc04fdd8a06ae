/** Running the real `wharf` executable as a child process, as a user would. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CleanupScope } from './temp.js';
import { WHARF_BIN } from './paths.js';
import { waitFor } from './wait.js';
import { credentialsEnv, credentialsFor } from './signing.js';

/**
 * The CLI built together with these tests: `<out>/src/main.js` beside this compiled file's
 * `<out>/test/support/`, so a suite compiled into another folder (`tsc --outDir .dist-x`) runs its
 * own build rather than `dist/`'s; bin/wharf.js when there is none (tests run from sources).
 */
const BUILT_CLI = fileURLToPath(new URL('../../src/main.js', import.meta.url));
export const WHARF_ENTRY = existsSync(BUILT_CLI) ? BUILT_CLI : WHARF_BIN;

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Environment for child processes: no WHARF_* from the developer's shell leaks in. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('WHARF_')) env[key] = value;
  return { ...env, ...extra };
}

/**
 * The key a CLI call to `--endpoint <url>` signs with: the one the test's controller registered
 * (see signing.ts), unless the caller's environment names credentials of its own.
 */
function signingEnv(args: readonly string[], env: Record<string, string> = {}): Record<string, string> {
  const at = args.indexOf('--endpoint');
  const endpoint = at >= 0 ? args[at + 1] : env.WHARF_ENDPOINT;
  const known = endpoint === undefined || 'AWS_ACCESS_KEY_ID' in env || 'AWS_PROFILE' in env ? undefined : credentialsFor(endpoint);
  return known ? { ...credentialsEnv(known), ...env } : env;
}

/** Runs `wharf args...` to completion (bounded by `timeoutMs`). */
export function runWharf(args: readonly string[], options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return runToCompletion('wharf', process.execPath, [WHARF_ENTRY, ...args], args, { env: cleanEnv(signingEnv(args, options.env)), cwd: options.cwd, timeoutMs: options.timeoutMs ?? 30_000 });
}

/** How long one `wharf` command may take in a test (the CLI starts slowly on a busy machine). */
export const COMMAND_MS = 60_000;
/** How long a command that waits for an environment (`wharf eb create`, `wait`) may take in a test. */
export const WAITING_COMMAND_MS = 100_000;

/**
 * Asserts the command exited 0; the failure names `what` and shows its stdout and stderr. Returns
 * the result, to read its output in the same expression.
 */
export function assertOk(result: CliResult, what: string): CliResult {
  assert.equal(result.code, 0, `${what} failed:\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result;
}

/**
 * Asserts a user error: exit 1, a message on stderr matching `pattern`, no stack, and nothing on
 * stdout unless `{ allowStdout: true }` (a command that prints, as a prompt, before it refuses).
 */
export function assertUserError(result: CliResult, pattern: RegExp, options: { readonly allowStdout?: boolean } = {}): void {
  assert.equal(result.code, 1, `expected exit 1:\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  assert.match(result.stderr, pattern);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack');
  if (!options.allowStdout) assert.equal(result.stdout, '', 'nothing on stdout');
}

/**
 * Runs `file argv...` to completion with its output collected; past `timeoutMs` it is killed
 * (SIGKILL) and the promise fails naming `name args...` and its stderr so far.
 */
export function runToCompletion(
  name: string,
  file: string,
  argv: readonly string[],
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string; timeoutMs: number },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { env: options.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} ${args.join(' ')} did not finish within ${options.timeoutMs} ms (killed); stderr: ${stderr}`));
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** How long a leftover `wharf` process gets to stop after SIGTERM at the end of a test. */
export const CHILD_STOP_GRACE_MS = 5_000;

/** A long-running `wharf` process (up, server) with its output so far. */
export interface WharfProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code and signal once it has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Waits until stdout matches `pattern` and returns the match. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

/** Starts `wharf args...` in the background; it is stopped (SIGTERM, then SIGKILL) after `scope` if still running. */
export function spawnWharf(scope: CleanupScope, args: readonly string[], options: { env?: Record<string, string>; cwd?: string } = {}): WharfProcess {
  const child = spawn(process.execPath, [WHARF_ENTRY, ...args], { env: cleanEnv(options.env), cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let done = false;
  void exited.then(() => (done = true));
  // At the end: SIGTERM first, so it stops what it started (HAProxy, tasks), then SIGKILL if it hangs.
  scope.after(async () => {
    if (done) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForOutput: (pattern, timeoutMs = 20_000) =>
      waitFor(`wharf ${args.join(' ')} to print ${String(pattern)} (stderr so far: ${err.slice(-2000)})`, () => (done ? Promise.reject(new Error(`exited early; stderr: ${err.slice(-2000)}`)) : (out.match(pattern) ?? undefined)), { timeoutMs }),
  };
}
