/** `wharf ecs update-service`: ECS UpdateService (a new revision rolls out; a new count re-plans). */
import type { ServiceView } from '../../../model/api/services.js';
import { serviceLines } from './render.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ service: ServiceView }> = {
  render: ({ service }) => serviceLines(service),
};
