/**
 * `wharf eb logs [environment]`: the tail of each instance's output. The instances are the
 * environment's tasks (DescribeEnvironmentResources); each task's output comes from its host's
 * agent through the controller, as `wharf logs <task>` reads it.
 */
import type { Command } from 'commander';
import type { ApiClient } from '../../client.js';
import { ebCall } from './api.js';
import { ebCommand } from './eb-command.js';
import { parseWholeNumber } from './options.js';
import { environmentOf, findProject } from './project.js';

/** Lines per instance by default (the EB CLI's tail is the last 100 lines of each log). */
export const DEFAULT_TAIL_LINES = 100;

interface Options {
  instance?: string;
  tail?: string;
}

interface InstanceLog {
  InstanceId: string;
  Lines: { stream: string; text: string }[];
  /** Why the output could not be read (the task is gone, its host is away). */
  Error?: string;
}

interface Resources {
  EnvironmentResources: { AutoScalingGroups: { Name: string }[]; Instances: { Id: string }[] };
}

/** The cluster the environment's service is in: its AutoScalingGroup is named `service/<cluster>/<service>`. */
export function clusterOf(resources: Resources['EnvironmentResources']): string | undefined {
  return /^service\/([^/]+)\//.exec(resources.AutoScalingGroups[0]?.Name ?? '')?.[1];
}

async function tailOf(client: ApiClient, cluster: string | undefined, task: string, tail: number): Promise<InstanceLog> {
  const lines: InstanceLog['Lines'] = [];
  try {
    for await (const line of client.lines(`/v1/tasks/${encodeURIComponent(task)}/logs`, { cluster, tail })) {
      if (line !== '') lines.push(JSON.parse(line) as { stream: string; text: string });
    }
    return { InstanceId: task, Lines: lines };
  } catch (error) {
    return { InstanceId: task, Lines: lines, Error: (error as Error).message };
  }
}

export function register(eb: Command): void {
  ebCommand<Options, { EnvironmentName: string; Instances: InstanceLog[] }>(eb, {
    name: 'logs [environment]',
    description: "Show the end of each instance's output",
    options: (c) =>
      c
        .option('-i, --instance <id>', 'only this instance (task id)')
        .option('--tail <n>', `lines per instance (default ${DEFAULT_TAIL_LINES})`),
    run: async (ctx, [named], o) => {
      const environmentName = environmentOf(named as string | undefined, await findProject(ctx.cwd));
      const tail = o.tail === undefined ? DEFAULT_TAIL_LINES : parseWholeNumber('--tail', o.tail, 1);
      const { EnvironmentResources } = await ebCall<Resources>(ctx.client, 'DescribeEnvironmentResources', { EnvironmentName: environmentName });
      const cluster = clusterOf(EnvironmentResources);
      const tasks = EnvironmentResources.Instances.map((i) => i.Id).filter((id) => o.instance === undefined || id === o.instance);
      const instances = await Promise.all(tasks.map((task) => tailOf(ctx.client, cluster, task, tail)));
      return { EnvironmentName: environmentName, Instances: instances };
    },
    render: ({ EnvironmentName, Instances }) => {
      if (Instances.length === 0) return `Environment ${EnvironmentName} has no instances running.`;
      return Instances.map((i) =>
        [
          `============= ${i.InstanceId} ==============`,
          ...i.Lines.map((l) => (l.stream === 'stderr' ? `[stderr] ${l.text}` : l.text)),
          ...(i.Error ? [`(cannot read this instance's output: ${i.Error})`] : []),
        ].join('\n'),
      ).join('\n\n');
    },
  });
}
