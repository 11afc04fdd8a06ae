/**
 * The AWS JSON 1.1 protocol as ECS and Application Auto Scaling speak it: `POST /` with
 * `Content-Type: application/x-amz-json-1.1` and `X-Amz-Target: <prefix>.<Operation>`, a JSON body
 * of the operation's input, timestamps as epoch seconds, and errors as
 * `{"__type": "<ExceptionName>", "message": "…"}`. Pure: the controller's `api/aws/` serves it.
 */

/** The services Wharf answers in the JSON 1.1 protocol, by their SigV4 signing name. */
export type AwsJsonService = 'ecs' | 'application-autoscaling';

export interface AwsJsonServiceSpec {
  readonly service: AwsJsonService;
  /** What `X-Amz-Target` starts with (the model's `targetPrefix`). */
  readonly targetPrefix: string;
  /** The credential scope's service (the model's `signingName`, else `endpointPrefix`). */
  readonly signingName: string;
  /** The member of the model's exception shapes that holds the message (`message` for ECS, `Message` for Application Auto Scaling). */
  readonly messageMember: 'message' | 'Message';
}

export const AWS_JSON_SERVICES: Readonly<Record<AwsJsonService, AwsJsonServiceSpec>> = {
  ecs: { service: 'ecs', targetPrefix: 'AmazonEC2ContainerServiceV20141113', signingName: 'ecs', messageMember: 'message' },
  'application-autoscaling': { service: 'application-autoscaling', targetPrefix: 'AnyScaleFrontendService', signingName: 'application-autoscaling', messageMember: 'Message' },
};

/** The content type of requests and responses (the AWS SDKs and the CLI send it). */
export const AWS_JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

/** The path every JSON-protocol call is sent to. */
export const AWS_JSON_PATH = '/';

/** An `X-Amz-Target` as received: the service it names (undefined for a prefix Wharf does not serve) and the operation. */
export interface AwsTarget {
  readonly target: string;
  readonly service: AwsJsonServiceSpec | undefined;
  readonly operation: string;
}

const TARGET = /^([A-Za-z0-9_]{1,64})\.([A-Za-z0-9]{1,128})$/;

/** Reads an `X-Amz-Target` header; undefined when there is none. A malformed one names no service and no operation. */
export function parseTarget(header: unknown): AwsTarget | undefined {
  if (typeof header !== 'string' || header === '') return undefined;
  const target = header.slice(0, 256);
  const match = TARGET.exec(target);
  if (!match) return { target, service: undefined, operation: '' };
  const [, prefix, operation = ''] = match;
  return { target, service: Object.values(AWS_JSON_SERVICES).find((s) => s.targetPrefix === prefix), operation };
}

/** An ISO 8601 time as the JSON protocol's timestamp: seconds since the epoch, with milliseconds as a fraction. */
export function epochSeconds(iso: string): number | undefined {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

/**
 * `value` with the ISO strings at `paths` turned into epoch seconds. A path names members from the
 * response's top (`tasks[].containers[].startedAt`; `[]` walks each element of a list). Only those
 * places change: a map's keys (docker labels, log options) are never taken for timestamps.
 */
export function withEpochSeconds(value: unknown, paths: readonly string[]): unknown {
  let result = value;
  for (const path of paths) result = convertAt(result, path.split('.'));
  return result;
}

function convertAt(value: unknown, steps: readonly string[]): unknown {
  const [step, ...rest] = steps;
  if (step === undefined) return typeof value === 'string' ? (epochSeconds(value) ?? value) : value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const list = step.endsWith('[]');
  const name = list ? step.slice(0, -2) : step;
  const record = value as Record<string, unknown>;
  if (!(name in record)) return value;
  const member = record[name];
  const converted = list ? (Array.isArray(member) ? member.map((element) => convertAt(element, rest)) : member) : convertAt(member, rest);
  return { ...record, [name]: converted };
}

/** The body of an error answer: the exception's name as `__type` and its message under the model's member. */
export function jsonErrorBody(service: AwsJsonServiceSpec, exception: string, message: string): Record<string, string> {
  return { __type: exception, [service.messageMember]: message };
}
