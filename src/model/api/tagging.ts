/**
 * ECS tagging: the requests of TagResource, UntagResource and ListTagsForResource, on the ARN of a
 * cluster, service, task, task definition or container instance.
 */
import { z } from 'zod';
import { tagsSchema } from './common.js';

const resourceArnSchema = z.string().min(1).max(1600).regex(/^arn:[^:]+:ecs:/, 'resourceArn is the ARN of an ECS cluster, service, task, task definition or container instance');

export const tagResourceRequestSchema = z.object({ resourceArn: resourceArnSchema, tags: tagsSchema.refine((tags) => tags.length > 0, 'Give at least one tag') }).strict();
export type TagResourceRequest = z.infer<typeof tagResourceRequestSchema>;

export const untagResourceRequestSchema = z
  .object({
    resourceArn: resourceArnSchema,
    tagKeys: z.array(z.string().min(1).max(128)).min(1, 'Give at least one tag key').max(50, 'At most 50 tag keys'),
  })
  .strict();
export type UntagResourceRequest = z.infer<typeof untagResourceRequestSchema>;

export const listTagsForResourceRequestSchema = z.object({ resourceArn: resourceArnSchema }).strict();
export type ListTagsForResourceRequest = z.infer<typeof listTagsForResourceRequestSchema>;
