/**
 * Amazon Resource Names for Wharf's resources, so ECS and Elastic Beanstalk clients that expect
 * ARNs get well-formed ones. Wharf's partition is `wharf`; region and account are settings.
 */

export interface ArnScope {
  readonly region: string;
  readonly accountId: string;
}

export const DEFAULT_ARN_SCOPE: ArnScope = { region: 'local', accountId: '000000000000' };

/** `arn:wharf:<service>:<region>:<account>:<resource>` */
export function arn(scope: ArnScope, service: string, resource: string): string {
  return `arn:wharf:${service}:${scope.region}:${scope.accountId}:${resource}`;
}

/** A cluster's ARN, as ECS writes it. */
export function clusterArn(scope: ArnScope, clusterName: string): string {
  return arn(scope, 'ecs', `cluster/${clusterName}`);
}

/** Accepts a cluster name or a cluster ARN and returns the name. */
export function clusterNameFrom(nameOrArn: string): string {
  const match = /^arn:[^:]+:ecs:[^:]*:[^:]*:cluster\/(.+)$/.exec(nameOrArn);
  return match?.[1] ?? nameOrArn;
}
