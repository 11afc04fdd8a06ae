/** `wharf ecs update-container-instances-state`: ECS UpdateContainerInstancesState (ACTIVE or DRAINING). */
import type { Command } from 'commander';
import type { Failure } from '../../../model/api/common.js';
import type { ContainerInstanceView } from '../../../model/api/container-instances.js';
import { apiCommand, collect } from '../../command.js';
import { containerInstanceTable, failureLines } from './render.js';

interface Options {
  cluster?: string;
  containerInstances: string[];
  status: string;
}

export function register(ecs: Command): void {
  apiCommand<Options, { containerInstances: ContainerInstanceView[]; failures: Failure[] }>(ecs, {
    name: 'update-container-instances-state',
    description: 'Drain hosts (no new tasks) or make them ACTIVE again',
    options: (c) =>
      c
        .option('--cluster <name>', 'cluster (default "default")')
        .requiredOption('--container-instances <id|arn>', 'a host; repeat for more', collect)
        .requiredOption('--status <ACTIVE|DRAINING>', 'the new status'),
    run: ({ client }, o) => client.request('POST', '/v1/container-instances/state', { body: { cluster: o.cluster, containerInstances: o.containerInstances, status: o.status } }),
    render: ({ containerInstances, failures }) => [containerInstances.length > 0 ? containerInstanceTable(containerInstances) : '', failureLines(failures)].filter(Boolean).join('\n'),
  });
}
