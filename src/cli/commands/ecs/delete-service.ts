/** `wharf ecs delete-service`: ECS DeleteService (scaled to 0 first, or --force). */
import type { ServiceView } from '../../../model/api/services.js';
import { serviceLines } from './render.js';
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ service: ServiceView }> = {
  render: ({ service }) => serviceLines(service),
};
