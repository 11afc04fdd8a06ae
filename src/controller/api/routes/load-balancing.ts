/**
 * ELBv2 on the router: POST /v1/elbv2/<Operation> with AWS's PascalCase JSON (load balancers and
 * their attributes, target groups and their attributes, targets and their health, listeners,
 * rules and their priorities, tags);
 * and the routers' side: GET /v1/router/table (long poll) and POST /v1/router/health, both with the
 * cluster's join token as bearer.
 */
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { wharfError } from '../../../model/errors.js';
import type { TargetHealthDescription } from '../../../model/routing.js';
import { parseInput } from '../../../model/validation.js';
import { isBearer } from '../../../secrets.js';
import {
  createListener,
  createRule,
  deleteListener,
  describeTargetGroupAttributes,
  modifyListener,
  setRulePriorities,
  createTargetGroup,
  deleteRule,
  deleteTargetGroup,
  deregisterTargets,
  describeListeners,
  describeRules,
  describeTargetGroups,
  describeTargetHealth,
  modifyRule,
  modifyTargetGroup,
  modifyTargetGroupAttributes,
  registerTargets,
} from '../../load-balancing/elbv2.js';
import type { LoadBalancingContext } from '../../load-balancing/elbv2.js';
import {
  addTags,
  createLoadBalancer,
  deleteLoadBalancer,
  describeLoadBalancerAttributes,
  describeLoadBalancers,
  describeTags,
  modifyLoadBalancerAttributes,
  removeTags,
} from '../../load-balancing/load-balancers.js';
import { currentTargets } from '../../load-balancing/routing-table.js';
import { bodyOperation } from '../handlers.js';
import type { RouteHandler, RouteHandlers } from '../handlers.js';
import type { ApiContext } from '../route-context.js';
import { requestAbort } from '../route-context.js';
import { ELBV2_API } from '../../../model/api/load-balancing.js';
import { routerHealthReportSchema, routingTableQuerySchema } from '../../../model/routing.js';

/** The ELBv2 operations, by native route. */
export function loadBalancingRoutes(ctx: ApiContext): RouteHandlers {
  const lb: LoadBalancingContext = {
    store: ctx.store,
    arnScope: ctx.arnScope,
    health: ctx.targetHealth,
    routers: ctx.routers,
    routerHost: ctx.routerHost,
    changed: () => ctx.routingTables.changed(),
  };
  const meta = (id: string) => ({ requestId: id, now: Date.now() });
  const handlers: Record<string, RouteHandler> = {};
  const op = <N extends keyof typeof ELBV2_API>(name: N, run: (body: z.output<(typeof ELBV2_API)[N]['request']>, requestId: string) => Promise<unknown>) => {
    handlers[ELBV2_API[name].route] = bodyOperation(name, ELBV2_API[name].request, run);
  };

  op('CreateTargetGroup', (b, id) => createTargetGroup(lb, b, meta(id)));
  op('DescribeTargetGroups', (b) => describeTargetGroups(lb, b));
  op('ModifyTargetGroup', (b, id) => modifyTargetGroup(lb, b, meta(id)));
  op('ModifyTargetGroupAttributes', (b, id) => modifyTargetGroupAttributes(lb, b, meta(id)));
  op('RegisterTargets', (b, id) => registerTargets(lb, b, meta(id)));
  op('DeregisterTargets', (b, id) => deregisterTargets(lb, b, meta(id)));
  op('DescribeTargetHealth', async (b) => {
    const all = await currentTargets(ctx.store);
    return describeTargetHealth(lb, b, async (group) => all.get(group.arn) ?? []);
  });
  op('CreateListener', (b, id) => createListener(lb, b, meta(id)));
  op('DescribeListeners', (b) => describeListeners(lb, b));
  op('ModifyListener', (b, id) => modifyListener(lb, b, meta(id)));
  op('DeleteListener', (b, id) => deleteListener(lb, b, meta(id)));
  op('CreateRule', (b, id) => createRule(lb, b, meta(id)));
  op('ModifyRule', (b, id) => modifyRule(lb, b, meta(id)));
  op('DescribeRules', (b) => describeRules(lb, b));
  op('DeleteRule', (b, id) => deleteRule(lb, b, meta(id)));
  op('DeleteTargetGroup', (b, id) => deleteTargetGroup(lb, b, meta(id)));
  op('DescribeTargetGroupAttributes', (b) => describeTargetGroupAttributes(lb, b));
  op('SetRulePriorities', (b, id) => setRulePriorities(lb, b, meta(id)));
  op('CreateLoadBalancer', (b, id) => createLoadBalancer(lb, b, meta(id)));
  op('DescribeLoadBalancers', (b) => describeLoadBalancers(lb, b));
  op('DeleteLoadBalancer', (b, id) => deleteLoadBalancer(lb, b, meta(id)));
  op('DescribeLoadBalancerAttributes', (b) => describeLoadBalancerAttributes(lb, b));
  op('ModifyLoadBalancerAttributes', (b, id) => modifyLoadBalancerAttributes(lb, b, meta(id)));
  op('AddTags', (b, id) => addTags(lb, b, meta(id)));
  op('RemoveTags', (b, id) => removeTags(lb, b, meta(id)));
  op('DescribeTags', (b) => describeTags(lb, b));
  return handlers;
}

/** The routers' side: the routing table (long poll) and their health reports, with the join token as bearer. */
export function registerRouterRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const requireRouter = (authorization: string | undefined): void => {
    if (!isBearer(authorization, ctx.joinToken)) throw wharfError('WHARF_E_UNAUTHORIZED', { reason: 'routers present the join token as a bearer token' });
  };
  app.get('/v1/router/table', async (request) => {
    requireRouter(request.headers.authorization);
    const query = parseInput(routingTableQuerySchema, request.query, 'routing table query');
    const abort = requestAbort(request.raw, ctx.shutdown);
    try {
      return await ctx.routingTables.wait(query.version, query.waitMs, abort.signal);
    } finally {
      abort.release();
    }
  });
  app.post('/v1/router/health', async (request) => {
    requireRouter(request.headers.authorization);
    const report = parseInput(routerHealthReportSchema, request.body, 'target health report');
    ctx.targetHealth.report(report.targets as TargetHealthDescription[], Date.now());
    if (report.listeners) ctx.routers.report(report.listeners.flatMap((l) => (l.arn ? [l.arn] : [])), request.ip, Date.now());
    if (report.requests) {
      const byName = new Map((await ctx.store.loadBalancing.targetGroups()).map((g) => [g.name, g.arn]));
      const totals: Record<string, { requests: number; errors5xx?: number; secondsSum?: number }> = {};
      for (const [name, total] of Object.entries(report.requests.byTargetGroup)) {
        const arn = byName.get(name);
        if (arn) totals[arn] = { requests: total, errors5xx: report.requests.errorsByTargetGroup?.[name], secondsSum: report.requests.secondsByTargetGroup?.[name] };
      }
      ctx.requests.record(totals, report.requests.at);
      if (report.requests.byTarget) ctx.requests.recordTargets(report.requests.byTarget, report.requests.at);
    }
    ctx.wakeServices();
    return {};
  });
}
