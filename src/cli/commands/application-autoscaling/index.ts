/** `wharf application-autoscaling …`: the AWS CLI's Application Auto Scaling commands, for ECS services (answers print as JSON). */
import type { GroupCommands } from '../../aws/command.js';

export const COMMANDS: GroupCommands = {
  RegisterScalableTarget: { description: "Bound a service's desired count" },
  DescribeScalableTargets: { description: 'Scalable targets' },
  PutScalingPolicy: { description: 'A target-tracking policy (CPU or requests per target)' },
  DescribeScalingPolicies: { description: 'Scaling policies' },
  DescribeScalingActivities: { description: 'What auto scaling did, and why' },
};
