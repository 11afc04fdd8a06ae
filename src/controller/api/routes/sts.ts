/**
 * STS: POST /v1/sts/<Operation> with AWS's PascalCase JSON — AssumeRole and GetCallerIdentity,
 * both about the caller, whose principal comes from the verified signature.
 */
import type { z } from 'zod';
import { STS_API } from '../../../model/api/sts.js';
import type { RouteInput } from '../actions.js';
import { bodyOperation } from '../handlers.js';
import type { RouteHandler, RouteHandlers } from '../handlers.js';
import type { Identity } from '../../identity/identity.js';
import * as sts from '../../identity/sessions.js';

export function stsRoutes(identity: Identity): RouteHandlers {
  const handlers: Record<string, RouteHandler> = {};
  const op = <N extends keyof typeof STS_API>(name: N, run: (body: z.output<(typeof STS_API)[N]['request']>, id: string, input: RouteInput) => Promise<unknown>) => {
    handlers[STS_API[name].route] = bodyOperation(name, STS_API[name].request, run);
  };
  op('AssumeRole', (b, id, input) => sts.assumeRole(identity, b, input.caller, { requestId: id, now: Date.now() }, { sourceIp: input.sourceIp, secureTransport: input.secureTransport }));
  op('GetCallerIdentity', (_b, _id, input) => Promise.resolve(sts.getCallerIdentity(identity, input.caller)));
  return handlers;
}
