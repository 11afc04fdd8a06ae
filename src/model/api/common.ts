/**
 * Pieces shared by the API areas: how a cluster is named, ECS tags, and the failure entries of
 * ECS's Describe* responses.
 */
import { z } from 'zod';
import { clusterNameFrom } from '../arn.js';

/** ECS: up to 255 letters (upper or lower case), numbers, underscores and hyphens. */
export const clusterNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,255}$/, 'A cluster name has 1 to 255 letters, numbers, hyphens and underscores');

/** A cluster given by name or by ARN, as ECS accepts everywhere a cluster is named. */
export const clusterRefSchema = z
  .string()
  .min(1)
  .transform((value) => clusterNameFrom(value))
  .pipe(clusterNameSchema);

/** ECS tags: at most 50; keys 1-128 characters, values up to 256; the `aws:` prefix is reserved. */
export const tagsSchema = z
  .array(
    z
      .object({
        key: z.string().min(1).max(128).refine((k) => !k.toLowerCase().startsWith('aws:'), 'Tag keys starting with "aws:" are reserved'),
        value: z.string().max(256).default(''),
      })
      .strict(),
  )
  .max(50, 'At most 50 tags')
  .refine((tags) => new Set(tags.map((t) => t.key)).size === tags.length, 'Tag keys must be unique');

/** A time a request names: epoch seconds (the AWS JSON protocol sends numbers) or an ISO 8601 string; ms since the epoch. */
export const requestTimeSchema = z.union([z.number().nonnegative().transform((seconds) => Math.round(seconds * 1000)), z.iso.datetime({ offset: true }).transform((text) => Date.parse(text))]);

/** A failure entry as ECS's Describe* operations return them. */
export interface Failure {
  arn: string;
  reason: string;
  detail?: string;
}
