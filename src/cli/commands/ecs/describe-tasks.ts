/** `wharf ecs describe-tasks`: ECS DescribeTasks. */
import type { Failure } from '../../../model/api/common.js';
import type { TaskView } from '../../../model/api/tasks.js';
import { failureLines, taskTable } from './render.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ tasks: TaskView[]; failures: Failure[] }> = {
  render: ({ tasks, failures }) => [tasks.length > 0 ? taskTable(tasks) : '', failureLines(failures)].filter(Boolean).join('\n'),
};
