/**
 * The AWS-named command groups of `wharf` (`ecs`, `elbv2`, `application-autoscaling`,
 * `elasticbeanstalk`, `iam`, `sts`): for each, where its operations' table is (the same table the
 * controller's AWS endpoint serves). Kept free of heavy imports: `src/main.ts` reads it before
 * anything else to send an AWS command down the fast path (`run.ts`), with the service's table
 * (and zod) loaded only then.
 */
import type { ApiOperations } from '../../model/api/operation.js';
import type { GroupCommands } from './command.js';

export interface AwsService {
  /** The command group, as the AWS CLI names the service. */
  readonly group: string;
  readonly description: string;
  /** The service's operations (`model/api/operation.ts`): each one's native route and request schema. Loaded only for a command of the group. */
  readonly api: () => Promise<ApiOperations>;
  /** The group's descriptions and readable renderings (`src/cli/commands/<group>/index.ts`). */
  readonly commands?: () => Promise<GroupCommands>;
}

export const AWS_SERVICES: readonly AwsService[] = [
  {
    group: 'ecs',
    description: 'ECS: clusters, task definitions, tasks, services',
    api: async () => (await import('../../model/api/ecs.js')).ECS_API,
    commands: async () => (await import('../commands/ecs/index.js')).COMMANDS,
  },
  {
    group: 'elbv2',
    description: 'Load balancing on the router: load balancers, target groups, targets, listeners, rules',
    api: async () => (await import('../../model/api/load-balancing.js')).ELBV2_API,
    commands: async () => (await import('../commands/elbv2/index.js')).COMMANDS,
  },
  {
    group: 'application-autoscaling',
    description: "Auto scaling of services' desired counts",
    api: async () => (await import('../../model/api/autoscaling.js')).AUTOSCALING_API,
    commands: async () => (await import('../commands/application-autoscaling/index.js')).COMMANDS,
  },
  {
    group: 'elasticbeanstalk',
    description: "Elastic Beanstalk's API as the AWS CLI has it (see `wharf eb` for the EB CLI)",
    api: async () => (await import('../../model/api/platform.js')).ELASTIC_BEANSTALK_API,
    commands: async () => (await import('../commands/elasticbeanstalk/index.js')).COMMANDS,
  },
  {
    group: 'iam',
    description: 'IAM: users, groups, access keys and the policies that say what they may do',
    api: async () => (await import('../../model/api/iam.js')).IAM_API,
    commands: async () => (await import('../commands/iam/index.js')).COMMANDS,
  },
  {
    group: 'sts',
    description: "STS: assume a role (a role session's temporary credentials), and who the caller is",
    api: async () => (await import('../../model/api/sts.js')).STS_API,
    commands: async () => (await import('../commands/sts/index.js')).COMMANDS,
  },
];

/** The AWS-named group `word` names, if any. */
export function awsServiceOf(word: string | undefined): AwsService | undefined {
  return AWS_SERVICES.find((service) => service.group === word);
}
