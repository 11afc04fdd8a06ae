/** `wharf ecs delete-service`: ECS DeleteService (scaled to 0 first, or --force). */
import type { Command } from 'commander';
import type { ServiceView } from '../../../model/api/services.js';
import { apiCommand } from '../../command.js';
import { serviceLines } from './render.js';

interface Options {
  cluster?: string;
  service: string;
  force?: boolean;
}

export function register(ecs: Command): void {
  apiCommand<Options, { service: ServiceView }>(ecs, {
    name: 'delete-service',
    description: 'Delete a service: its tasks stop, then it becomes INACTIVE',
    options: (c) => c.option('--cluster <name>', 'cluster (default "default")').requiredOption('--service <name|arn>', 'the service').option('--force', 'delete even while scaled above 0 (its tasks stop)'),
    run: ({ client }, o) => client.request('POST', '/v1/services/delete', { body: { cluster: o.cluster, service: o.service, force: o.force === true } }),
    render: ({ service }) => serviceLines(service),
  });
}
