/** `wharf ecs stop-task`: ECS StopTask (SIGTERM, then SIGKILL after each container's stopTimeout). */
import type { TaskView } from '../../../model/api/tasks.js';
import { taskTable } from './render.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ task: TaskView }> = {
  render: ({ task }) => taskTable([task]),
};
