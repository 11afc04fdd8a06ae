/** `wharf ecs delete-task-definitions`: ECS DeleteTaskDefinitions (INACTIVE revisions become DELETE_IN_PROGRESS). */
import type { Command } from 'commander';
import type { Failure } from '../../../model/api/common.js';
import type { TaskDefinitionView } from '../../../model/api/task-definitions.js';
import { apiCommand, readCliInputJson } from '../../command.js';
import { failureLines, taskDefinitionLine } from './render.js';

interface Options {
  taskDefinitions?: string[];
  cliInputJson?: string;
}

export function register(ecs: Command): void {
  apiCommand<Options, { taskDefinitions: TaskDefinitionView[]; failures: Failure[] }>(ecs, {
    name: 'delete-task-definitions',
    description: 'Delete deregistered task definition revisions (up to 10)',
    options: (c) =>
      c
        .option('--task-definitions <family:revision...>', 'family:revision or ARN of each revision to delete (deregister them first)')
        .option('--cli-input-json <json|file://path>', 'the whole request as JSON'),
    run: async ({ client }, o) => {
      const body = await readCliInputJson(o.cliInputJson);
      if (o.taskDefinitions !== undefined) body.taskDefinitions = o.taskDefinitions;
      return client.request('POST', '/v1/task-definitions/delete', { body });
    },
    render: ({ taskDefinitions, failures }) => [...taskDefinitions.map(taskDefinitionLine), failureLines(failures)].filter(Boolean).join('\n'),
  });
}
