/**
 * ECS task definitions: how a task definition is named in a request (`family`, `family:revision`,
 * the ARN), the requests of DescribeTaskDefinition, DeregisterTaskDefinition, DeleteTaskDefinitions,
 * ListTaskDefinitions and ListTaskDefinitionFamilies, and a task definition in ECS's response shape.
 * RegisterTaskDefinition's request is `registerTaskDefinitionRequestSchema` in `model/task-definition.ts`.
 */
import { z } from 'zod';
import type { TaskDefinitionRef } from '../arn.js';
import { parseTaskDefinitionRef } from '../arn.js';
import type { RegisterTaskDefinitionRequest, TaskDefinitionStatus, UnsupportedField } from '../task-definition.js';
import { TASK_DEFINITION_STATUSES } from '../task-definition.js';

/** ECS: DeleteTaskDefinitions takes at most 10 revisions per call. */
export const MAX_DELETE_TASK_DEFINITIONS = 10;
/** The largest page ListTaskDefinitions and ListTaskDefinitionFamilies return (also their default). */
export const MAX_LIST_TASK_DEFINITIONS = 100;
/** How to name a task definition, for messages that refuse a reference. */
export const TASK_DEFINITION_REF_HELP = 'Give a task definition as family, family:revision or its ARN (arn:wharf:ecs:<region>:<account>:task-definition/<family>:<revision>)';

/** A task definition named as ECS accepts it: `family`, `family:revision` or the ARN. */
export const taskDefinitionRefSchema = z
  .string()
  .min(1, TASK_DEFINITION_REF_HELP)
  .transform((value, ctx): TaskDefinitionRef => {
    const ref = parseTaskDefinitionRef(value);
    if (ref === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${value.slice(0, 300)}" is not a task definition reference. ${TASK_DEFINITION_REF_HELP}` });
      return z.NEVER;
    }
    return ref;
  });

/** A task definition with an explicit revision (`family:revision` or the ARN), as DeregisterTaskDefinition and DeleteTaskDefinitions need. */
export const taskDefinitionRevisionRefSchema = taskDefinitionRefSchema.transform((ref, ctx): Required<TaskDefinitionRef> => {
  if (ref.revision === undefined) {
    ctx.addIssue({ code: 'custom', message: `Name the revision explicitly, e.g. "${ref.family}:1" or the full ARN: ECS does not deregister or delete by family alone` });
    return z.NEVER;
  }
  return { family: ref.family, revision: ref.revision };
});

export const describeTaskDefinitionRequestSchema = z
  .object({
    taskDefinition: taskDefinitionRefSchema,
    include: z.array(z.literal('TAGS')).optional(),
  })
  .strict();

/** DescribeTaskDefinition's query: `include=TAGS`, once or repeated. */
export const describeTaskDefinitionQuerySchema = z
  .object({ include: z.union([z.string(), z.array(z.string())]).optional() })
  .strict()
  .transform((q) => (q.include === undefined ? {} : { include: Array.isArray(q.include) ? q.include : [q.include] }));

export type DescribeTaskDefinitionRequest = z.output<typeof describeTaskDefinitionRequestSchema>;

export const deregisterTaskDefinitionRequestSchema = z.object({ taskDefinition: taskDefinitionRevisionRefSchema }).strict();

export type DeregisterTaskDefinitionRequest = z.output<typeof deregisterTaskDefinitionRequestSchema>;

export const deleteTaskDefinitionsRequestSchema = z
  .object({
    taskDefinitions: z
      .array(taskDefinitionRevisionRefSchema)
      .min(1, 'Name at least one task definition revision')
      .max(MAX_DELETE_TASK_DEFINITIONS, `At most ${MAX_DELETE_TASK_DEFINITIONS} task definitions per call`),
  })
  .strict();

export type DeleteTaskDefinitionsRequest = z.output<typeof deleteTaskDefinitionsRequestSchema>;

const familyPrefixSchema = z.string().max(255, 'A family prefix has at most 255 characters');
const maxResultsSchema = z.coerce.number().int().min(1).max(MAX_LIST_TASK_DEFINITIONS).default(MAX_LIST_TASK_DEFINITIONS);

export const listTaskDefinitionsRequestSchema = z
  .object({
    familyPrefix: familyPrefixSchema.optional(),
    status: z.enum(TASK_DEFINITION_STATUSES).default('ACTIVE'),
    sort: z.enum(['ASC', 'DESC']).default('ASC'),
    maxResults: maxResultsSchema,
    nextToken: z.string().optional(),
  })
  .strict();

export type ListTaskDefinitionsRequest = z.output<typeof listTaskDefinitionsRequestSchema>;

export const listTaskDefinitionFamiliesRequestSchema = z
  .object({
    familyPrefix: familyPrefixSchema.optional(),
    // ECS: both ACTIVE and INACTIVE families unless asked.
    status: z.enum(['ACTIVE', 'INACTIVE', 'ALL']).default('ALL'),
    maxResults: maxResultsSchema,
    nextToken: z.string().optional(),
  })
  .strict();

export type ListTaskDefinitionFamiliesRequest = z.output<typeof listTaskDefinitionFamiliesRequestSchema>;

type ContainerDefinition = RegisterTaskDefinitionRequest['containerDefinitions'][number];

/** A container definition as ECS returns it: as registered, with ECS's empty defaults filled in. */
export type ContainerDefinitionView = ContainerDefinition & { cpu: number; mountPoints: unknown[]; volumesFrom: unknown[] };

/** A task definition in ECS's response shape (`tags` are returned beside it, not in it). */
export type TaskDefinitionView = Omit<RegisterTaskDefinitionRequest, 'tags' | 'volumes' | 'containerDefinitions'> & {
  taskDefinitionArn: string;
  revision: number;
  status: TaskDefinitionStatus;
  containerDefinitions: ContainerDefinitionView[];
  volumes: unknown[];
  requiresAttributes: { name: string; value?: string; targetType?: string; targetId?: string }[];
  compatibilities: string[];
  registeredAt: string;
  registeredBy: string;
  deregisteredAt?: string;
  deleteRequestedAt?: string;
};

type Tag = { key: string; value: string };

/** What RegisterTaskDefinition returns. `unsupportedFields` is Wharf's: what it keeps but does not act on yet. */
export interface RegisterTaskDefinitionResult {
  taskDefinition: TaskDefinitionView;
  tags: Tag[];
  unsupportedFields: UnsupportedField[];
}

/** What DescribeTaskDefinition returns; `tags` only when asked for with include=TAGS, as in ECS. */
export interface DescribeTaskDefinitionResult {
  taskDefinition: TaskDefinitionView;
  tags?: Tag[];
  unsupportedFields: UnsupportedField[];
}
