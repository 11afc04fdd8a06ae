/** `wharf application-autoscaling …`: the AWS CLI's Application Auto Scaling commands, for ECS services (answers print as JSON). */
import type { GroupCommands } from '../../aws/command.js';

export const COMMANDS: GroupCommands = {
  RegisterScalableTarget: { description: "Bound a service's desired count" },
  DescribeScalableTargets: { description: 'Scalable targets' },
  PutScalingPolicy: { description: 'A target-tracking policy (CPU or requests per target)' },
  DescribeScalingPolicies: { description: 'Scaling policies' },
  DescribeScalingActivities: { description: 'What auto scaling did, and why' },
  DeregisterScalableTarget: { description: 'Stop scaling a service: its policies and scheduled actions go too' },
  DeleteScalingPolicy: { description: 'Delete a scaling policy' },
  PutScheduledAction: { description: "Change a service's bounds at a time or on a schedule (at, rate or cron)" },
  DescribeScheduledActions: { description: 'Scheduled actions and their next run' },
  DeleteScheduledAction: { description: 'Delete a scheduled action' },
  TagResource: { description: 'Tag a scalable target' },
  UntagResource: { description: 'Remove tags from a scalable target' },
  ListTagsForResource: { description: 'The tags of a scalable target' },
};
