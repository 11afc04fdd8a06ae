/**
 * Running short commands for a process container (exec, health probes): in its own process group,
 * bounded in time and output, optionally joining the container's cgroups first.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** How a process is launched for a container: where, with what, as whom, in which cgroups. */
export interface LaunchContext {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly uid?: number;
  readonly gid?: number;
  /** `cgroup.procs` files to join before the command runs. */
  readonly procsFiles: readonly string[];
  /**
   * The umask the command runs with, when it is not the agent's own: the agent keeps its files
   * private (umask 077), a task's programs get the umask the agent was started with.
   */
  readonly umask?: number;
}

/** The sh script that joins cgroups ($$ is the shell's pid, kept by exec) and then becomes the command. */
const JOIN_SCRIPT = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"';

/**
 * The argv to spawn for `argv` in `context`: as is, or behind `sh` setting the umask and joining
 * the cgroups, and `prlimit` setting limits (both exec, so the container's pid is the command's own).
 */
export function launchArgv(argv: readonly string[], context: LaunchContext, prlimit: readonly string[] = []): string[] {
  const asUser = [...switchUserArgs(context), ...argv];
  const command = prlimit.length > 0 ? [...prlimit, '--', ...asUser] : asUser;
  if (context.procsFiles.length === 0 && context.umask === undefined) return command;
  const umask = context.umask === undefined ? '' : `umask ${(context.umask & 0o777).toString(8).padStart(4, '0')}; `;
  return ['/bin/sh', '-c', umask + JOIN_SCRIPT, 'wharf-join', ...context.procsFiles, '--', ...command];
}

/**
 * `setpriv` becoming the context's user (its uid and gid, no supplementary groups) when that is not
 * this process's own. The switch comes last, after the cgroups are joined and the limits set (both
 * need root), so the command itself never runs as root.
 */
function switchUserArgs(context: LaunchContext): string[] {
  if (context.uid === undefined || context.uid === process.getuid?.()) return [];
  const setpriv = resolveExecutable('setpriv', '/', process.env.PATH ?? '/usr/bin:/bin');
  if ('error' in setpriv) throw new Error('running a container as another user needs the setpriv program (Debian package util-linux), which is not installed');
  return [setpriv.path, `--reuid=${context.uid}`, `--regid=${context.gid ?? context.uid}`, '--clear-groups', '--'];
}

/**
 * Finds the executable `name` as execvp would (a name with a slash is taken relative to `cwd`, else
 * searched in PATH) and returns its absolute path, or the reason it cannot be run.
 */
export function resolveExecutable(name: string, cwd: string, pathVariable: string): { path: string } | { error: string } {
  if (name === '') return { error: 'the command is empty: give entryPoint or command' };
  if (name.includes('/')) {
    const full = path.resolve(cwd, name);
    try {
      accessSync(full, constants.X_OK);
      return { path: full };
    } catch (error) {
      return { error: `cannot run "${name}": ${(error as Error).message}` };
    }
  }
  for (const dir of pathVariable.split(':')) {
    if (dir === '') continue;
    const full = path.resolve(cwd, dir, name);
    try {
      accessSync(full, constants.X_OK);
      return { path: full };
    } catch {
      // next folder
    }
  }
  return { error: `executable "${name}" not found (ENOENT) in PATH=${pathVariable}` };
}

export interface CommandResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/**
 * Runs `argv` to completion in its own process group; after `timeoutMs` the whole group is killed
 * (exit code 137, `timedOut`). Keeps at most `maxOutputBytes` of each stream. A missing executable
 * gives exit code 127 and the reason on stderr, as a shell would.
 */
export function runCommand(argv: readonly string[], context: LaunchContext, timeoutMs: number, maxOutputBytes: number): Promise<CommandResult> {
  const resolved = resolveExecutable(argv[0] ?? '', context.cwd, context.env.PATH ?? '');
  if ('error' in resolved) return Promise.resolve({ exitCode: 127, stdout: '', stderr: resolved.error + '\n', timedOut: false });
  let full: string[];
  try {
    full = launchArgv([resolved.path, ...argv.slice(1)], context);
  } catch (error) {
    return Promise.resolve({ exitCode: 127, stdout: '', stderr: (error as Error).message + '\n', timedOut: false });
  }
  return new Promise((resolve) => {
    const child = spawn(full[0] as string, full.slice(1), {
      cwd: context.cwd,
      env: context.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    const sizes = { stdout: 0, stderr: 0 };
    const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const room = maxOutputBytes - sizes[stream];
      if (room <= 0) return;
      out[stream].push(chunk.subarray(0, room));
      sizes[stream] += Math.min(room, chunk.length);
    };
    child.stdout.on('data', collect('stdout'));
    child.stderr.on('data', collect('stderr'));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGKILL');
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ exitCode: 127, stdout: '', stderr: `${error.message}\n`, timedOut: false });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const exitCode = code ?? 128 + (signal ? signalNumber(signal) : 0);
      resolve({ exitCode, stdout: Buffer.concat(out.stdout).toString('utf8'), stderr: Buffer.concat(out.stderr).toString('utf8'), timedOut });
    });
  });
}

/** Sends `signal` to the process group led by `pid`; false if there is no such group. */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** The number of a signal name (SIGKILL → 9). */
export function signalNumber(signal: NodeJS.Signals): number {
  return (os.constants.signals as Record<string, number>)[signal] ?? 0;
}
