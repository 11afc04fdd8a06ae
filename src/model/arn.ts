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

/** A task definition revision's ARN, as ECS writes it: `…:task-definition/<family>:<revision>`. */
export function taskDefinitionArn(scope: ArnScope, family: string, revision: number): string {
  return arn(scope, 'ecs', `task-definition/${family}:${revision}`);
}

/** The largest revision number a reference may name (the store keeps revisions as 32-bit integers). */
export const MAX_TASK_DEFINITION_REVISION = 2_147_483_647;

/** A task definition reference taken apart: a family, and a revision when one was named. */
export interface TaskDefinitionRef {
  readonly family: string;
  readonly revision?: number;
}

/**
 * Reads a task definition reference as ECS accepts it everywhere: `family` (meaning its latest
 * ACTIVE revision), `family:revision`, or the full ARN (any partition, region and account).
 * Returns undefined when it is none of these (a bad family name, a revision that is not a whole
 * number from 1 to MAX_TASK_DEFINITION_REVISION).
 */
export function parseTaskDefinitionRef(ref: string): TaskDefinitionRef | undefined {
  const fromArn = /^arn:[^:]+:ecs:[^:]*:[^:]*:task-definition\/(.+)$/.exec(ref);
  const match = /^([A-Za-z0-9_-]{1,255})(?::([1-9][0-9]{0,9}))?$/.exec(fromArn?.[1] ?? ref);
  if (!match?.[1]) return undefined;
  if (match[2] === undefined) return { family: match[1] };
  const revision = Number(match[2]);
  return revision <= MAX_TASK_DEFINITION_REVISION ? { family: match[1], revision } : undefined;
}
