/** `wharf ecs deregister-task-definition`: ECS DeregisterTaskDefinition (the revision becomes INACTIVE). */
import type { Command } from 'commander';
import type { TaskDefinitionView } from '../../../model/api/task-definitions.js';
import { wharfError } from '../../../model/errors.js';
import { apiCommand } from '../../command.js';
import { taskDefinitionLine } from './render.js';

interface Options {
  taskDefinition?: string;
}

export function register(ecs: Command): void {
  apiCommand<Options, { taskDefinition: TaskDefinitionView }>(ecs, {
    name: 'deregister-task-definition',
    description: 'Deregister a task definition revision (it stays describable as INACTIVE; no new tasks)',
    options: (c) => c.requiredOption('--task-definition <family:revision>', 'family:revision or the ARN (an explicit revision)'),
    run: ({ client }, o) => {
      if (!o.taskDefinition) throw wharfError('WHARF_E_USAGE', { reason: 'Give the revision to deregister with --task-definition family:revision' });
      return client.request('DELETE', `/v1/task-definitions/${encodeURIComponent(o.taskDefinition)}`);
    },
    render: ({ taskDefinition }) => taskDefinitionLine(taskDefinition),
  });
}
