/** `wharf ecs stop-task`: ECS StopTask (SIGTERM, then SIGKILL after each container's stopTimeout). */
import type { Command } from 'commander';
import type { TaskView } from '../../../model/api/tasks.js';
import { apiCommand } from '../../command.js';
import { taskTable } from './render.js';

interface Options {
  cluster?: string;
  task: string;
  reason?: string;
}

export function register(ecs: Command): void {
  apiCommand<Options, { task: TaskView }>(ecs, {
    name: 'stop-task',
    description: 'Stop a task',
    options: (c) => c.option('--cluster <name>', 'cluster (default "default")').requiredOption('--task <id|arn>', 'the task').option('--reason <text>', 'why (shown as stoppedReason)'),
    run: ({ client }, o) => client.request('POST', '/v1/tasks/stop', { body: { cluster: o.cluster, task: o.task, reason: o.reason } }),
    render: ({ task }) => taskTable([task]),
  });
}
