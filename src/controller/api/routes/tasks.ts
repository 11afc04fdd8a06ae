/**
 * Tasks (ECS): POST /v1/tasks (RunTask), GET /v1/tasks (ListTasks), POST /v1/tasks/describe
 * (DescribeTasks), POST /v1/tasks/stop (StopTask), POST /v1/tasks/start (StartTask: RunTask on
 * named container instances).
 */
import type { FastifyInstance } from 'fastify';
import { parseInput } from '../../../model/validation.js';
import { describeTasksRequestSchema, listTasksRequestSchema, startTaskRequestSchema, stopTaskRequestSchema, taskLogsRequestSchema } from '../../../model/api/tasks.js';
import { checkedRunTaskRequestSchema, describeTasks, listTasks, runTask, startTask, stopTask } from '../../compute/tasks.js';
import { taskLogs } from '../../compute/logs.js';
import type { RouteHandlers } from '../handlers.js';
import type { ApiContext } from '../route-context.js';
import { requestAbort } from '../route-context.js';

export function taskRoutes(ctx: ApiContext): RouteHandlers {
  return {
    'POST /v1/tasks': async ({ body }, requestId) => runTask(ctx, parseInput(checkedRunTaskRequestSchema, body, 'RunTask request'), { requestId, now: Date.now() }),
    'GET /v1/tasks': async ({ query }) => listTasks(ctx.store, ctx.arnScope, parseInput(listTasksRequestSchema, query, 'ListTasks query')),
    'POST /v1/tasks/describe': async ({ body }) => describeTasks(ctx.store, ctx.arnScope, parseInput(describeTasksRequestSchema, body, 'DescribeTasks request')),
    'POST /v1/tasks/stop': async ({ body }, requestId) => stopTask(ctx, parseInput(stopTaskRequestSchema, body, 'StopTask request'), { requestId, now: Date.now() }),
    'POST /v1/tasks/start': async ({ body }, requestId) => startTask(ctx, parseInput(startTaskRequestSchema, body, 'StartTask request'), { requestId, now: Date.now() }),
  };
}

/** GET /v1/tasks/:task/logs: the task's container output as NDJSON, relayed from its agent (`follow=1` streams). */
export function registerTaskLogRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/v1/tasks/:task/logs', async (request, reply) => {
    const query = parseInput(taskLogsRequestSchema, request.query, 'task logs query');
    const abort = requestAbort(request.raw, ctx.shutdown);
    const stream = await taskLogs(ctx.store, ctx.joinToken, (request.params as { task: string }).task, query, abort.signal).catch((error: unknown) => {
      abort.release();
      throw error;
    });
    stream.once('close', abort.release);
    return reply.type('application/x-ndjson').send(stream);
  });
}
