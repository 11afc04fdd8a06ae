/** `wharf ecs run-task`: ECS RunTask. Tasks that cannot be placed are listed as failures, not an error. */
import type { Failure } from '../../../model/api/common.js';
import type { TaskView } from '../../../model/api/tasks.js';
import { failureLines, taskTable } from './render.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ tasks: TaskView[]; failures: Failure[] }> = {
  render: ({ tasks, failures }) => [tasks.length > 0 ? taskTable(tasks) : '', failureLines(failures)].filter(Boolean).join('\n'),
};
