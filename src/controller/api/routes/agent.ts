/**
 * The agent protocol: POST /v1/agent/register, GET /v1/agent/desired (long poll), POST /v1/agent/report.
 * Every call but register is authenticated with the agent's credential.
 */
import type { FastifyInstance } from 'fastify';
import { agentReportSchema, desiredStateQuerySchema, registerAgentRequestSchema } from '../../../model/agent-protocol.js';
import { parseInput } from '../../../model/validation.js';
import { applyAgentReport, desiredState } from '../../compute/agents.js';
import { authenticateAgent, registerAgent } from '../../compute/container-instances.js';
import type { ApiContext } from '../route-context.js';
import { requestAbort } from '../route-context.js';

export function registerAgentRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post('/v1/agent/register', async (request) =>
    registerAgent(ctx, parseInput(registerAgentRequestSchema, request.body, 'agent registration'), { requestId: request.id, now: Date.now() }),
  );

  app.get('/v1/agent/desired', async (request) => {
    const instance = await authenticateAgent(ctx.store, request.headers.authorization, { requestId: request.id, now: Date.now() });
    const query = parseInput(desiredStateQuerySchema, request.query, 'desired-state query');
    // Stop waiting if the agent goes away or the controller shuts down.
    const abort = requestAbort(request.raw, ctx.shutdown);
    try {
      return await desiredState(ctx.store, ctx.bus, instance.id, query.version, query.waitMs, abort.signal);
    } finally {
      abort.release();
    }
  });

  app.post('/v1/agent/report', async (request) => {
    const instance = await authenticateAgent(ctx.store, request.headers.authorization, { requestId: request.id, now: Date.now() });
    return applyAgentReport(ctx.store, instance, parseInput(agentReportSchema, request.body, 'agent report'), { requestId: request.id, now: Date.now() }, ctx.usage);
  });
}
