/**
 * The AWS CLI's waiters for the operations Wharf serves, by command group and waiter name: the
 * operation called, the delay between calls, the attempts, and the acceptors in order (the first
 * that matches decides). The rules are AWS's (botocore's `waiters-2.json` for each service),
 * written out here; `waiter.ts` runs them.
 */

export interface WaiterAcceptor {
  readonly state: 'success' | 'failure' | 'retry';
  readonly matcher: 'path' | 'pathAll' | 'pathAny' | 'error' | 'status';
  readonly argument?: string;
  readonly expected: string | number | boolean;
}

export interface Waiter {
  readonly operation: string;
  readonly delay: number;
  readonly maxAttempts: number;
  readonly acceptors: readonly WaiterAcceptor[];
}

const every = (operation: string, delay: number, maxAttempts: number, ...acceptors: WaiterAcceptor[]): Waiter => ({ operation, delay, maxAttempts, acceptors });
const success = (matcher: WaiterAcceptor['matcher'], expected: WaiterAcceptor['expected'], argument?: string): WaiterAcceptor => ({ state: 'success', matcher, expected, ...(argument ? { argument } : {}) });
const failure = (matcher: WaiterAcceptor['matcher'], expected: WaiterAcceptor['expected'], argument?: string): WaiterAcceptor => ({ state: 'failure', matcher, expected, ...(argument ? { argument } : {}) });
const retry = (matcher: WaiterAcceptor['matcher'], expected: WaiterAcceptor['expected'], argument?: string): WaiterAcceptor => ({ state: 'retry', matcher, expected, ...(argument ? { argument } : {}) });

/** Elastic Beanstalk's three: every environment named in `state`, retrying while any is still `passing`. */
const environments = (state: string, passing: string): Waiter => every('DescribeEnvironments', 20, 20, success('pathAll', state, 'Environments[].Status'), retry('pathAll', passing, 'Environments[].Status'));

export const WAITERS: Readonly<Record<string, Readonly<Record<string, Waiter>>>> = {
  ecs: {
    'tasks-running': every('DescribeTasks', 6, 100, failure('pathAny', 'STOPPED', 'tasks[].lastStatus'), failure('pathAny', 'MISSING', 'failures[].reason'), success('pathAll', 'RUNNING', 'tasks[].lastStatus')),
    'tasks-stopped': every('DescribeTasks', 6, 100, success('pathAll', 'STOPPED', 'tasks[].lastStatus')),
    'services-stable': every(
      'DescribeServices',
      15,
      40,
      failure('pathAny', 'MISSING', 'failures[].reason'),
      failure('pathAny', 'DRAINING', 'services[].status'),
      failure('pathAny', 'INACTIVE', 'services[].status'),
      success('path', true, 'length(services[?!(length(deployments) == `1` && runningCount == desiredCount)]) == `0`'),
    ),
    'services-inactive': every('DescribeServices', 15, 40, failure('pathAny', 'MISSING', 'failures[].reason'), success('pathAny', 'INACTIVE', 'services[].status')),
  },
  elbv2: {
    'load-balancer-exists': every('DescribeLoadBalancers', 15, 40, success('status', 200), retry('error', 'LoadBalancerNotFound')),
    'load-balancer-available': every(
      'DescribeLoadBalancers',
      15,
      40,
      success('pathAll', 'active', 'LoadBalancers[].State.Code'),
      retry('pathAny', 'provisioning', 'LoadBalancers[].State.Code'),
      retry('error', 'LoadBalancerNotFound'),
    ),
    'load-balancers-deleted': every('DescribeLoadBalancers', 15, 40, retry('pathAll', 'active', 'LoadBalancers[].State.Code'), success('error', 'LoadBalancerNotFound')),
    'target-in-service': every('DescribeTargetHealth', 15, 40, success('pathAll', 'healthy', 'TargetHealthDescriptions[].TargetHealth.State'), retry('error', 'InvalidInstance')),
    'target-deregistered': every('DescribeTargetHealth', 15, 40, success('error', 'InvalidTarget'), success('pathAll', 'unused', 'TargetHealthDescriptions[].TargetHealth.State')),
  },
  elasticbeanstalk: {
    'environment-exists': environments('Ready', 'Launching'),
    'environment-updated': environments('Ready', 'Updating'),
    'environment-terminated': environments('Terminated', 'Terminating'),
  },
  iam: {
    'user-exists': every('GetUser', 1, 20, success('status', 200), retry('error', 'NoSuchEntity')),
    'role-exists': every('GetRole', 1, 20, success('status', 200), retry('error', 'NoSuchEntity')),
    'policy-exists': every('GetPolicy', 1, 20, success('status', 200), retry('error', 'NoSuchEntity')),
  },
};
