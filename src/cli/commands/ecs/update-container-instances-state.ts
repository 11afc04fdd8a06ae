/** `wharf ecs update-container-instances-state`: ECS UpdateContainerInstancesState (ACTIVE or DRAINING). */
import type { Failure } from '../../../model/api/common.js';
import type { ContainerInstanceView } from '../../../model/api/container-instances.js';
import { containerInstanceTable, failureLines } from './render.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ containerInstances: ContainerInstanceView[]; failures: Failure[] }> = {
  render: ({ containerInstances, failures }) => [containerInstances.length > 0 ? containerInstanceTable(containerInstances) : '', failureLines(failures)].filter(Boolean).join('\n'),
};
