/** `wharf ecs run-task`: ECS RunTask. Tasks that cannot be placed are listed as failures, not an error. */
import type { Command } from 'commander';
import type { Failure } from '../../../model/api/common.js';
import type { TaskView } from '../../../model/api/tasks.js';
import { apiCommand, readCliInputJson } from '../../command.js';
import { parseJsonFlag } from '../../json-flag.js';
import { failureLines, taskTable } from './render.js';

interface Options {
  cluster?: string;
  taskDefinition?: string;
  count?: string;
  startedBy?: string;
  group?: string;
  overrides?: string;
  placementStrategy?: string;
  placementConstraints?: string;
  cliInputJson?: string;
}

export function register(ecs: Command): void {
  apiCommand<Options, { tasks: TaskView[]; failures: Failure[] }>(ecs, {
    name: 'run-task',
    description: 'Run tasks from a task definition on the cluster\'s hosts',
    options: (c) =>
      c
        .option('--cluster <name>', 'cluster (default "default")')
        .option('--task-definition <family[:revision]|arn>', 'the task definition (family alone: its latest ACTIVE revision)')
        .option('--count <n>', 'how many tasks, 1-10 (default 1)')
        .option('--started-by <text>', 'a tag to find these tasks by (list-tasks --started-by)')
        .option('--group <name>', 'task group for spread and distinctInstance (default family:<family>)')
        .option('--overrides <json>', 'containerOverrides (command, environment, cpu, memory), as JSON')
        .option('--placement-strategy <json>', 'e.g. [{"type":"spread","field":"instanceId"}]')
        .option('--placement-constraints <json>', 'e.g. [{"type":"memberOf","expression":"attribute:env == prod"}]')
        .option('--cli-input-json <json|file://path>', 'the whole request as JSON'),
    run: async ({ client }, o) => {
      const body = await readCliInputJson(o.cliInputJson);
      if (o.cluster !== undefined) body.cluster = o.cluster;
      if (o.taskDefinition !== undefined) body.taskDefinition = o.taskDefinition;
      if (o.count !== undefined) body.count = Number(o.count);
      if (o.startedBy !== undefined) body.startedBy = o.startedBy;
      if (o.group !== undefined) body.group = o.group;
      if (o.overrides !== undefined) body.overrides = await parseJsonFlag('--overrides', o.overrides);
      if (o.placementStrategy !== undefined) body.placementStrategy = await parseJsonFlag('--placement-strategy', o.placementStrategy);
      if (o.placementConstraints !== undefined) body.placementConstraints = await parseJsonFlag('--placement-constraints', o.placementConstraints);
      return client.request('POST', '/v1/tasks', { body });
    },
    render: ({ tasks, failures }) => [tasks.length > 0 ? taskTable(tasks) : '', failureLines(failures)].filter(Boolean).join('\n'),
  });
}
