/** `wharf elbv2 …`: the AWS CLI's ELBv2 commands Wharf's router serves (answers print as JSON, as the AWS CLI's do). */
import type { GroupCommands } from '../../aws/command.js';

export const COMMANDS: GroupCommands = {
  CreateTargetGroup: { description: 'Create a target group (HTTP) with its health check' },
  DescribeTargetGroups: { description: 'Describe target groups' },
  ModifyTargetGroup: { description: "Change a target group's health check" },
  ModifyTargetGroupAttributes: { description: 'Set deregistration_delay.timeout_seconds' },
  DeleteTargetGroup: { description: 'Delete a target group no rule forwards to' },
  RegisterTargets: { description: 'Register targets by hand (services register their tasks on their own)' },
  DeregisterTargets: { description: 'Deregister targets: they drain' },
  DescribeTargetHealth: { description: "Each target's health as the routers see it" },
  CreateListener: { description: 'Create a listener (one per port)' },
  DescribeListeners: { description: 'The listeners' },
  CreateRule: { description: 'Add a host-header / path-pattern rule to a listener' },
  ModifyRule: { description: "Change a rule's conditions or actions (weights)" },
  DeleteRule: { description: 'Delete a rule' },
  DescribeRules: { description: "A listener's rules" },
};
