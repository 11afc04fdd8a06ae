/** `wharf ecs describe-task-definition`: ECS DescribeTaskDefinition. */
import type { DescribeTaskDefinitionResult } from '../../../model/api/task-definitions.js';
import { taskDefinitionDetail } from './render.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<DescribeTaskDefinitionResult> = {
  render: ({ taskDefinition, tags, unsupportedFields }) => taskDefinitionDetail(taskDefinition, tags, unsupportedFields),
};
