/** `wharf ecs describe-tasks`: ECS DescribeTasks. */
import type { Command } from 'commander';
import type { Failure } from '../../../model/api/common.js';
import type { TaskView } from '../../../model/api/tasks.js';
import { apiCommand, collect } from '../../command.js';
import { failureLines, taskTable } from './render.js';

interface Options {
  cluster?: string;
  tasks: string[];
}

export function register(ecs: Command): void {
  apiCommand<Options, { tasks: TaskView[]; failures: Failure[] }>(ecs, {
    name: 'describe-tasks',
    description: 'Describe tasks (any status)',
    options: (c) => c.option('--cluster <name>', 'cluster (default "default")').requiredOption('--tasks <id|arn>', 'a task; repeat for more', collect),
    run: ({ client }, o) => client.request('POST', '/v1/tasks/describe', { body: { cluster: o.cluster, tasks: o.tasks } }),
    render: ({ tasks, failures }) => [tasks.length > 0 ? taskTable(tasks) : '', failureLines(failures)].filter(Boolean).join('\n'),
  });
}
