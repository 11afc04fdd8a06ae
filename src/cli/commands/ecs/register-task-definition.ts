/** `wharf ecs register-task-definition`: ECS RegisterTaskDefinition. */
import type { RegisterTaskDefinitionResult } from '../../../model/api/task-definitions.js';
import { taskDefinitionLine, unsupportedFieldLines } from './render.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<RegisterTaskDefinitionResult> = {
  render: ({ taskDefinition, unsupportedFields }) => [taskDefinitionLine(taskDefinition), unsupportedFieldLines(unsupportedFields)].filter(Boolean).join('\n'),
};
