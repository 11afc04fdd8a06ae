/** `wharf ecs create-service`: ECS CreateService. */
import type { Command } from 'commander';
import type { ServiceView } from '../../../model/api/services.js';
import { apiCommand, readCliInputJson } from '../../command.js';
import { parseJsonFlag } from '../../json-flag.js';
import { serviceLines } from './render.js';

interface Options {
  cluster?: string;
  serviceName?: string;
  taskDefinition?: string;
  desiredCount?: string;
  deploymentConfiguration?: string;
  loadBalancers?: string;
  healthCheckGracePeriodSeconds?: string;
  placementStrategy?: string;
  placementConstraints?: string;
  cliInputJson?: string;
}

export function register(ecs: Command): void {
  apiCommand<Options, { service: ServiceView }>(ecs, {
    name: 'create-service',
    description: 'Create a service: keep desiredCount tasks of a task definition running',
    options: (c) =>
      c
        .option('--cluster <name>', 'cluster (default "default")')
        .option('--service-name <name>', 'the service name')
        .option('--task-definition <family[:revision]|arn>', 'what to run')
        .option('--desired-count <n>', 'how many tasks')
        .option('--deployment-configuration <json>', 'e.g. {"minimumHealthyPercent":50,"maximumPercent":200,"deploymentCircuitBreaker":{"enable":true,"rollback":true}}')
        .option('--load-balancers <json>', 'e.g. [{"targetGroupArn":"...","containerName":"web","containerPort":8080}]')
        .option('--health-check-grace-period-seconds <n>', 'no unhealthy verdict this long after a task starts')
        .option('--placement-strategy <json>', 'e.g. [{"type":"spread","field":"instanceId"}]')
        .option('--placement-constraints <json>', 'e.g. [{"type":"distinctInstance"}]')
        .option('--cli-input-json <json|file://path>', 'the whole request as JSON'),
    run: async ({ client }, o) => {
      const body = await readCliInputJson(o.cliInputJson);
      if (o.cluster !== undefined) body.cluster = o.cluster;
      if (o.serviceName !== undefined) body.serviceName = o.serviceName;
      if (o.taskDefinition !== undefined) body.taskDefinition = o.taskDefinition;
      if (o.desiredCount !== undefined) body.desiredCount = Number(o.desiredCount);
      if (o.healthCheckGracePeriodSeconds !== undefined) body.healthCheckGracePeriodSeconds = Number(o.healthCheckGracePeriodSeconds);
      if (o.deploymentConfiguration !== undefined) body.deploymentConfiguration = await parseJsonFlag('--deployment-configuration', o.deploymentConfiguration);
      if (o.loadBalancers !== undefined) body.loadBalancers = await parseJsonFlag('--load-balancers', o.loadBalancers);
      if (o.placementStrategy !== undefined) body.placementStrategy = await parseJsonFlag('--placement-strategy', o.placementStrategy);
      if (o.placementConstraints !== undefined) body.placementConstraints = await parseJsonFlag('--placement-constraints', o.placementConstraints);
      return client.request('POST', '/v1/services', { body });
    },
    render: ({ service }) => serviceLines(service),
  });
}
