/** `wharf ecs update-service`: ECS UpdateService (a new revision rolls out; a new count re-plans). */
import type { Command } from 'commander';
import type { ServiceView } from '../../../model/api/services.js';
import { apiCommand, readCliInputJson } from '../../command.js';
import { parseJsonFlag } from '../../json-flag.js';
import { serviceLines } from './render.js';

interface Options {
  cluster?: string;
  service?: string;
  taskDefinition?: string;
  desiredCount?: string;
  deploymentConfiguration?: string;
  forceNewDeployment?: boolean;
  healthCheckGracePeriodSeconds?: string;
  cliInputJson?: string;
}

export function register(ecs: Command): void {
  apiCommand<Options, { service: ServiceView }>(ecs, {
    name: 'update-service',
    description: 'Change a service: a new task definition rolls out; a new desired count scales',
    options: (c) =>
      c
        .option('--cluster <name>', 'cluster (default "default")')
        .option('--service <name|arn>', 'the service')
        .option('--task-definition <family[:revision]|arn>', 'roll out this revision')
        .option('--desired-count <n>', 'how many tasks')
        .option('--deployment-configuration <json>', 'minimumHealthyPercent, maximumPercent, deploymentCircuitBreaker')
        .option('--force-new-deployment', 'replace every task even without a new revision')
        .option('--health-check-grace-period-seconds <n>', 'no unhealthy verdict this long after a task starts')
        .option('--cli-input-json <json|file://path>', 'the whole request as JSON'),
    run: async ({ client }, o) => {
      const body = await readCliInputJson(o.cliInputJson);
      if (o.cluster !== undefined) body.cluster = o.cluster;
      if (o.service !== undefined) body.service = o.service;
      if (o.taskDefinition !== undefined) body.taskDefinition = o.taskDefinition;
      if (o.desiredCount !== undefined) body.desiredCount = Number(o.desiredCount);
      if (o.forceNewDeployment) body.forceNewDeployment = true;
      if (o.healthCheckGracePeriodSeconds !== undefined) body.healthCheckGracePeriodSeconds = Number(o.healthCheckGracePeriodSeconds);
      if (o.deploymentConfiguration !== undefined) body.deploymentConfiguration = await parseJsonFlag('--deployment-configuration', o.deploymentConfiguration);
      return client.request('POST', '/v1/services/update', { body });
    },
    render: ({ service }) => serviceLines(service),
  });
}
