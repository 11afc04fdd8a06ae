/**
 * The controller's load-balancing records (ELBv2's target groups, listeners and rules) as stored.
 * The router's view of them is `RoutingTable` (src/model/routing.ts), built from these and from the
 * services' tasks.
 */
import type { HealthCheck, ListenerAction, RuleConditions, Target } from './routing.js';

export interface TargetGroupRecord {
  readonly arn: string;
  readonly name: string;
  readonly protocol: 'HTTP';
  readonly port: number;
  readonly targetType: 'instance' | 'ip';
  readonly healthCheck: HealthCheck;
  readonly deregistrationDelaySeconds: number;
  /** Targets registered by hand (RegisterTargets); services' tasks are added when the table is built. */
  readonly targets: readonly Target[];
  readonly tags: readonly { key: string; value: string }[];
  readonly createdAt: number;
}

export interface ListenerRecord {
  readonly arn: string;
  readonly port: number;
  readonly protocol: 'HTTP';
  readonly defaultAction?: ListenerAction;
  readonly createdAt: number;
}

export interface RuleRecord {
  readonly arn: string;
  readonly listenerArn: string;
  readonly priority: number;
  readonly conditions: RuleConditions;
  readonly action: Extract<ListenerAction, { type: 'forward' }>;
  readonly createdAt: number;
}
