/**
 * The Query protocol's operations (Elastic Beanstalk, ELBv2, IAM, STS): a form's `Version` names the
 * service, its `Action` the operation, whose native route (`POST /v1/<area>/<Action>`) its table names. The
 * form is decoded once, as the body is read, into the JSON the native route takes, guided by the
 * route's request schema (`decodeQuery`); the fields of the AWS model that Wharf does not act on
 * are dropped first. See README.md.
 */
import type { AwsQueryService, AwsQueryServiceSpec } from '../../../model/api/aws/query-protocol.js';
import { AWS_QUERY_SERVICES, decodeQuery, parseQueryForm } from '../../../model/api/aws/query-protocol.js';
import type { FieldError, WharfError } from '../../../model/errors.js';
import { wharfError } from '../../../model/errors.js';
import { IAM_API } from '../../../model/api/iam.js';
import { ELBV2_API } from '../../../model/api/load-balancing.js';
import type { ApiOperations } from '../../../model/api/operation.js';
import { ELASTIC_BEANSTALK_API } from '../../../model/api/platform.js';
import { STS_API } from '../../../model/api/sts.js';
import type { RouteHandlers } from '../handlers.js';

/**
 * Each Query service's operations, as the model's tables have them (`model/api/operation.ts`):
 * the native route, the request schema the form is decoded by, and the fields of the AWS model
 * Wharf accepts and does not act on (dropped before the native route parses the rest, which would
 * refuse them as unknown; `test/aws/query-model.test.ts` keeps those lists exact).
 */
export const QUERY_OPERATIONS: Readonly<Record<AwsQueryService, ApiOperations>> = {
  elasticbeanstalk: ELASTIC_BEANSTALK_API,
  elasticloadbalancing: ELBV2_API,
  iam: IAM_API,
  sts: STS_API,
};

/** How long Elastic Beanstalk's DescribeEnvironments goes on answering a terminated environment by default (EB's hour). */
export const TERMINATED_SHOWN_MS = 60 * 60_000;

/**
 * Defaults of the AWS APIs that differ from the native routes', supplied for a Query call when its
 * form leaves the field out. DescribeEnvironments: Elastic Beanstalk answers the environments
 * terminated within the last hour too unless IncludeDeleted is false, and the AWS CLI's
 * `environment-terminated` waiter reads them there; the native route (the `wharf` CLI's) answers
 * live environments unless IncludeDeleted is given.
 */
export const QUERY_DEFAULTS: Readonly<Record<AwsQueryService, Readonly<Record<string, (input: Record<string, unknown>, now: number) => Record<string, unknown>>>>> = {
  elasticbeanstalk: {
    DescribeEnvironments: (input, now) =>
      input.IncludeDeleted === undefined ? { ...input, IncludeDeleted: true, IncludedDeletedBackTo: input.IncludedDeletedBackTo ?? new Date(now - TERMINATED_SHOWN_MS).toISOString() } : input,
  },
  elasticloadbalancing: {},
  iam: {},
  sts: {},
};

/** A Query operation Wharf has, with its input as the native route takes it. */
export interface QueryOperation {
  readonly service: AwsQueryServiceSpec;
  /** The native route's key (`POST /v1/elasticbeanstalk/CreateApplication`). */
  readonly route: string;
  readonly input: Record<string, unknown>;
  /** Parameters that fit no field of the operation: refused after the call is authorised, as the native route refuses unknown fields. */
  readonly errors: readonly FieldError[];
}

const QUERY_BODY = Symbol('query body');

/** A Query request's body, read once: its service, action, version, and the operation or why there is none. */
export interface QueryBody {
  readonly [QUERY_BODY]: true;
  readonly service: AwsQueryServiceSpec | undefined;
  readonly action: string;
  readonly version: string;
  readonly operation: QueryOperation | { readonly error: WharfError };
}

export function isQueryBody(value: unknown): value is QueryBody {
  return typeof value === 'object' && value !== null && QUERY_BODY in value;
}

const ACTION = /^[A-Za-z0-9]{1,128}$/;

/** The service a form's `Version` names. */
function serviceOfVersion(version: string): AwsQueryServiceSpec | undefined {
  return Object.values(AWS_QUERY_SERVICES).find((service) => service.version === version);
}

/** Reads a Query request's form: never throws; what is wrong is kept as the operation's error, raised once the call's signature is checked. */
export function parseQueryBody(text: string, handlers: RouteHandlers): QueryBody {
  const form = parseQueryForm(text);
  const action = form.params.get('Action') ?? '';
  const version = form.params.get('Version') ?? '';
  const service = serviceOfVersion(version);
  const body = (operation: QueryBody['operation']): QueryBody => ({ [QUERY_BODY]: true, service, action, version, operation });
  const unknown = (reason: string) => body({ error: wharfError('WHARF_E_UNKNOWN_OPERATION', { target: reason }) });
  if (!service) return unknown(version === '' ? `${action || 'a request'} without a Version (the Query protocol's API version, e.g. 2010-12-01 for Elastic Beanstalk)` : `${action || 'a request'} of the API version ${version.slice(0, 32)}`);
  if (!ACTION.test(action)) return unknown(action === '' ? `a ${service.service} request without an Action` : `${action.slice(0, 128)} (not an action name)`);
  const operation = Object.hasOwn(QUERY_OPERATIONS[service.service], action) ? QUERY_OPERATIONS[service.service][action] : undefined;
  if (!operation || !Object.hasOwn(handlers, operation.route)) return unknown(`${action} (${service.service} ${service.version})`);
  const route = operation.route;
  const decoded = decodeQuery(form.params, operation.request, operation.notActedOn ?? []);
  const defaults = Object.hasOwn(QUERY_DEFAULTS[service.service], action) ? QUERY_DEFAULTS[service.service][action] : undefined;
  return body({ service, route, input: defaults ? defaults(decoded.input, Date.now()) : decoded.input, errors: [...form.refused, ...decoded.errors] });
}
