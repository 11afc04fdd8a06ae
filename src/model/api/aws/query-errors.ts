/**
 * The Query protocol's column of the AWS error tables: for each code of the error catalogue
 * (`model/errors.ts`), the error code Elastic Beanstalk, ELBv2, IAM and STS answer it with
 * (`ErrorResponse/Error/Code`), as their models name them (an exception's `error.code`) or as
 * the Query protocol's common errors do (`InvalidParameterValue`, `ValidationError`,
 * `InvalidAction`, `InvalidClientTokenId`, …). The compiler refuses a code without a row;
 * `test/aws/query-model.test.ts` walks the catalogue and checks each name against the models.
 *
 * The status follows the name: the model's `httpStatusCode` where it names one, 403 for the
 * authentication and access errors, the catalogue's 5xx for the service's own failures
 * (`Receiver`), 400 otherwise.
 */
import type { ErrorCode } from '../../errors.js';
import { ERROR_CATALOGUE } from '../../errors.js';
import type { AwsQueryService } from './query-protocol.js';

/** One row: the error code of each Query service for one catalogue code. */
export type QueryErrorNames = Readonly<Record<AwsQueryService, string>>;

/** The codes STS answers that IAM's column may name: its model's (MalformedPolicyDocument) and the protocol's common ones; any other IAM code is STS's ValidationError. */
const STS_NAMES: ReadonlySet<string> = new Set(['MalformedPolicyDocument', 'AccessDenied', 'IncompleteSignature', 'InternalFailure', 'InvalidAction', 'InvalidClientTokenId', 'MalformedQueryString', 'MissingAuthenticationToken', 'RequestExpired', 'ServiceUnavailable', 'SignatureDoesNotMatch', 'ValidationError', 'ExpiredToken']);

/** A row; STS's code is IAM's where STS has it, else ValidationError (STS has few errors of its own). */
const row = (elasticbeanstalk: string, elasticloadbalancing: string, iam: string, sts = STS_NAMES.has(iam) ? iam : 'ValidationError'): QueryErrorNames => ({ elasticbeanstalk, elasticloadbalancing, iam, sts });
const same = (name: string): QueryErrorNames => row(name, name, name, name);

/** A parameter's value is wrong: EB's InvalidParameterValue, ELBv2's and IAM's ValidationError. */
const INVALID = row('InvalidParameterValue', 'ValidationError', 'ValidationError');
/** The service failed. */
const SERVER = same('InternalFailure');
/** The service is not serving now (a standby, a dependency down). */
const UNAVAILABLE = same('ServiceUnavailable');

/** Each catalogue code's error code per Query service. */
export const QUERY_ERRORS: { readonly [C in ErrorCode]: QueryErrorNames } = {
  WHARF_E_VALIDATION: INVALID,
  WHARF_E_MALFORMED_JSON: same('MalformedQueryString'),
  WHARF_E_BODY_TOO_LARGE: INVALID,
  WHARF_E_UNSUPPORTED_MEDIA_TYPE: same('MalformedQueryString'),
  WHARF_E_ROUTE_NOT_FOUND: same('InvalidAction'),
  WHARF_E_UNKNOWN_OPERATION: same('InvalidAction'),
  WHARF_E_INVALID_CONFIGURATION: row('ConfigurationValidationException', 'ValidationError', 'ValidationError'),
  WHARF_E_NOT_YET_SUPPORTED: row('InvalidParameterValue', 'OperationNotPermitted', 'ValidationError'),
  WHARF_E_PLATFORM_UNDETECTED: INVALID,
  WHARF_E_PROCFILE_INVALID: INVALID,
  WHARF_E_BUILD_FAILED: INVALID,
  WHARF_E_BUNDLE_INVALID: INVALID,
  WHARF_E_BUNDLE_TOO_LARGE: INVALID,
  WHARF_E_CLUSTER_NOT_FOUND: INVALID,
  WHARF_E_DEFAULT_CLUSTER_PROTECTED: INVALID,
  WHARF_E_TASK_DEFINITION_NOT_FOUND: INVALID,
  WHARF_E_TASK_DEFINITION_TOO_LARGE: INVALID,
  WHARF_E_STANDBY: UNAVAILABLE,
  WHARF_E_HOST_NOT_ALLOWED: INVALID,
  WHARF_E_PORT_IN_USE: SERVER,
  WHARF_E_INTERNAL: SERVER,
  WHARF_E_SCHEMA_TOO_NEW: SERVER,
  WHARF_E_DATA_DIR_NOT_WRITABLE: SERVER,
  WHARF_E_DATA_DIR_LOCKED: SERVER,
  WHARF_E_DATABASE_URL_INVALID: SERVER,
  WHARF_E_DATABASE_UNREACHABLE: UNAVAILABLE,
  WHARF_E_CONTROLLER_UNREACHABLE: UNAVAILABLE,
  WHARF_E_USAGE: INVALID,
  WHARF_E_CONTAINER_NOT_FOUND: INVALID,
  WHARF_E_CONTAINER_NOT_RUNNING: INVALID,
  WHARF_E_IMAGE_NOT_FOUND: INVALID,
  WHARF_E_CONTAINER_START_FAILED: INVALID,
  WHARF_E_HOST_PORT_IN_USE: INVALID,
  WHARF_E_DRIVER_IMAGE_UNSUPPORTED: INVALID,
  WHARF_E_DOCKER_UNREACHABLE: UNAVAILABLE,
  WHARF_E_UNAUTHORIZED: same('AccessDenied'),
  WHARF_E_CONTAINER_INSTANCE_NOT_FOUND: INVALID,
  WHARF_E_TASK_NOT_FOUND: INVALID,
  WHARF_E_TASK_DEFINITION_INACTIVE: INVALID,
  WHARF_E_AGENT_UNREACHABLE: UNAVAILABLE,
  WHARF_E_TASK_LOGS_NOT_FOUND: INVALID,
  WHARF_E_CLUSTER_NOT_EMPTY: INVALID,
  WHARF_E_SERVICE_NOT_FOUND: INVALID,
  WHARF_E_SERVICE_EXISTS: INVALID,
  // An environment is a service of its cluster: its quota is EB's limit on environments.
  WHARF_E_QUOTA_EXCEEDED: row('TooManyEnvironmentsException', 'ValidationError', 'LimitExceeded'),
  WHARF_E_SERVICE_NOT_SCALED_DOWN: INVALID,
  WHARF_E_DEPLOYMENT_BOUNDS: INVALID,
  WHARF_E_ROUTER_NO_ROUTE: INVALID,
  WHARF_E_ROUTER_NO_HEALTHY_TARGET: UNAVAILABLE,
  WHARF_E_ROUTER_BAD_GATEWAY: UNAVAILABLE,
  WHARF_E_ROUTER_GATEWAY_TIMEOUT: UNAVAILABLE,
  WHARF_E_HAPROXY_NOT_INSTALLED: SERVER,
  WHARF_E_HAPROXY_FAILED: SERVER,
  WHARF_E_TARGET_GROUP_NOT_FOUND: row('InvalidParameterValue', 'TargetGroupNotFound', 'ValidationError'),
  WHARF_E_TARGET_GROUP_EXISTS: row('InvalidParameterValue', 'DuplicateTargetGroupName', 'ValidationError'),
  WHARF_E_TARGET_GROUP_IN_USE: row('InvalidParameterValue', 'ResourceInUse', 'ValidationError'),
  WHARF_E_LISTENER_EXISTS: row('InvalidParameterValue', 'DuplicateListener', 'ValidationError'),
  WHARF_E_LISTENER_NOT_FOUND: row('InvalidParameterValue', 'ListenerNotFound', 'ValidationError'),
  WHARF_E_RULE_NOT_FOUND: row('InvalidParameterValue', 'RuleNotFound', 'ValidationError'),
  WHARF_E_RULE_CONFLICT: row('InvalidParameterValue', 'PriorityInUse', 'ValidationError'),
  // Elastic Beanstalk answers a missing or existing application, version, environment or
  // template with InvalidParameterValue ("No Application named 'x' found.").
  WHARF_E_APPLICATION_NOT_FOUND: INVALID,
  WHARF_E_APPLICATION_EXISTS: INVALID,
  WHARF_E_APPLICATION_IN_USE: INVALID,
  WHARF_E_VERSION_NOT_FOUND: INVALID,
  WHARF_E_VERSION_EXISTS: INVALID,
  WHARF_E_VERSION_IN_USE: INVALID,
  WHARF_E_SOURCE_BUNDLE_NOT_FOUND: INVALID,
  WHARF_E_ENVIRONMENT_NOT_FOUND: INVALID,
  WHARF_E_ENVIRONMENT_EXISTS: INVALID,
  WHARF_E_CNAME_TAKEN: INVALID,
  WHARF_E_OPERATION_IN_PROGRESS: row('OperationInProgressFailure', 'ValidationError', 'ValidationError'),
  WHARF_E_CNAME_SWAP_REFUSED: INVALID,
  WHARF_E_NO_ABORTABLE_OPERATION: INVALID,
  WHARF_E_TEMPLATE_NOT_FOUND: INVALID,
  WHARF_E_TEMPLATE_EXISTS: INVALID,
  WHARF_E_SCALABLE_TARGET_NOT_FOUND: INVALID,
  WHARF_E_MISSING_AUTHENTICATION_TOKEN: same('MissingAuthenticationToken'),
  WHARF_E_INCOMPLETE_SIGNATURE: same('IncompleteSignature'),
  WHARF_E_INVALID_CLIENT_TOKEN_ID: same('InvalidClientTokenId'),
  WHARF_E_SIGNATURE_DOES_NOT_MATCH: same('SignatureDoesNotMatch'),
  WHARF_E_REQUEST_EXPIRED: same('RequestExpired'),
  WHARF_E_ACCESS_DENIED: same('AccessDenied'),
  WHARF_E_EXPIRED_TOKEN: same('ExpiredToken'),
  WHARF_E_INVALID_SECURITY_TOKEN: same('InvalidClientTokenId'),
  WHARF_E_ARTIFACT_QUOTA_EXCEEDED: row('TooManyApplicationVersionsException', 'ValidationError', 'LimitExceeded'),
  WHARF_E_PAYLOAD_HASH_MISMATCH: same('SignatureDoesNotMatch'),
  WHARF_E_PAYLOAD_SIGNING_UNSUPPORTED: INVALID,
  WHARF_E_CHUNK_SIGNATURE_DOES_NOT_MATCH: same('SignatureDoesNotMatch'),
  WHARF_E_CHUNKED_BODY_MALFORMED: same('MalformedQueryString'),
  WHARF_E_INCOMPLETE_BODY: same('MalformedQueryString'),
  WHARF_E_CHECKSUM_MISMATCH: same('SignatureDoesNotMatch'),
  WHARF_E_NO_CREDENTIALS: same('MissingAuthenticationToken'),
  WHARF_E_NO_SUCH_ENTITY: row('InvalidParameterValue', 'ValidationError', 'NoSuchEntity'),
  WHARF_E_ENTITY_ALREADY_EXISTS: row('InvalidParameterValue', 'ValidationError', 'EntityAlreadyExists'),
  WHARF_E_IAM_LIMIT_EXCEEDED: row('InvalidParameterValue', 'ValidationError', 'LimitExceeded'),
  WHARF_E_DELETE_CONFLICT: row('InvalidParameterValue', 'ValidationError', 'DeleteConflict'),
  WHARF_E_LAST_ROOT_KEY: row('InvalidParameterValue', 'ValidationError', 'DeleteConflict'),
  WHARF_E_MALFORMED_POLICY_DOCUMENT: row('InvalidParameterValue', 'ValidationError', 'MalformedPolicyDocument'),
  WHARF_E_POLICY_TOO_LARGE: row('InvalidParameterValue', 'ValidationError', 'LimitExceeded'),
  // S3's own errors: no Query call meets them but EB's, which names a bundle by its bucket and key.
  WHARF_E_NO_SUCH_BUCKET: INVALID,
  WHARF_E_NO_SUCH_KEY: INVALID,
  WHARF_E_BUCKET_EXISTS: INVALID,
  WHARF_E_BUCKET_NOT_EMPTY: INVALID,
  WHARF_E_INVALID_BUCKET_NAME: INVALID,
  WHARF_E_TOO_MANY_BUCKETS: row('TooManyBucketsException', 'ValidationError', 'LimitExceeded'),
  WHARF_E_KEY_TOO_LONG: INVALID,
  WHARF_E_NO_SUCH_UPLOAD: INVALID,
  WHARF_E_INVALID_PART: INVALID,
  WHARF_E_INVALID_PART_ORDER: INVALID,
  WHARF_E_ENTITY_TOO_SMALL: INVALID,
  WHARF_E_BAD_DIGEST: INVALID,
  WHARF_E_INVALID_DIGEST: INVALID,
  WHARF_E_INVALID_RANGE: INVALID,
  WHARF_E_MALFORMED_XML: same('MalformedQueryString'),
  WHARF_E_S3_NOT_IMPLEMENTED: same('InvalidAction'),
  WHARF_E_SCALING_OBJECT_NOT_FOUND: INVALID,
  WHARF_E_RESOURCE_NOT_FOUND: row('ResourceNotFoundException', 'ValidationError', 'NoSuchEntity'),
  WHARF_E_RESOURCE_TYPE_NOT_SUPPORTED: row('ResourceTypeNotSupportedException', 'ValidationError', 'ValidationError'),
  WHARF_E_TOO_MANY_TAGS: row('TooManyTagsException', 'TooManyTags', 'LimitExceeded'),
  WHARF_E_ATTRIBUTE_TARGET_NOT_FOUND: INVALID,
  WHARF_E_ATTRIBUTE_LIMIT_EXCEEDED: INVALID,
  // The CLI's own (a waiter gave up): never an answer of the API.
  WHARF_E_WAITER_FAILED: INVALID,
  WHARF_E_LOAD_BALANCER_NOT_FOUND: row('InvalidParameterValue', 'LoadBalancerNotFound', 'ValidationError'),
  WHARF_E_LOAD_BALANCER_EXISTS: row('InvalidParameterValue', 'DuplicateLoadBalancerName', 'ValidationError'),
  WHARF_E_DELETION_PROTECTED: row('InvalidParameterValue', 'OperationNotPermitted', 'ValidationError'),
  WHARF_E_DUPLICATE_TAG_KEYS: row('InvalidParameterValue', 'DuplicateTagKeys', 'ValidationError'),
};

/** Statuses that are not 400, by error code (the models' `httpStatusCode`, the protocol's authentication errors). */
const STATUS: Readonly<Record<string, number>> = {
  MissingAuthenticationToken: 403,
  InvalidClientTokenId: 403,
  ExpiredToken: 403,
  SignatureDoesNotMatch: 403,
  AccessDenied: 403,
  InsufficientPrivilegesException: 403,
  NoSuchEntity: 404,
  EntityAlreadyExists: 409,
  LimitExceeded: 409,
  DeleteConflict: 409,
  InvalidAction: 400,
};

/** The codes that mean "the service failed" (`Receiver`, retried by the SDKs). */
const SERVER_CODES: ReadonlySet<string> = new Set(['InternalFailure', 'ServiceUnavailable']);

/** The error code, fault and HTTP status a catalogue error is answered with by a Query service. */
export function queryErrorOf(code: ErrorCode, service: AwsQueryService): { readonly code: string; readonly fault: 'Sender' | 'Receiver'; readonly status: number } {
  const name = QUERY_ERRORS[code][service];
  if (SERVER_CODES.has(name)) return { code: name, fault: 'Receiver', status: Math.max(ERROR_CATALOGUE[code].status, 500) };
  return { code: name, fault: 'Sender', status: STATUS[name] ?? 400 };
}
