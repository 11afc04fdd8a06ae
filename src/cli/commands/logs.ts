/**
 * `wharf logs TASK`: a task container's output, kept by its host's agent (capped) and relayed by
 * the controller. `--follow` keeps printing until the container ends or Ctrl-C.
 */
import type { Command } from 'commander';
import { wharfError } from '../../model/errors.js';
import { clientFor } from '../client.js';
import type { GlobalOptions } from '../command.js';

interface Options extends GlobalOptions {
  cluster?: string;
  container?: string;
  follow?: boolean;
  since?: string;
  tail?: string;
}

/** `10m`, `2h`, `30s`, `1d` ago, or an ISO 8601 time, or ms since the epoch → ms since the epoch. */
export function parseSince(value: string, now: number): number {
  const relative = /^(\d+)(s|m|h|d)$/.exec(value);
  if (relative) return now - Number(relative[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 's' | 'm' | 'h' | 'd'];
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) throw wharfError('WHARF_E_USAGE', { reason: `--since takes a duration (30s, 10m, 2h, 1d) or a time (2026-11-26T10:00:00Z), not "${value}"` });
  return ms;
}

export function register(program: Command): void {
  program
    .command('logs')
    .description("Show a task container's output")
    .argument('<task>', 'task id or ARN')
    .option('--cluster <name>', 'cluster (default "default")')
    .option('--container <name>', 'which container (default the first)')
    .option('--follow', 'keep printing new output')
    .option('--since <time>', 'only output since a duration ago (10m) or a time')
    .option('--tail <n>', 'only the last n lines')
    .action(async (task: string, _options: unknown, command: Command) => {
      const o = command.optsWithGlobals<Options>();
      if (o.tail !== undefined && !/^\d+$/.test(o.tail)) throw wharfError('WHARF_E_USAGE', { reason: `--tail takes a number of lines, not "${o.tail}"` });
      const client = clientFor(o);
      const abort = new AbortController();
      process.once('SIGINT', () => abort.abort());
      const query = { cluster: o.cluster, container: o.container, follow: o.follow ? 1 : undefined, since: o.since === undefined ? undefined : parseSince(o.since, Date.now()), tail: o.tail };
      try {
        for await (const line of client.lines(`/v1/tasks/${encodeURIComponent(task)}/logs`, query, abort.signal)) {
          if (line === '') continue;
          if (o.json) {
            process.stdout.write(line + '\n');
            continue;
          }
          const { stream, text } = JSON.parse(line) as { stream: string; text: string };
          (stream === 'stderr' ? process.stderr : process.stdout).write(text + '\n');
        }
      } catch (error) {
        if (!abort.signal.aborted) throw error;
      }
    });
}
