/** `wharf ecs deregister-task-definition`: ECS DeregisterTaskDefinition (the revision becomes INACTIVE). */
import type { TaskDefinitionView } from '../../../model/api/task-definitions.js';
import { taskDefinitionLine } from './render.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ taskDefinition: TaskDefinitionView }> = {
  render: ({ taskDefinition }) => taskDefinitionLine(taskDefinition),
};
