/**
 * What the builds share: running a build command with its output appended to the build log, the
 * environment those commands get, and reading the end of a log for an error message.
 */
import { spawn } from 'node:child_process';
import { appendFile, open } from 'node:fs/promises';
import { closeSync, openSync } from 'node:fs';
import { PRIVATE_FILE_MODE } from '../../../files.js';

/** How long a build command gets after SIGTERM (when the build is cancelled or timed out) before SIGKILL. */
const KILL_GRACE_MS = 5_000;
/** How many lines of the build log an error message carries. */
export const LOG_TAIL_LINES = 30;
/** How much of the end of the log is read to find those lines. */
const LOG_TAIL_BYTES = 64 * 1024;

/**
 * Variables of the controller's own environment that build commands see (the rest of it can hold
 * Wharf's credentials): the basics, proxies and CA files, and the npm, pip and pyenv settings an
 * operator may use to point builds at a mirror.
 */
const HOST_VARIABLES = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'NODE_EXTRA_CA_CERTS'];
const HOST_VARIABLE_PREFIXES = ['npm_config_', 'NPM_CONFIG_', 'PIP_', 'PYENV_'];

/** A build step failed because of the application (its output is in the log): becomes WHARF_E_BUILD_FAILED. */
export class BuildStepFailure extends Error {
  override readonly name = 'BuildStepFailure';
}

/**
 * The environment of a build command: the allowed part of the controller's environment
 * (HOST_VARIABLES), then the environment's own variables, then `extra` (what the platform sets).
 */
export function buildEnvironment(environment: Readonly<Record<string, string>> | undefined, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && (HOST_VARIABLES.includes(name) || HOST_VARIABLE_PREFIXES.some((prefix) => name.startsWith(prefix)))) env[name] = value;
  }
  return { ...env, ...environment, ...extra };
}

export interface LoggedCommandOptions {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** The build log; the command line and then its output are appended. */
  readonly logFile: string;
  /** Stops the command (SIGTERM to its process group, SIGKILL after a grace period). */
  readonly signal: AbortSignal;
  /** What to say when argv[0] is not installed, e.g. how to install it. */
  readonly missingHint?: string;
}

/**
 * Runs `argv` in its own process group with stdout and stderr appended to the log. Resolves when
 * it exits 0; throws BuildStepFailure otherwise, or `signal.reason` once a cancelled command is gone.
 */
export async function runLogged(argv: readonly string[], options: LoggedCommandOptions): Promise<void> {
  const [command = '', ...args] = argv;
  options.signal.throwIfAborted();
  await appendFile(options.logFile, `$ ${argv.map(quote).join(' ')}\n`);
  const fd = openSync(options.logFile, 'a', PRIVATE_FILE_MODE);
  let exit: { code: number | null; signal: NodeJS.Signals | null } | { error: NodeJS.ErrnoException };
  try {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', fd, fd] });
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      killGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    try {
      exit = await new Promise((resolve) => {
        child.once('error', (error) => resolve({ error }));
        child.once('exit', (code, signal) => resolve({ code, signal }));
      });
    } finally {
      options.signal.removeEventListener('abort', onAbort);
      clearTimeout(killTimer);
    }
  } finally {
    closeSync(fd);
  }
  options.signal.throwIfAborted();
  if ('error' in exit) {
    const reason =
      exit.error.code === 'ENOENT'
        ? `\`${command}\` is not installed on this host (not found on PATH=${options.env.PATH ?? ''})${options.missingHint ? `; ${options.missingHint}` : ''}`
        : `\`${command}\` could not be started: ${exit.error.message}`;
    await appendFile(options.logFile, `${reason}\n`);
    throw new BuildStepFailure(reason);
  }
  if (exit.code !== 0) {
    const how = exit.code === null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    throw new BuildStepFailure(`\`${argv.slice(0, 2).join(' ')}\` ${how}`);
  }
}

/** The last `lines` lines of a log (read from its last LOG_TAIL_BYTES), or a note when it cannot be read. */
export async function logTail(file: string, lines = LOG_TAIL_LINES): Promise<string> {
  let handle;
  try {
    handle = await open(file, 'r');
    const { size } = await handle.stat();
    const length = Math.min(size, LOG_TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const text = buffer.toString('utf8').replace(/\s+$/, '');
    const all = text.split('\n');
    // A window that starts mid-file starts mid-line: drop that partial line.
    const whole = length < size ? all.slice(1) : all;
    return whole.slice(-lines).join('\n');
  } catch (error) {
    return `(the build log could not be read: ${(error as Error).message})`;
  } finally {
    await handle?.close();
  }
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function quote(arg: string): string {
  return /^[\w./:=@%+,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
