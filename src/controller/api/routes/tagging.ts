/**
 * ECS tagging: POST /v1/tags (TagResource), POST /v1/tags/delete (UntagResource), GET /v1/tags
 * (ListTagsForResource, `?resourceArn=`), on clusters, services, tasks, task definitions and
 * container instances.
 */
import { parseInput } from '../../../model/validation.js';
import { listTagsForResourceRequestSchema, tagResourceRequestSchema, untagResourceRequestSchema } from '../../../model/api/tagging.js';
import { listTagsForResource, tagResource, untagResource } from '../../services/tagging.js';
import type { RouteHandlers } from '../handlers.js';
import type { ApiContext } from '../route-context.js';

export function taggingRoutes(ctx: ApiContext): RouteHandlers {
  const meta = (requestId: string) => ({ requestId, now: Date.now() });
  return {
    'POST /v1/tags': async ({ body }, id) => tagResource(ctx.store, parseInput(tagResourceRequestSchema, body, 'TagResource request'), meta(id)),
    'POST /v1/tags/delete': async ({ body }, id) => untagResource(ctx.store, parseInput(untagResourceRequestSchema, body, 'UntagResource request'), meta(id)),
    'GET /v1/tags': async ({ query }) => listTagsForResource(ctx.store, ctx.arnScope, parseInput(listTagsForResourceRequestSchema, query, 'ListTagsForResource query')),
  };
}
