/** `wharf ecs describe-services`: ECS DescribeServices (deployments and recent events). */
import type { Command } from 'commander';
import type { Failure } from '../../../model/api/common.js';
import type { ServiceView } from '../../../model/api/services.js';
import { apiCommand, collect } from '../../command.js';
import { failureLines, serviceLines } from './render.js';

interface Options {
  cluster?: string;
  services: string[];
}

export function register(ecs: Command): void {
  apiCommand<Options, { services: ServiceView[]; failures: Failure[] }>(ecs, {
    name: 'describe-services',
    description: 'Describe services: counts, deployments, recent events',
    options: (c) => c.option('--cluster <name>', 'cluster (default "default")').requiredOption('--services <name|arn>', 'a service; repeat for more', collect),
    run: ({ client }, o) => client.request('POST', '/v1/services/describe', { body: { cluster: o.cluster, services: o.services } }),
    render: ({ services, failures }) => [...services.map(serviceLines), failureLines(failures)].filter(Boolean).join('\n\n'),
  });
}
