/**
 * The one table of the AWS JSON protocol's exception names: for each code of the error catalogue
 * (`model/errors.ts`), the exception ECS and Application Auto Scaling answer it with, as their
 * models name them. The compiler checks that every code has a row and that every name is one the
 * service's model (or the JSON protocol itself) has; `error-names.test.ts` walks the catalogue
 * and checks the names against the AWS CLI's models.
 *
 * The status of an answer follows the name: a server exception keeps the catalogue's 5xx status,
 * every other exception is HTTP 400, as AWS's JSON services answer client errors.
 */
import type { ErrorCode } from '../../errors.js';
import { ERROR_CATALOGUE } from '../../errors.js';
import type { AwsJsonService } from './json-protocol.js';

/** Errors of the JSON protocol itself, which no service model lists (authentication, an unknown target, an unreadable body). */
export const JSON_PROTOCOL_EXCEPTIONS = [
  'UnknownOperationException',
  'SerializationException',
  'MissingAuthenticationTokenException',
  'IncompleteSignatureException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'AccessDeniedException',
  'ExpiredTokenException',
] as const;

/** ECS's exceptions (service-2.json, `ecs` 2014-11-13) that Wharf answers with. */
export const ECS_EXCEPTIONS = [
  'ClientException',
  'ServerException',
  'InvalidParameterException',
  'ClusterNotFoundException',
  'ClusterContainsContainerInstancesException',
  'ServiceNotFoundException',
  'LimitExceededException',
  'ResourceNotFoundException',
  'UnsupportedFeatureException',
  'AccessDeniedException',
  'TargetNotFoundException',
  'AttributeLimitExceededException',
] as const;

/** Application Auto Scaling's exceptions (`application-autoscaling` 2016-02-06) that Wharf answers with. */
export const AUTOSCALING_EXCEPTIONS = ['ValidationException', 'ObjectNotFoundException', 'LimitExceededException', 'InternalServiceException', 'ResourceNotFoundException'] as const;

type Protocol = (typeof JSON_PROTOCOL_EXCEPTIONS)[number];

/** One row: the exception of each JSON-protocol service for one catalogue code. */
export interface JsonExceptionNames {
  readonly ecs: (typeof ECS_EXCEPTIONS)[number] | Protocol;
  readonly 'application-autoscaling': (typeof AUTOSCALING_EXCEPTIONS)[number] | Protocol;
}

/** The exceptions that mean "the service failed" (retried by the SDKs), by service. */
export const SERVER_EXCEPTIONS: Readonly<Record<AwsJsonService, string>> = { ecs: 'ServerException', 'application-autoscaling': 'InternalServiceException' };

const row = (ecs: JsonExceptionNames['ecs'], autoscaling: JsonExceptionNames['application-autoscaling']): JsonExceptionNames => ({ ecs, 'application-autoscaling': autoscaling });

/** A request the service cannot take as it stands (the services' catch-alls). */
const CLIENT = row('ClientException', 'ValidationException');
/** A parameter of the request is wrong. */
const INVALID = row('InvalidParameterException', 'ValidationException');
/** The service failed, or is not serving now. */
const SERVER = row('ServerException', 'InternalServiceException');
/** Both services answer it with the JSON protocol's own name. */
const same = (name: Protocol): JsonExceptionNames => row(name, name);

/** Each catalogue code's exception per JSON-protocol service. */
export const JSON_EXCEPTIONS: { readonly [C in ErrorCode]: JsonExceptionNames } = {
  WHARF_E_VALIDATION: INVALID,
  WHARF_E_MALFORMED_JSON: same('SerializationException'),
  WHARF_E_BODY_TOO_LARGE: CLIENT,
  WHARF_E_UNSUPPORTED_MEDIA_TYPE: CLIENT,
  WHARF_E_ROUTE_NOT_FOUND: same('UnknownOperationException'),
  WHARF_E_UNKNOWN_OPERATION: same('UnknownOperationException'),
  WHARF_E_INVALID_CONFIGURATION: INVALID,
  WHARF_E_NOT_YET_SUPPORTED: row('UnsupportedFeatureException', 'ValidationException'),
  WHARF_E_PLATFORM_UNDETECTED: CLIENT,
  WHARF_E_PROCFILE_INVALID: CLIENT,
  WHARF_E_BUILD_FAILED: CLIENT,
  WHARF_E_BUNDLE_INVALID: CLIENT,
  WHARF_E_BUNDLE_TOO_LARGE: CLIENT,
  WHARF_E_CLUSTER_NOT_FOUND: row('ClusterNotFoundException', 'ValidationException'),
  WHARF_E_DEFAULT_CLUSTER_PROTECTED: CLIENT,
  // ECS: "ClientException: Unable to describe task definition."
  WHARF_E_TASK_DEFINITION_NOT_FOUND: CLIENT,
  WHARF_E_TASK_DEFINITION_TOO_LARGE: CLIENT,
  WHARF_E_STANDBY: SERVER,
  WHARF_E_HOST_NOT_ALLOWED: CLIENT,
  WHARF_E_PORT_IN_USE: SERVER,
  WHARF_E_INTERNAL: SERVER,
  WHARF_E_SCHEMA_TOO_NEW: SERVER,
  WHARF_E_DATA_DIR_NOT_WRITABLE: SERVER,
  WHARF_E_DATA_DIR_LOCKED: SERVER,
  WHARF_E_DATABASE_URL_INVALID: SERVER,
  WHARF_E_DATABASE_UNREACHABLE: SERVER,
  WHARF_E_CONTROLLER_UNREACHABLE: SERVER,
  WHARF_E_USAGE: CLIENT,
  WHARF_E_CONTAINER_NOT_FOUND: CLIENT,
  WHARF_E_CONTAINER_NOT_RUNNING: CLIENT,
  WHARF_E_IMAGE_NOT_FOUND: CLIENT,
  WHARF_E_CONTAINER_START_FAILED: CLIENT,
  WHARF_E_HOST_PORT_IN_USE: CLIENT,
  WHARF_E_DRIVER_IMAGE_UNSUPPORTED: CLIENT,
  WHARF_E_DOCKER_UNREACHABLE: SERVER,
  WHARF_E_UNAUTHORIZED: same('AccessDeniedException'),
  WHARF_E_CONTAINER_INSTANCE_NOT_FOUND: INVALID,
  // ECS: "InvalidParameterException: The referenced task was not found."
  WHARF_E_TASK_NOT_FOUND: INVALID,
  // ECS: "ClientException: TaskDefinition is inactive"
  WHARF_E_TASK_DEFINITION_INACTIVE: CLIENT,
  WHARF_E_AGENT_UNREACHABLE: SERVER,
  WHARF_E_TASK_LOGS_NOT_FOUND: row('ResourceNotFoundException', 'ValidationException'),
  // Wharf checks container instances first, as ECS does.
  WHARF_E_CLUSTER_NOT_EMPTY: row('ClusterContainsContainerInstancesException', 'ValidationException'),
  // Application Auto Scaling: "ValidationException: ECS service doesn't exist".
  WHARF_E_SERVICE_NOT_FOUND: row('ServiceNotFoundException', 'ValidationException'),
  // ECS: "InvalidParameterException: Creation of service was not idempotent."
  WHARF_E_SERVICE_EXISTS: INVALID,
  WHARF_E_QUOTA_EXCEEDED: row('LimitExceededException', 'LimitExceededException'),
  // ECS: "InvalidParameterException: The service cannot be stopped while it is scaled above 0."
  WHARF_E_SERVICE_NOT_SCALED_DOWN: INVALID,
  WHARF_E_DEPLOYMENT_BOUNDS: INVALID,
  WHARF_E_ROUTER_NO_ROUTE: CLIENT,
  WHARF_E_ROUTER_NO_HEALTHY_TARGET: SERVER,
  WHARF_E_ROUTER_BAD_GATEWAY: SERVER,
  WHARF_E_ROUTER_GATEWAY_TIMEOUT: SERVER,
  WHARF_E_HAPROXY_NOT_INSTALLED: SERVER,
  WHARF_E_HAPROXY_FAILED: SERVER,
  // ECS names a service's target group as a parameter: "InvalidParameterException: … targetGroupArn …".
  WHARF_E_TARGET_GROUP_NOT_FOUND: INVALID,
  WHARF_E_TARGET_GROUP_EXISTS: INVALID,
  WHARF_E_TARGET_GROUP_IN_USE: INVALID,
  WHARF_E_LISTENER_EXISTS: INVALID,
  WHARF_E_LISTENER_NOT_FOUND: INVALID,
  WHARF_E_RULE_NOT_FOUND: INVALID,
  WHARF_E_RULE_CONFLICT: INVALID,
  WHARF_E_APPLICATION_NOT_FOUND: CLIENT,
  WHARF_E_APPLICATION_EXISTS: CLIENT,
  WHARF_E_APPLICATION_IN_USE: CLIENT,
  WHARF_E_VERSION_NOT_FOUND: CLIENT,
  WHARF_E_VERSION_EXISTS: CLIENT,
  WHARF_E_VERSION_IN_USE: CLIENT,
  WHARF_E_SOURCE_BUNDLE_NOT_FOUND: CLIENT,
  WHARF_E_ENVIRONMENT_NOT_FOUND: CLIENT,
  WHARF_E_ENVIRONMENT_EXISTS: CLIENT,
  WHARF_E_CNAME_TAKEN: CLIENT,
  WHARF_E_OPERATION_IN_PROGRESS: CLIENT,
  WHARF_E_CNAME_SWAP_REFUSED: CLIENT,
  WHARF_E_NO_ABORTABLE_OPERATION: CLIENT,
  WHARF_E_TEMPLATE_NOT_FOUND: CLIENT,
  WHARF_E_TEMPLATE_EXISTS: CLIENT,
  WHARF_E_SCALABLE_TARGET_NOT_FOUND: row('ClientException', 'ObjectNotFoundException'),
  // Authentication, as AWS's JSON services answer it (not the Query protocol's names in the catalogue's `aws`).
  WHARF_E_MISSING_AUTHENTICATION_TOKEN: same('MissingAuthenticationTokenException'),
  WHARF_E_INCOMPLETE_SIGNATURE: same('IncompleteSignatureException'),
  WHARF_E_INVALID_CLIENT_TOKEN_ID: same('UnrecognizedClientException'),
  WHARF_E_SIGNATURE_DOES_NOT_MATCH: same('InvalidSignatureException'),
  // "Signature expired: … is now earlier than …": the SDKs correct their clock on this name.
  WHARF_E_REQUEST_EXPIRED: same('InvalidSignatureException'),
  WHARF_E_ACCESS_DENIED: same('AccessDeniedException'),
  WHARF_E_EXPIRED_TOKEN: same('ExpiredTokenException'),
  WHARF_E_INVALID_SECURITY_TOKEN: same('UnrecognizedClientException'),
  WHARF_E_ARTIFACT_QUOTA_EXCEEDED: row('LimitExceededException', 'LimitExceededException'),
  WHARF_E_PAYLOAD_HASH_MISMATCH: same('InvalidSignatureException'),
  // The bundle upload's (S3-style) payload signing: no JSON-protocol call has these.
  WHARF_E_PAYLOAD_SIGNING_UNSUPPORTED: CLIENT,
  WHARF_E_CHUNK_SIGNATURE_DOES_NOT_MATCH: same('InvalidSignatureException'),
  WHARF_E_CHUNKED_BODY_MALFORMED: same('SerializationException'),
  WHARF_E_INCOMPLETE_BODY: same('SerializationException'),
  WHARF_E_CHECKSUM_MISMATCH: same('InvalidSignatureException'),
  WHARF_E_NO_CREDENTIALS: same('MissingAuthenticationTokenException'),
  WHARF_E_NO_SUCH_ENTITY: CLIENT,
  WHARF_E_ENTITY_ALREADY_EXISTS: CLIENT,
  WHARF_E_IAM_LIMIT_EXCEEDED: row('LimitExceededException', 'LimitExceededException'),
  WHARF_E_DELETE_CONFLICT: CLIENT,
  WHARF_E_LAST_ROOT_KEY: CLIENT,
  WHARF_E_MALFORMED_POLICY_DOCUMENT: CLIENT,
  WHARF_E_POLICY_TOO_LARGE: CLIENT,
  // S3's (its own table is s3-errors.ts): no JSON-protocol call has these.
  WHARF_E_NO_SUCH_BUCKET: CLIENT,
  WHARF_E_NO_SUCH_KEY: CLIENT,
  WHARF_E_BUCKET_EXISTS: CLIENT,
  WHARF_E_BUCKET_NOT_EMPTY: CLIENT,
  WHARF_E_INVALID_BUCKET_NAME: CLIENT,
  WHARF_E_TOO_MANY_BUCKETS: row('LimitExceededException', 'LimitExceededException'),
  WHARF_E_KEY_TOO_LONG: CLIENT,
  WHARF_E_NO_SUCH_UPLOAD: CLIENT,
  WHARF_E_INVALID_PART: CLIENT,
  WHARF_E_INVALID_PART_ORDER: CLIENT,
  WHARF_E_ENTITY_TOO_SMALL: CLIENT,
  WHARF_E_BAD_DIGEST: CLIENT,
  WHARF_E_INVALID_DIGEST: CLIENT,
  WHARF_E_INVALID_RANGE: CLIENT,
  WHARF_E_MALFORMED_XML: same('SerializationException'),
  WHARF_E_S3_NOT_IMPLEMENTED: same('UnknownOperationException'),
  WHARF_E_SCALING_OBJECT_NOT_FOUND: row('ClientException', 'ObjectNotFoundException'),
  WHARF_E_RESOURCE_NOT_FOUND: row('ResourceNotFoundException', 'ResourceNotFoundException'),
  WHARF_E_RESOURCE_TYPE_NOT_SUPPORTED: INVALID,
  WHARF_E_TOO_MANY_TAGS: INVALID,
  WHARF_E_ATTRIBUTE_TARGET_NOT_FOUND: row('TargetNotFoundException', 'ValidationException'),
  WHARF_E_ATTRIBUTE_LIMIT_EXCEEDED: row('AttributeLimitExceededException', 'LimitExceededException'),
  WHARF_E_WAITER_FAILED: CLIENT,
  WHARF_E_LOAD_BALANCER_NOT_FOUND: INVALID,
  WHARF_E_LOAD_BALANCER_EXISTS: INVALID,
  WHARF_E_DELETION_PROTECTED: INVALID,
  WHARF_E_DUPLICATE_TAG_KEYS: INVALID,
};

/** The exception and HTTP status a catalogue error is answered with by a JSON-protocol service. */
export function jsonExceptionOf(code: ErrorCode, service: AwsJsonService): { readonly exception: string; readonly status: number } {
  const exception = JSON_EXCEPTIONS[code][service];
  const status = exception === SERVER_EXCEPTIONS[service] ? Math.max(ERROR_CATALOGUE[code].status, 500) : 400;
  return { exception, status };
}
