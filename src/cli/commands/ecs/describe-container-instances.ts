/** `wharf ecs describe-container-instances`: ECS DescribeContainerInstances. */
import type { Command } from 'commander';
import type { Failure } from '../../../model/api/common.js';
import type { ContainerInstanceView } from '../../../model/api/container-instances.js';
import { apiCommand, collect } from '../../command.js';
import { containerInstanceTable, failureLines } from './render.js';

interface Options {
  cluster?: string;
  containerInstances: string[];
}

export function register(ecs: Command): void {
  apiCommand<Options, { containerInstances: ContainerInstanceView[]; failures: Failure[] }>(ecs, {
    name: 'describe-container-instances',
    description: 'Describe hosts: status, agent connection, registered and remaining resources',
    options: (c) => c.option('--cluster <name>', 'cluster (default "default")').requiredOption('--container-instances <id|arn>', 'a host; repeat for more', collect),
    run: ({ client }, o) => client.request('POST', '/v1/container-instances/describe', { body: { cluster: o.cluster, containerInstances: o.containerInstances } }),
    render: ({ containerInstances, failures }) => [containerInstances.length > 0 ? containerInstanceTable(containerInstances) : '', failureLines(failures)].filter(Boolean).join('\n'),
  });
}
