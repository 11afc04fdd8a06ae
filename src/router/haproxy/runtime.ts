/**
 * HAProxy's Runtime API over its stats socket: one command per connection (HAProxy answers and
 * closes), so a command's output is never mixed with another's. Arguments are escaped as the
 * CLI wants them (a backslash doubles; spaces and `;` cannot occur in what Wharf sends).
 */
import net from 'node:net';

/** How long one command may take. */
export const RUNTIME_COMMAND_TIMEOUT_MS = 5_000;

export class RuntimeApi {
  constructor(readonly socketPath: string) {}

  /** Sends one command and returns HAProxy's whole answer. */
  send(command: string): Promise<string> {
    if (/[\n;]/.test(command)) return Promise.reject(new Error(`refusing a Runtime API command with a newline or ";": ${command}`));
    return new Promise((resolve, reject) => {
      const socket = net.connect(this.socketPath);
      let out = '';
      const timer = setTimeout(() => socket.destroy(new Error(`HAProxy did not answer "${command}" within ${RUNTIME_COMMAND_TIMEOUT_MS} ms`)), RUNTIME_COMMAND_TIMEOUT_MS);
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (out += chunk));
      socket.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.on('close', () => {
        clearTimeout(timer);
        resolve(out);
      });
      socket.write(`${command}\n`);
    });
  }

  /** Sends a command that answers nothing on success; anything it answers is an error. */
  async run(command: string, allowed: RegExp = /^$/): Promise<void> {
    const answer = (await this.send(command)).trim();
    if (!allowed.test(answer)) throw new Error(`HAProxy refused "${command}": ${answer}`);
  }

  /** The worker's pid (`show info`). */
  async workerPid(): Promise<number | undefined> {
    const info = await this.send('show info');
    const match = /^Pid: (\d+)$/m.exec(info);
    return match ? Number(match[1]) : undefined;
  }

  /** Current sessions of one server (`scur` in `show stat`), or undefined when HAProxy has no such server. */
  async currentSessions(backend: string, server: string): Promise<number | undefined> {
    const csv = await this.send(`show stat ${backend} 4 -1`);
    const lines = csv.split('\n');
    const header = (lines[0] ?? '').replace(/^# /, '').split(',');
    const scur = header.indexOf('scur');
    for (const line of lines.slice(1)) {
      const fields = line.split(',');
      if (fields[0] === backend && fields[1] === server) return Number(fields[scur]);
    }
    return undefined;
  }

  /** Replaces a map's whole contents atomically (prepare, add to the new version, commit). */
  async replaceMap(file: string, entries: readonly (readonly [string, string])[]): Promise<void> {
    const prepared = await this.send(`prepare map ${file}`);
    const version = /version created: (\d+)/.exec(prepared)?.[1];
    if (version === undefined) throw new Error(`HAProxy did not prepare map ${file}: ${prepared.trim()}`);
    for (const [key, value] of entries) await this.run(`add map @${version} ${file} ${escapeArg(key)} ${escapeArg(value)}`);
    await this.run(`commit map @${version} ${file}`);
  }
}

/** A Runtime API argument: the CLI reads a backslash as an escape. */
export function escapeArg(value: string): string {
  return value.replace(/\\/g, '\\\\');
}
