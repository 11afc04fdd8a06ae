/** `wharf ecs describe-task-definition`: ECS DescribeTaskDefinition. */
import type { Command } from 'commander';
import type { DescribeTaskDefinitionResult } from '../../../model/api/task-definitions.js';
import { wharfError } from '../../../model/errors.js';
import { apiCommand } from '../../command.js';
import { taskDefinitionDetail } from './render.js';

interface Options {
  taskDefinition?: string;
  include?: string;
}

export function register(ecs: Command): void {
  apiCommand<Options, DescribeTaskDefinitionResult>(ecs, {
    name: 'describe-task-definition',
    description: 'Describe a task definition revision (any status)',
    options: (c) =>
      c
        .requiredOption('--task-definition <ref>', 'family (its latest ACTIVE revision), family:revision, or the ARN')
        .option('--include <TAGS>', 'TAGS: return its tags too'),
    run: ({ client }, o) => {
      if (!o.taskDefinition) throw wharfError('WHARF_E_USAGE', { reason: 'Give the task definition with --task-definition' });
      return client.request('GET', `/v1/task-definitions/${encodeURIComponent(o.taskDefinition)}`, { query: { include: o.include } });
    },
    render: ({ taskDefinition, tags, unsupportedFields }) => taskDefinitionDetail(taskDefinition, tags, unsupportedFields),
  });
}
