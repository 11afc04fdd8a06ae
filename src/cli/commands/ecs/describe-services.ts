/** `wharf ecs describe-services`: ECS DescribeServices (deployments and recent events). */
import type { Failure } from '../../../model/api/common.js';
import type { ServiceView } from '../../../model/api/services.js';
import { failureLines, serviceLines } from './render.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ services: ServiceView[]; failures: Failure[] }> = {
  render: ({ services, failures }) => [...services.map(serviceLines), failureLines(failures)].filter(Boolean).join('\n\n'),
};
