/** `wharf application-autoscaling …`: the AWS CLI's Application Auto Scaling commands, for ECS services. */
import type { Command } from 'commander';
import type { FlagSpec } from '../../aws-json-command.js';
import { awsJsonCommand } from '../../aws-json-command.js';

const RESOURCE: readonly FlagSpec[] = [
  { flag: 'service-namespace', key: 'ServiceNamespace', kind: 'string', help: 'ecs' },
  { flag: 'resource-id', key: 'ResourceId', kind: 'string', help: 'service/<cluster>/<service>' },
  { flag: 'scalable-dimension', key: 'ScalableDimension', kind: 'string', help: 'ecs:service:DesiredCount' },
];

export function register(program: Command): void {
  const aas = program.command('application-autoscaling').description("Auto scaling of services' desired counts");
  const command = (name: string, operation: string, description: string, flags: readonly FlagSpec[]) =>
    awsJsonCommand(aas, name, `/v1/application-autoscaling/${operation}`, description, flags);
  command('register-scalable-target', 'RegisterScalableTarget', "Bound a service's desired count", [
    ...RESOURCE,
    { flag: 'min-capacity', key: 'MinCapacity', kind: 'number', help: 'the lowest desired count' },
    { flag: 'max-capacity', key: 'MaxCapacity', kind: 'number', help: 'the highest desired count' },
    { flag: 'suspended-state', key: 'SuspendedState', kind: 'json', help: 'e.g. {"DynamicScalingInSuspended":true}' },
  ]);
  command('put-scaling-policy', 'PutScalingPolicy', 'A target-tracking policy (CPU or requests per target)', [
    { flag: 'policy-name', key: 'PolicyName', kind: 'string', help: 'the name' },
    ...RESOURCE,
    { flag: 'policy-type', key: 'PolicyType', kind: 'string', help: 'TargetTrackingScaling' },
    { flag: 'target-tracking-scaling-policy-configuration', key: 'TargetTrackingScalingPolicyConfiguration', kind: 'json', help: 'TargetValue, PredefinedMetricSpecification, ScaleOutCooldown, ScaleInCooldown' },
  ]);
  command('describe-scalable-targets', 'DescribeScalableTargets', 'Scalable targets', [
    { flag: 'service-namespace', key: 'ServiceNamespace', kind: 'string', help: 'ecs' },
    { flag: 'resource-ids', key: 'ResourceIds', kind: 'list', help: 'a resource id' },
  ]);
  command('describe-scaling-policies', 'DescribeScalingPolicies', 'Scaling policies', [
    { flag: 'service-namespace', key: 'ServiceNamespace', kind: 'string', help: 'ecs' },
    { flag: 'resource-id', key: 'ResourceId', kind: 'string', help: 'service/<cluster>/<service>' },
  ]);
  command('describe-scaling-activities', 'DescribeScalingActivities', 'What auto scaling did, and why', [
    { flag: 'service-namespace', key: 'ServiceNamespace', kind: 'string', help: 'ecs' },
    { flag: 'resource-id', key: 'ResourceId', kind: 'string', help: 'service/<cluster>/<service>' },
    { flag: 'max-results', key: 'MaxResults', kind: 'number', help: '1-50' },
  ]);
}
