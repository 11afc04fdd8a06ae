/** `wharf ecs delete-task-definitions`: ECS DeleteTaskDefinitions (INACTIVE revisions become DELETE_IN_PROGRESS). */
import type { Failure } from '../../../model/api/common.js';
import type { TaskDefinitionView } from '../../../model/api/task-definitions.js';
import { failureLines, taskDefinitionLine } from './render.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ taskDefinitions: TaskDefinitionView[]; failures: Failure[] }> = {
  render: ({ taskDefinitions, failures }) => [...taskDefinitions.map(taskDefinitionLine), failureLines(failures)].filter(Boolean).join('\n'),
};
