/** `wharf elbv2 …`: the AWS CLI's ELBv2 commands Wharf's router serves. */
import type { Command } from 'commander';
import type { FlagSpec } from '../../aws-json-command.js';
import { awsJsonCommand } from '../../aws-json-command.js';

const elbv2Command = (parent: Command, name: string, operation: string, description: string, flags: readonly FlagSpec[]): void =>
  awsJsonCommand(parent, name, `/v1/elbv2/${operation}`, description, flags);

export function register(program: Command): void {
  const elbv2 = program.command('elbv2').description('Load balancing on the router: target groups, targets, listeners, rules');
  elbv2Command(elbv2, 'create-target-group', 'CreateTargetGroup', 'Create a target group (HTTP) with its health check', [
    { flag: 'name', key: 'Name', kind: 'string', help: 'the name (1-32 letters, numbers, hyphens)' },
    { flag: 'protocol', key: 'Protocol', kind: 'string', help: 'HTTP' },
    { flag: 'port', key: 'Port', kind: 'number', help: 'the default target port' },
    { flag: 'target-type', key: 'TargetType', kind: 'string', help: 'instance or ip' },
    { flag: 'health-check-path', key: 'HealthCheckPath', kind: 'string', help: 'default /' },
    { flag: 'health-check-interval-seconds', key: 'HealthCheckIntervalSeconds', kind: 'number', help: '5-300, default 30' },
    { flag: 'health-check-timeout-seconds', key: 'HealthCheckTimeoutSeconds', kind: 'number', help: '2-120, below the interval, default 5' },
    { flag: 'healthy-threshold-count', key: 'HealthyThresholdCount', kind: 'number', help: '2-10, default 5' },
    { flag: 'unhealthy-threshold-count', key: 'UnhealthyThresholdCount', kind: 'number', help: '2-10, default 2' },
    { flag: 'matcher', key: 'Matcher', kind: 'json', help: 'e.g. {"HttpCode":"200-299"}' },
  ]);
  elbv2Command(elbv2, 'describe-target-groups', 'DescribeTargetGroups', 'Describe target groups', [
    { flag: 'names', key: 'Names', kind: 'list', help: 'a name' },
    { flag: 'target-group-arns', key: 'TargetGroupArns', kind: 'list', help: 'an ARN' },
  ]);
  elbv2Command(elbv2, 'modify-target-group-attributes', 'ModifyTargetGroupAttributes', 'Set deregistration_delay.timeout_seconds', [
    { flag: 'target-group-arn', key: 'TargetGroupArn', kind: 'string', help: 'the target group' },
    { flag: 'attributes', key: 'Attributes', kind: 'json', help: 'e.g. [{"Key":"deregistration_delay.timeout_seconds","Value":"20"}]' },
  ]);
  elbv2Command(elbv2, 'register-targets', 'RegisterTargets', 'Register targets by hand (services register their tasks on their own)', [
    { flag: 'target-group-arn', key: 'TargetGroupArn', kind: 'string', help: 'the target group' },
    { flag: 'targets', key: 'Targets', kind: 'targets', help: 'a target' },
  ]);
  elbv2Command(elbv2, 'deregister-targets', 'DeregisterTargets', 'Deregister targets: they drain', [
    { flag: 'target-group-arn', key: 'TargetGroupArn', kind: 'string', help: 'the target group' },
    { flag: 'targets', key: 'Targets', kind: 'targets', help: 'a target' },
  ]);
  elbv2Command(elbv2, 'describe-target-health', 'DescribeTargetHealth', "Each target's health as the routers see it", [
    { flag: 'target-group-arn', key: 'TargetGroupArn', kind: 'string', help: 'the target group' },
  ]);
  elbv2Command(elbv2, 'create-listener', 'CreateListener', 'Create a listener (one per port)', [
    { flag: 'port', key: 'Port', kind: 'number', help: 'the port' },
    { flag: 'protocol', key: 'Protocol', kind: 'string', help: 'HTTP' },
    { flag: 'load-balancer-arn', key: 'LoadBalancerArn', kind: 'string', help: "accepted for the AWS CLI's sake; Wharf has one router" },
    { flag: 'default-actions', key: 'DefaultActions', kind: 'json', help: 'e.g. [{"Type":"forward","TargetGroupArn":"..."}]' },
  ]);
  elbv2Command(elbv2, 'create-rule', 'CreateRule', 'Add a host-header / path-pattern rule to a listener', [
    { flag: 'listener-arn', key: 'ListenerArn', kind: 'string', help: 'the listener' },
    { flag: 'priority', key: 'Priority', kind: 'number', help: '1-50000, unique on the listener' },
    { flag: 'conditions', key: 'Conditions', kind: 'json', help: 'e.g. [{"Field":"host-header","Values":["app.example.com"]}]' },
    { flag: 'actions', key: 'Actions', kind: 'json', help: 'e.g. [{"Type":"forward","ForwardConfig":{"TargetGroups":[{"TargetGroupArn":"...","Weight":1}]}}]' },
  ]);
  elbv2Command(elbv2, 'modify-rule', 'ModifyRule', "Change a rule's conditions or actions (weights)", [
    { flag: 'rule-arn', key: 'RuleArn', kind: 'string', help: 'the rule' },
    { flag: 'conditions', key: 'Conditions', kind: 'json', help: 'new conditions' },
    { flag: 'actions', key: 'Actions', kind: 'json', help: 'new actions' },
  ]);
  elbv2Command(elbv2, 'describe-rules', 'DescribeRules', "A listener's rules", [
    { flag: 'listener-arn', key: 'ListenerArn', kind: 'string', help: 'the listener' },
  ]);
  elbv2Command(elbv2, 'describe-listeners', 'DescribeListeners', 'The listeners', []);
}
