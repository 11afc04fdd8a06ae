/**
 * The controller's load-balancing records (ELBv2's load balancers, target groups, listeners and
 * rules) as stored.
 * The router's view of them is `RoutingTable` (src/model/routing.ts), built from these and from the
 * services' tasks.
 */
import type { HealthCheck, ListenerAction, RuleConditions, Target } from './routing.js';

/** An ELBv2 tag as stored on any load-balancing record. */
export interface LoadBalancingTag {
  readonly key: string;
  readonly value: string;
}

/** ELBv2's limit of tags on one resource. */
export const MAX_LOAD_BALANCING_TAGS = 50;

/**
 * A load balancer: a named set of listeners, all served by the routers (which are every load
 * balancer at once). Its listeners name it (`ListenerRecord.loadBalancerArn`); listeners that name
 * none belong to the built-in load balancer `wharf` (`BUILT_IN_LOAD_BALANCER`), which has no record.
 */
export interface LoadBalancerRecord {
  readonly arn: string;
  readonly name: string;
  readonly type: 'application';
  readonly scheme: 'internet-facing' | 'internal';
  readonly ipAddressType: 'ipv4';
  /** ELBv2's load balancer attributes, every key with its value (defaults filled in at creation). */
  readonly attributes: Readonly<Record<string, string>>;
  readonly tags: readonly LoadBalancingTag[];
  readonly createdAt: number;
}

/** The name of the load balancer that holds listeners created without a `LoadBalancerArn` (Elastic Beanstalk's). */
export const BUILT_IN_LOAD_BALANCER = 'wharf';

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
  readonly tags: readonly LoadBalancingTag[];
  readonly createdAt: number;
}

export interface ListenerRecord {
  readonly arn: string;
  /** The load balancer it belongs to; absent: the built-in one (listeners before load balancers, Elastic Beanstalk's). */
  readonly loadBalancerArn?: string;
  readonly port: number;
  readonly protocol: 'HTTP';
  readonly defaultAction?: ListenerAction;
  /** Absent on listeners stored before tags were kept. */
  readonly tags?: readonly LoadBalancingTag[];
  readonly createdAt: number;
}

export interface RuleRecord {
  readonly arn: string;
  readonly listenerArn: string;
  readonly priority: number;
  readonly conditions: RuleConditions;
  readonly action: Extract<ListenerAction, { type: 'forward' }>;
  /** Absent on rules stored before tags were kept. */
  readonly tags?: readonly LoadBalancingTag[];
  readonly createdAt: number;
}
