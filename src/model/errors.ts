/**
 * The one catalogue of Wharf's errors. Every error a user can see has a stable code here, an HTTP
 * status, and a message template that says what was wrong and how to fix it. `docs/errors.md`
 * documents each code; a test keeps the two in step.
 *
 * Templates name their parameters in braces (`{cluster}`); `wharfError(code, params)` checks at
 * compile time that every parameter is given.
 */

/** Whether the fault is the caller's (print the message, no stack) or Wharf's (keep the stack). */
export type ErrorKind = 'user' | 'system';

interface ErrorSpec {
  readonly status: number;
  readonly kind: ErrorKind;
  readonly title: string;
  readonly message: string;
  /** AWS's name for the same error (`AccessDenied`), where AWS has one; problems carry it as `awsCode`. */
  readonly aws?: string;
}

export const ERROR_CATALOGUE = {
  WHARF_E_VALIDATION: {
    status: 400,
    kind: 'user',
    title: 'Invalid request',
    message: '{summary}. Fix the fields listed in `errors` and send the request again; nothing was changed.',
  },
  WHARF_E_MALFORMED_JSON: {
    status: 400,
    kind: 'user',
    title: 'Malformed JSON',
    message: 'The request body is not valid JSON: {reason} (line {line}, column {column}). Fix the JSON and send it again; nothing was changed.',
  },
  WHARF_E_BODY_TOO_LARGE: {
    status: 413,
    kind: 'user',
    title: 'Request body too large',
    message: 'The request body is larger than the limit of {limit} bytes. Send a smaller body; nothing was changed.',
  },
  WHARF_E_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    kind: 'user',
    title: 'Unsupported media type',
    message: 'The API takes `application/json` bodies, not `{contentType}`. Send JSON with `Content-Type: application/json`.',
  },
  WHARF_E_ROUTE_NOT_FOUND: {
    status: 404,
    kind: 'user',
    title: 'No such API route',
    message: 'There is no API route {method} {url}. Check the path against docs/architecture.md (the API is under /v1).',
  },
  WHARF_E_UNKNOWN_OPERATION: {
    status: 400,
    kind: 'user',
    aws: 'UnknownOperationException',
    title: 'Unknown operation',
    message: 'Wharf does not implement the operation {target} (X-Amz-Target). It serves ECS (AmazonEC2ContainerServiceV20141113) and Application Auto Scaling (AnyScaleFrontendService) operations in the AWS JSON protocol; src/controller/api/aws/README.md lists which.',
  },
  WHARF_E_INVALID_CONFIGURATION: {
    status: 400,
    kind: 'user',
    title: 'Invalid configuration',
    message: 'The configuration is not valid: {summary}. Fix the settings listed in `errors` and try again; nothing was changed.',
  },
  WHARF_E_NOT_YET_SUPPORTED: {
    status: 400,
    kind: 'user',
    title: 'Not yet supported',
    message: 'The field {field} is valid in {format}, but Wharf does not act on it yet: {reason}. Remove it and send the request again; nothing was changed.',
  },
  WHARF_E_PLATFORM_UNDETECTED: {
    status: 400,
    kind: 'user',
    title: 'No platform fits the source bundle',
    message: 'Wharf cannot tell how to run this source bundle: {reason}. It looks, in order, for a Dockerfile (platform docker), a package.json (nodejs), a requirements.txt or application.py (python); a Procfile names the web command. Add the file the platform needs, or choose a platform that fits the bundle.',
  },
  WHARF_E_PROCFILE_INVALID: {
    status: 400,
    kind: 'user',
    title: 'Invalid Procfile',
    message: 'The Procfile is not valid: {reason}. Each line is `<name>: <command>` (name of letters, digits, `_` or `-`), and one process must be named `web`, e.g. `web: node server.js`.',
  },
  WHARF_E_BUILD_FAILED: {
    status: 422,
    kind: 'user',
    title: 'Build failed',
    message: 'The {platform} build failed: {reason}. Fix the application and deploy a new version. The end of the build log ({logPath}): {logTail}',
  },
  WHARF_E_BUNDLE_INVALID: {
    status: 400,
    kind: 'user',
    title: 'Source bundle not usable',
    message: 'The source bundle is not usable: {reason}. Fix the archive and upload it again; nothing was created.',
  },
  WHARF_E_BUNDLE_TOO_LARGE: {
    status: 413,
    kind: 'user',
    title: 'Source bundle too large',
    message: 'The source bundle is larger than the limit of {limit} bytes. Make it smaller (leave build output and dependencies out with .ebignore) and upload it again; nothing was kept.',
  },
  WHARF_E_CLUSTER_NOT_FOUND: {
    status: 404,
    kind: 'user',
    title: 'Cluster not found',
    message: 'Cluster "{cluster}" does not exist or was deleted. List clusters with `wharf ecs list-clusters`, or create it with `wharf ecs create-cluster --cluster-name {cluster}`.',
  },
  WHARF_E_DEFAULT_CLUSTER_PROTECTED: {
    status: 409,
    kind: 'user',
    title: 'The default cluster cannot be deleted',
    message: 'The "default" cluster always exists: tasks and services without a cluster go there. Delete another cluster instead.',
  },
  WHARF_E_TASK_DEFINITION_NOT_FOUND: {
    status: 404,
    kind: 'user',
    title: 'Task definition not found',
    message: 'Task definition "{taskDefinition}" was not found: {reason}. List them with `wharf ecs list-task-definitions` (or `wharf ecs list-task-definition-families`), or register it with `wharf ecs register-task-definition`.',
  },
  WHARF_E_TASK_DEFINITION_TOO_LARGE: {
    status: 400,
    kind: 'user',
    title: 'Task definition too large',
    message: 'The task definition of family "{family}" is {size} bytes of JSON; ECS (and Wharf) cap a task definition at {limit} bytes. Make it smaller (fewer or shorter environment variables, labels, commands) and register it again; nothing was registered.',
  },
  WHARF_E_STANDBY: {
    status: 503,
    kind: 'user',
    title: 'This controller is a standby',
    message: 'This controller is a standby: another controller holds the leadership lock on the shared database, and only the leader serves the API. Send the request to the leader, or retry: a standby takes over within seconds when the leader goes away.',
  },
  WHARF_E_HOST_NOT_ALLOWED: {
    status: 421,
    kind: 'user',
    title: 'Host name not served',
    message: 'This API does not answer to the host name "{host}" (a page on another site may be trying to reach it through DNS rebinding). Call it by an IP address or localhost, or add the name to WHARF_API_HOSTNAMES (--api-hostnames) on the controller.',
  },
  WHARF_E_PORT_IN_USE: {
    status: 500,
    kind: 'user',
    title: 'Port in use',
    message: 'Cannot listen on {host} port {port}: it is in use by another program. Stop that program, or choose another port with {flag} (0 picks a free one).',
  },
  WHARF_E_INTERNAL: {
    status: 500,
    kind: 'system',
    title: 'Internal error',
    message: 'Wharf failed while handling this request (request id {requestId}). The controller log has the details under that request id; please report it.',
  },
  WHARF_E_SCHEMA_TOO_NEW: {
    status: 500,
    kind: 'user',
    title: 'Database schema is newer than this Wharf',
    message: 'The {store} at {location} has schema version {found}, newer than the {known} this Wharf knows. It was left untouched. Run the newer Wharf that wrote it, or point this one at another data folder or database.',
  },
  WHARF_E_DATA_DIR_NOT_WRITABLE: {
    status: 500,
    kind: 'user',
    title: 'Data folder not writable',
    message: 'Wharf cannot write to its data folder {dataDir}: {reason}. Choose a writable folder with `--data-dir`, or fix its permissions.',
  },
  WHARF_E_DATA_DIR_LOCKED: {
    status: 500,
    kind: 'user',
    title: 'Data folder in use',
    message: 'Another Wharf controller (pid {pid}) is using the data folder {dataDir}. Stop it first, or give this one another folder with `--data-dir`. To run several controllers, share a PostgreSQL database with `--database-url`.',
  },
  WHARF_E_DATABASE_URL_INVALID: {
    status: 500,
    kind: 'user',
    title: 'Invalid database URL',
    message: 'The database URL "{url}" is not usable: {reason}. Give a URL of the form postgres://user:password@host:5432/database (or with ?host=/path/to/socket).',
  },
  WHARF_E_DATABASE_UNREACHABLE: {
    status: 500,
    kind: 'user',
    title: 'Database unreachable',
    message: 'PostgreSQL at {location} did not answer within {timeoutMs} ms: {reason}. Check that the server runs and that the URL, user and password are right.',
  },
  WHARF_E_CONTROLLER_UNREACHABLE: {
    status: 503,
    kind: 'user',
    title: 'Controller unreachable',
    message: 'Cannot reach the Wharf controller at {endpoint}: {reason}. Start it with `wharf up` (or `wharf server`), or point the CLI at it with `--endpoint` or WHARF_ENDPOINT.',
  },
  WHARF_E_USAGE: {
    status: 400,
    kind: 'user',
    title: 'Invalid command line',
    message: '{reason}. Run the command with --help to see its options.',
  },
  WHARF_E_CONTAINER_NOT_FOUND: {
    status: 404,
    kind: 'user',
    title: 'Container not found',
    message: 'The {driver} driver on this host has no container {id}: it was removed, or never ran here. List what it runs with the agent (a restarted agent finds its containers again).',
  },
  WHARF_E_CONTAINER_NOT_RUNNING: {
    status: 409,
    kind: 'user',
    title: 'Container not running',
    message: 'Container {id} ("{container}" of task {taskId}) has exited, so it cannot {action}. Run a new task instead.',
  },
  WHARF_E_IMAGE_NOT_FOUND: {
    status: 400,
    kind: 'user',
    title: 'Image not found',
    message: 'Image "{image}" for container "{container}" of task {taskId} is not on this host: {reason}. Build or load the image on the host (Wharf pulls from no registry), or fix `image` in the task definition.',
  },
  WHARF_E_CONTAINER_START_FAILED: {
    status: 400,
    kind: 'user',
    title: 'Container could not start',
    message: 'Container "{container}" of task {taskId} could not start: {reason}. Fix the image, entryPoint, command, workingDirectory or user in the task definition.',
  },
  WHARF_E_HOST_PORT_IN_USE: {
    status: 409,
    kind: 'user',
    title: 'Host port in use',
    message: 'Host port {port}/{protocol} for container "{container}" of task {taskId} is already in use: {reason}. Use hostPort 0 for a dynamic port, or free that port.',
  },
  WHARF_E_DRIVER_IMAGE_UNSUPPORTED: {
    status: 400,
    kind: 'user',
    title: 'Image not supported by this driver',
    message: 'The {driver} driver cannot run image "{image}" (container "{container}"): {reason}.',
  },
  WHARF_E_DOCKER_UNREACHABLE: {
    status: 503,
    kind: 'user',
    title: 'Docker Engine unreachable',
    message: 'The Docker Engine at {socket} did not answer: {reason}. Start dockerd (or point the agent at its socket), or use the process driver.',
  },
  WHARF_E_UNAUTHORIZED: {
    status: 401,
    kind: 'user',
    title: 'Not authorised',
    message: "The agent credentials were refused: {reason}. Restart the agent with the cluster's join token (`--join-token` or WHARF_JOIN_TOKEN) so it registers again.",
  },
  WHARF_E_CONTAINER_INSTANCE_NOT_FOUND: {
    status: 404,
    kind: 'user',
    title: 'Container instance not found',
    message: 'Container instance "{containerInstance}" is not registered in cluster "{cluster}". List them with `wharf ecs list-container-instances --cluster {cluster}`.',
  },
  WHARF_E_TASK_NOT_FOUND: {
    status: 404,
    kind: 'user',
    title: 'Task not found',
    message: 'Task "{task}" does not exist in cluster "{cluster}". List tasks with `wharf ecs list-tasks --cluster {cluster}` (add `--desired-status STOPPED` for stopped ones).',
  },
  WHARF_E_TASK_DEFINITION_INACTIVE: {
    status: 400,
    kind: 'user',
    title: 'Task definition inactive',
    message: 'Task definition {taskDefinition} is {status}: new tasks cannot start from it. Use an ACTIVE revision (`wharf ecs list-task-definitions --family-prefix {family}`) or register a new one.',
  },
  WHARF_E_AGENT_UNREACHABLE: {
    status: 502,
    kind: 'system',
    title: 'Agent unreachable',
    message: 'The agent of container instance {containerInstance} at {agentUrl} did not answer: {reason}. Check that the agent runs and that the controller can reach its address (`--listen-host`).',
  },
  WHARF_E_TASK_LOGS_NOT_FOUND: {
    status: 404,
    kind: 'user',
    title: 'Task logs not found',
    message: 'There are no logs for container {container} of task {task} on its host: the container never started there, is not in that task, or its logs were cleaned up (a stopped task keeps them for an hour).',
  },
  WHARF_E_CLUSTER_NOT_EMPTY: {
    status: 409,
    kind: 'user',
    title: 'Cluster not empty',
    message: 'Cluster "{cluster}" still has {what}. Stop its tasks (`wharf ecs list-tasks --cluster {cluster}`) and stop its agents (their hosts become INACTIVE) first, as ECS requires.',
  },
  WHARF_E_SERVICE_NOT_FOUND: {
    status: 404,
    kind: 'user',
    title: 'Service not found',
    message: 'Service "{service}" does not exist in cluster "{cluster}" (or was deleted). List services with `wharf ecs list-services --cluster {cluster}`.',
  },
  WHARF_E_SERVICE_EXISTS: {
    status: 409,
    kind: 'user',
    title: 'Service exists',
    message: 'Service "{service}" already exists in cluster "{cluster}". Change it with `wharf ecs update-service`, or delete it first.',
  },
  WHARF_E_QUOTA_EXCEEDED: {
    status: 400,
    kind: 'user',
    aws: 'LimitExceededException',
    title: 'Quota reached',
    message: 'Cluster "{cluster}" is at its quota "{quota}" ({limit}): {reason}. {fix}; nothing was changed.',
  },
  WHARF_E_SERVICE_NOT_SCALED_DOWN: {
    status: 409,
    kind: 'user',
    title: 'Service still scaled up',
    message: 'Service "{service}" still wants {desiredCount} task(s). Scale it to 0 first (`wharf ecs update-service --desired-count 0`), or delete it with --force to stop its tasks.',
  },
  WHARF_E_DEPLOYMENT_BOUNDS: {
    status: 400,
    kind: 'user',
    title: 'Deployment bounds leave no room',
    message: 'The deployment configuration cannot roll out: {reason}. Lower minimumHealthyPercent or raise maximumPercent so that at least one task can start or stop.',
  },
  WHARF_E_ROUTER_NO_ROUTE: {
    status: 404,
    kind: 'user',
    title: 'No route',
    message: "No rule of the router's listener on port {port} matches this request's host and path, and the listener has no default action. Check the Host header and the path against the listener's rules, or add a rule that matches them.",
  },
  WHARF_E_ROUTER_NO_HEALTHY_TARGET: {
    status: 503,
    kind: 'user',
    title: 'No healthy target',
    message: "No healthy target could take this request on the router's listener on port {port}: the targets of the target groups it forwards to are unhealthy, still in their initial health checks, draining, or refused the connection. Check the targets' health (describe-target-health) and retry.",
  },
  WHARF_E_ROUTER_BAD_GATEWAY: {
    status: 502,
    kind: 'user',
    title: 'Bad gateway',
    message: "The target chosen for this request on the router's listener on port {port} closed the connection or sent an invalid response. Check the target's logs; a request that may have reached the application is not retried.",
  },
  WHARF_E_ROUTER_GATEWAY_TIMEOUT: {
    status: 504,
    kind: 'user',
    title: 'Gateway timeout',
    message: "The target chosen for this request on the router's listener on port {port} did not answer within {seconds} seconds. Check that the application answers in time.",
  },
  WHARF_E_HAPROXY_NOT_INSTALLED: {
    status: 500,
    kind: 'user',
    title: 'HAProxy not installed',
    message: 'The haproxy data plane needs HAProxy, and {binary} was not found. Install it (`apt-get install haproxy`), or run the router with `--data-plane node`.',
  },
  WHARF_E_HAPROXY_FAILED: {
    status: 500,
    kind: 'system',
    title: 'HAProxy failed',
    message: 'HAProxy failed to {action}: {reason}. The router keeps serving its last working configuration where it can; its data folder {dataDir} holds the configuration and HAProxy\'s output.',
  },
  WHARF_E_TARGET_GROUP_NOT_FOUND: {
    status: 404,
    kind: 'user',
    title: 'Target group not found',
    message: 'Target group {targetGroup} does not exist. List them with `wharf elbv2 describe-target-groups`.',
  },
  WHARF_E_TARGET_GROUP_EXISTS: {
    status: 409,
    kind: 'user',
    title: 'Target group exists',
    message: 'A target group named {name} already exists with other settings. Choose another name, or describe it with `wharf elbv2 describe-target-groups --names {name}`.',
  },
  WHARF_E_TARGET_GROUP_IN_USE: {
    status: 409,
    kind: 'user',
    title: 'Target group in use',
    message: 'Target group {targetGroup} is still used by {user}. Delete or change that first.',
  },
  WHARF_E_LISTENER_EXISTS: {
    status: 409,
    kind: 'user',
    title: 'Listener exists',
    message: 'A listener on port {port} already exists. Add a rule to it (`wharf elbv2 create-rule`) instead.',
  },
  WHARF_E_LISTENER_NOT_FOUND: {
    status: 404,
    kind: 'user',
    title: 'Listener not found',
    message: 'Listener {listener} does not exist. Create one with `wharf elbv2 create-listener`.',
  },
  WHARF_E_RULE_NOT_FOUND: {
    status: 404,
    kind: 'user',
    title: 'Rule not found',
    message: 'Rule {rule} does not exist.',
  },
  WHARF_E_RULE_CONFLICT: {
    status: 409,
    kind: 'user',
    title: 'Conflicting rule',
    message: 'The rule conflicts with another on its listener: {reason}. Choose another priority or other conditions.',
  },
  WHARF_E_APPLICATION_NOT_FOUND: {
    status: 404,
    kind: 'user',
    title: 'Application not found',
    message: 'Application {application} does not exist. Create it first (`wharf eb init`, or CreateApplication), or check the name.',
  },
  WHARF_E_APPLICATION_EXISTS: {
    status: 409,
    kind: 'user',
    title: 'Application exists',
    message: 'Application {application} already exists. Choose another name, or use the existing one.',
  },
  WHARF_E_APPLICATION_IN_USE: {
    status: 409,
    kind: 'user',
    title: 'Application in use',
    message: 'Application {application} still has {count} running environment(s). Terminate them first, or delete with TerminateEnvByForce.',
  },
  WHARF_E_VERSION_NOT_FOUND: {
    status: 404,
    kind: 'user',
    title: 'Application version not found',
    message: 'Application {application} has no version labelled {versionLabel}. Create it first (`wharf eb deploy` packs and uploads one), or check the label.',
  },
  WHARF_E_VERSION_EXISTS: {
    status: 409,
    kind: 'user',
    title: 'Application version exists',
    message: 'Application {application} already has a version labelled {versionLabel}. Choose another label; a label always names the same bundle.',
  },
  WHARF_E_VERSION_IN_USE: {
    status: 409,
    kind: 'user',
    title: 'Application version in use',
    message: 'Version {versionLabel} is deployed to environment {environment}. Deploy another version there first, or terminate it.',
  },
  WHARF_E_SOURCE_BUNDLE_NOT_FOUND: {
    status: 404,
    kind: 'user',
    title: 'Source bundle not found',
    message: 'No uploaded source bundle is at S3Bucket {bucket}, S3Key {key}. Upload it first (`aws s3 cp` to a bucket, then name that bucket and key; or PUT /v1/elasticbeanstalk/bundles and the SourceBundle it returns).',
  },
  WHARF_E_ENVIRONMENT_NOT_FOUND: {
    status: 404,
    kind: 'user',
    title: 'Environment not found',
    message: 'No running environment is named or numbered {environment}. Check the name (`wharf eb list`).',
  },
  WHARF_E_ENVIRONMENT_EXISTS: {
    status: 409,
    kind: 'user',
    title: 'Environment exists',
    message: 'An environment named {environment} already exists. Choose another name, or terminate that one first.',
  },
  WHARF_E_CNAME_TAKEN: {
    status: 409,
    kind: 'user',
    title: 'CNAME prefix taken',
    message: 'The CNAME prefix {cname} is used by environment {environment}. Choose another prefix (CheckDNSAvailability tells which are free).',
  },
  WHARF_E_OPERATION_IN_PROGRESS: {
    status: 409,
    kind: 'user',
    title: 'Operation in progress',
    message: 'Environment {environment} is {status}: {operation} is in progress. Wait until it is Ready (`wharf eb events -f`), or abort it, then try again; nothing was changed.',
  },
  WHARF_E_CNAME_SWAP_REFUSED: {
    status: 400,
    kind: 'user',
    title: 'CNAME swap refused',
    message: 'The CNAMEs of environments {source} and {destination} cannot be swapped: {reason}. {fix}; nothing was changed.',
  },
  WHARF_E_NO_ABORTABLE_OPERATION: {
    status: 400,
    kind: 'user',
    title: 'No abortable operation',
    message: 'Environment {environment} has no abortable operation in progress: {reason}. Only a deployment or a configuration update can be aborted, while its new instances roll out (DescribeEnvironments shows AbortableOperationInProgress); nothing was changed.',
  },
  WHARF_E_TEMPLATE_NOT_FOUND: {
    status: 404,
    kind: 'user',
    title: 'Saved configuration not found',
    message: 'Application {application} has no saved configuration named {template}. Check the name (`wharf eb config list`).',
  },
  WHARF_E_TEMPLATE_EXISTS: {
    status: 409,
    kind: 'user',
    title: 'Saved configuration exists',
    message: 'Application {application} already has a saved configuration named {template}. Choose another name, or delete that one first.',
  },
  WHARF_E_SCALABLE_TARGET_NOT_FOUND: {
    status: 404,
    kind: 'user',
    aws: 'ObjectNotFoundException',
    title: 'Scalable target not found',
    message: 'No scalable target is registered for {resourceId}. Register it first (RegisterScalableTarget, or `wharf application-autoscaling register-scalable-target`), then put the policy.',
  },
  WHARF_E_MISSING_AUTHENTICATION_TOKEN: {
    status: 403,
    kind: 'user',
    aws: 'MissingAuthenticationToken',
    title: 'Request not signed',
    message: 'The request carries no AWS Signature Version 4 (no Authorization header and no X-Amz-Signature query parameter). Every API call is signed: the wharf CLI and the AWS CLI and SDKs sign with an access key (`wharf up` writes the root key to <data-dir>/credentials).',
  },
  WHARF_E_INCOMPLETE_SIGNATURE: {
    status: 403,
    kind: 'user',
    aws: 'IncompleteSignature',
    title: 'Malformed signature',
    message: 'The request signature is malformed: {reason}. Sign it with AWS Signature Version 4 (AWS4-HMAC-SHA256), as the AWS CLI and SDKs do.',
  },
  WHARF_E_INVALID_CLIENT_TOKEN_ID: {
    status: 403,
    kind: 'user',
    aws: 'InvalidClientTokenId',
    title: 'Unknown access key',
    message: 'The access key id {accessKeyId} is not one this Wharf knows, or it is inactive. Check the credentials the client uses (`wharf iam list-access-keys` lists a user\'s keys).',
  },
  WHARF_E_SIGNATURE_DOES_NOT_MATCH: {
    status: 403,
    kind: 'user',
    aws: 'SignatureDoesNotMatch',
    title: 'Signature does not match',
    message: 'The request signature we calculated does not match the signature you provided ({reason}). Check your secret access key and signing method, and that nothing between the client and Wharf changes the request.',
  },
  WHARF_E_REQUEST_EXPIRED: {
    status: 403,
    kind: 'user',
    aws: 'RequestExpired',
    title: 'Request expired',
    message: 'The request has expired: {reason}. Check the client machine\'s clock and send it again.',
  },
  WHARF_E_ACCESS_DENIED: {
    status: 403,
    kind: 'user',
    aws: 'AccessDenied',
    title: 'Access denied',
    message: 'User: {principal} is not authorized to perform: {action} on resource: {resource} {reason}. Ask an administrator for a policy that allows it (`wharf iam simulate-principal-policy` shows what decides).',
  },
  WHARF_E_EXPIRED_TOKEN: {
    status: 403,
    kind: 'user',
    aws: 'ExpiredToken',
    title: 'Session expired',
    message: 'The security token included in the request is expired: the session {principal} ended at {expiration}. Assume the role again (`wharf sts assume-role`) for new credentials.',
  },
  WHARF_E_INVALID_SECURITY_TOKEN: {
    status: 403,
    kind: 'user',
    aws: 'InvalidClientTokenId',
    title: 'Invalid session token',
    message: 'The security token included in the request is invalid: {reason}. Send the SessionToken that AssumeRole answered with these credentials, as X-Amz-Security-Token (signed).',
  },
  WHARF_E_ARTIFACT_QUOTA_EXCEEDED: {
    status: 400,
    kind: 'user',
    aws: 'LimitExceededException',
    title: 'Artifact quota reached',
    message: 'Stored source bundles already take {used} bytes of the {quota}-byte quota (WHARF_ARTIFACT_QUOTA_BYTES), and this upload would go over it; nothing was stored. Delete application versions you no longer need (`wharf eb` or DeleteApplicationVersion with DeleteSourceBundle); bundles no version names are removed a day after their upload.',
  },
  WHARF_E_PAYLOAD_HASH_MISMATCH: {
    status: 400,
    kind: 'user',
    aws: 'XAmzContentSHA256Mismatch',
    title: 'Body does not match its signed hash',
    message: 'The body received hashes to {received}, not to the x-amz-content-sha256 it was signed with ({declared}); nothing was stored. Send the bytes that were signed, or sign with UNSIGNED-PAYLOAD.',
  },
  WHARF_E_PAYLOAD_SIGNING_UNSUPPORTED: {
    status: 400,
    kind: 'user',
    aws: 'InvalidArgument',
    title: 'Upload payload signing not supported',
    message: 'The upload cannot be read as it is signed: {reason}. Set x-amz-content-sha256 to the body\'s SHA-256 in lower-case hex, UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD or STREAMING-UNSIGNED-PAYLOAD-TRAILER (the last two with Content-Encoding: aws-chunked and x-amz-decoded-content-length); nothing was stored.',
  },
  WHARF_E_CHUNK_SIGNATURE_DOES_NOT_MATCH: {
    status: 403,
    kind: 'user',
    aws: 'SignatureDoesNotMatch',
    title: 'Chunk signature does not match',
    message: 'The signature of chunk {chunk} of the aws-chunked upload does not match the one calculated from its bytes, the request signature and the chunks before it; nothing was stored. Check the secret access key and the chunk signing (AWS4-HMAC-SHA256-PAYLOAD), and that nothing between the client and Wharf changes the body.',
  },
  WHARF_E_CHUNKED_BODY_MALFORMED: {
    status: 400,
    kind: 'user',
    aws: 'InvalidRequest',
    title: 'Malformed aws-chunked body',
    message: 'The aws-chunked body is malformed: {reason}; nothing was stored. Each chunk is `<hex size>;chunk-signature=<signature>` (only `<hex size>` with STREAMING-UNSIGNED-PAYLOAD-TRAILER), CRLF, the data, CRLF, and the body ends with a chunk of size 0.',
  },
  WHARF_E_INCOMPLETE_BODY: {
    status: 400,
    kind: 'user',
    aws: 'IncompleteBody',
    title: 'Upload body incomplete',
    message: 'The upload body is incomplete: {reason}; nothing was stored. Send the whole body: the bytes x-amz-decoded-content-length declares, then the final chunk of size 0.',
  },
  WHARF_E_CHECKSUM_MISMATCH: {
    status: 400,
    kind: 'user',
    aws: 'BadDigest',
    title: 'Body does not match its checksum',
    message: 'The {header} trailer says {declared}, but the body received has {received}; nothing was stored. Send the bytes the checksum was computed over.',
  },
  WHARF_E_NO_CREDENTIALS: {
    status: 400,
    kind: 'user',
    title: 'No credentials',
    message: 'No credentials to sign the request with. Looked in {looked}. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, name a profile with --profile or AWS_PROFILE, or run the CLI where `wharf up` keeps its data folder (or set WHARF_DATA_DIR to it).',
  },
  WHARF_E_NO_SUCH_ENTITY: {
    status: 404,
    kind: 'user',
    aws: 'NoSuchEntity',
    title: 'No such IAM entity',
    message: 'The {kind} {name} does not exist. Check the name (`wharf iam list-{list}`).',
  },
  WHARF_E_ENTITY_ALREADY_EXISTS: {
    status: 409,
    kind: 'user',
    aws: 'EntityAlreadyExists',
    title: 'IAM entity exists',
    message: 'The {kind} {name} already exists. Choose another name; nothing was changed.',
  },
  WHARF_E_IAM_LIMIT_EXCEEDED: {
    status: 409,
    kind: 'user',
    aws: 'LimitExceeded',
    title: 'IAM quota reached',
    message: '{reason}. Remove one first; nothing was changed.',
  },
  WHARF_E_DELETE_CONFLICT: {
    status: 409,
    kind: 'user',
    aws: 'DeleteConflict',
    title: 'IAM entity in use',
    message: 'The {kind} {name} cannot be deleted while it has {what}. Remove those first; nothing was changed.',
  },
  WHARF_E_LAST_ROOT_KEY: {
    status: 409,
    kind: 'user',
    title: "The root user's last active key",
    message:
      "The access key {accessKeyId} is the root user's last active key: {doing} it would leave no key that can sign as the root user, and no way to make one. First make another root key active (`wharf iam create-access-key` signed as the root user, without --user-name, or `wharf iam update-access-key --status Active` on an inactive one) and sign with it, then try again; nothing was changed.",
  },
  WHARF_E_MALFORMED_POLICY_DOCUMENT: {
    status: 400,
    kind: 'user',
    title: 'Malformed policy document',
    message: 'The {what} is not a valid IAM policy document: {reason}. Fix it as the IAM policy grammar says (docs/errors.md lists the rules) and send it again; nothing was changed.',
  },
  WHARF_E_POLICY_TOO_LARGE: {
    status: 400,
    kind: 'user',
    title: 'Policy document too large',
    message: 'The {what} has {size} characters (whitespace not counted); the limit is {limit}. Make it smaller (merge statements, list actions with wildcards, or split it into several managed policies) and send it again; nothing was changed.',
  },
  WHARF_E_NO_SUCH_BUCKET: {
    status: 404,
    kind: 'user',
    aws: 'NoSuchBucket',
    title: 'No such bucket',
    message: 'The bucket {bucket} does not exist. Create it first (`aws s3 mb s3://{bucket}`, or CreateBucket), or check its name (`aws s3 ls` lists the buckets).',
  },
  WHARF_E_NO_SUCH_KEY: {
    status: 404,
    kind: 'user',
    aws: 'NoSuchKey',
    title: 'No such key',
    message: 'The bucket {bucket} has no object with the key {key}. Check the key (`aws s3 ls s3://{bucket}/` lists them), or upload the object first.',
  },
  WHARF_E_BUCKET_EXISTS: {
    status: 409,
    kind: 'user',
    aws: 'BucketAlreadyOwnedByYou',
    title: 'Bucket already exists',
    message: 'The bucket {bucket} already exists, and it is yours: use it as it is, or create one with another name; nothing was changed.',
  },
  WHARF_E_BUCKET_NOT_EMPTY: {
    status: 409,
    kind: 'user',
    aws: 'BucketNotEmpty',
    title: 'Bucket not empty',
    message: 'The bucket {bucket} still holds objects, and only an empty bucket can be deleted. Delete its objects first (`aws s3 rm s3://{bucket} --recursive`), then the bucket; nothing was changed.',
  },
  WHARF_E_INVALID_BUCKET_NAME: {
    status: 400,
    kind: 'user',
    aws: 'InvalidBucketName',
    title: 'Invalid bucket name',
    message: 'The bucket name {bucket} is not valid: {reason}. A bucket name has 3 to 63 lowercase letters, digits, dots and hyphens, starts and ends with a letter or a digit, and is not an IP address; nothing was changed.',
  },
  WHARF_E_TOO_MANY_BUCKETS: {
    status: 400,
    kind: 'user',
    aws: 'TooManyBuckets',
    title: 'Too many buckets',
    message: 'The account already has {count} buckets, the most it may have. Delete buckets you no longer need, then create this one; nothing was changed.',
  },
  WHARF_E_KEY_TOO_LONG: {
    status: 400,
    kind: 'user',
    aws: 'KeyTooLongError',
    title: 'Object key too long',
    message: 'The object key has {length} bytes of UTF-8; a key has at most {limit}. Use a shorter key; nothing was stored.',
  },
  WHARF_E_NO_SUCH_UPLOAD: {
    status: 404,
    kind: 'user',
    aws: 'NoSuchUpload',
    title: 'No such multipart upload',
    message: 'No multipart upload {uploadId} is in progress for the key {key} of the bucket {bucket}: it was completed or aborted, or never started. Start a new one with CreateMultipartUpload.',
  },
  WHARF_E_INVALID_PART: {
    status: 400,
    kind: 'user',
    aws: 'InvalidPart',
    title: 'Invalid part',
    message: 'Part {part} of the multipart upload {uploadId} {reason}. Upload the part (UploadPart) and name it with the ETag that call answered; nothing was changed.',
  },
  WHARF_E_INVALID_PART_ORDER: {
    status: 400,
    kind: 'user',
    aws: 'InvalidPartOrder',
    title: 'Parts out of order',
    message: 'CompleteMultipartUpload lists its parts in ascending order of PartNumber, each once, but {reason}. List them in order; nothing was changed.',
  },
  WHARF_E_ENTITY_TOO_SMALL: {
    status: 400,
    kind: 'user',
    aws: 'EntityTooSmall',
    title: 'Part too small',
    message: 'Part {part} has {size} bytes, and every part of a multipart upload but the last has at least {min} bytes. Upload larger parts (or the object in one PutObject); nothing was changed.',
  },
  WHARF_E_BAD_DIGEST: {
    status: 400,
    kind: 'user',
    aws: 'BadDigest',
    title: 'Body does not match its Content-MD5',
    message: 'The Content-MD5 sent ({declared}) is not the MD5 of the body received ({received}); nothing was stored. Send the bytes the digest was computed over.',
  },
  WHARF_E_INVALID_DIGEST: {
    status: 400,
    kind: 'user',
    aws: 'InvalidDigest',
    title: 'Invalid Content-MD5',
    message: 'The Content-MD5 header ({declared}) is not the base64 of a 16-byte MD5 digest. Send the base64 of the body\'s MD5, or no Content-MD5 at all; nothing was stored.',
  },
  WHARF_E_INVALID_RANGE: {
    status: 416,
    kind: 'user',
    aws: 'InvalidRange',
    title: 'Range not satisfiable',
    message: 'The range {range} cannot be served from the object {key} of {size} bytes: {reason}. Ask for bytes within the object (Range: bytes=first-last, counted from 0).',
  },
  WHARF_E_MALFORMED_XML: {
    status: 400,
    kind: 'user',
    aws: 'MalformedXML',
    title: 'Malformed XML',
    message: 'The XML body of {operation} is not what it takes: {reason}. Send it as the S3 API reference shows; nothing was changed.',
  },
  WHARF_E_S3_NOT_IMPLEMENTED: {
    status: 400,
    kind: 'user',
    aws: 'NotImplemented',
    title: 'S3 operation not implemented',
    message: "Wharf's S3 API does not implement {what}. It serves ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation, ListObjects(V2), PutObject, GetObject, HeadObject, DeleteObject and multipart uploads, path-style; src/controller/api/aws/README.md says more.",
  },
  WHARF_E_SCALING_OBJECT_NOT_FOUND: {
    status: 404,
    kind: 'user',
    aws: 'ObjectNotFoundException',
    title: 'Scaling policy or scheduled action not found',
    message: 'No {kind} named "{name}" exists for {resourceId}. List them with {list} and name one that does; nothing was changed.',
  },
  WHARF_E_RESOURCE_NOT_FOUND: {
    status: 404,
    kind: 'user',
    aws: 'ResourceNotFoundException',
    title: 'Resource not found',
    message: 'No {kind} has the ARN "{arn}". {fix}',
  },
  WHARF_E_RESOURCE_TYPE_NOT_SUPPORTED: {
    status: 400,
    kind: 'user',
    aws: 'ResourceTypeNotSupportedException',
    title: 'Resource type not supported',
    message: 'The ARN "{arn}" names {kind}, which cannot be tagged. Elastic Beanstalk tags applications, application versions, environments and saved configurations (arn:wharf:elasticbeanstalk:<region>:<account>:application/<name>, applicationversion/<application>/<label>, environment/<application>/<name>, configurationtemplate/<application>/<name>); nothing was changed.',
  },
  WHARF_E_TOO_MANY_TAGS: {
    status: 400,
    kind: 'user',
    aws: 'TooManyTagsException',
    title: 'Too many tags',
    message: 'The {kind} "{arn}" would have {count} tags; it may have at most {limit}. Remove some first (or in the same call); nothing was changed.',
  },
  WHARF_E_ATTRIBUTE_TARGET_NOT_FOUND: {
    status: 404,
    kind: 'user',
    aws: 'TargetNotFoundException',
    title: 'Attribute target not found',
    message: 'Container instance "{target}" is not a live container instance of cluster "{cluster}". Attributes go on registered container instances: name one by id or ARN (ListContainerInstances) and the cluster it is in; nothing was changed.',
  },
  WHARF_E_ATTRIBUTE_LIMIT_EXCEEDED: {
    status: 400,
    kind: 'user',
    aws: 'AttributeLimitExceededException',
    title: 'Too many custom attributes',
    message: 'Container instance {target} would hold {count} custom attributes; at most {limit} are allowed. Delete some with DeleteAttributes first; nothing was changed.',
  },
  WHARF_E_WAITER_FAILED: {
    status: 409,
    kind: 'user',
    title: 'Waiter failed',
    message: 'Waiter {waiter} failed: {reason}',
  },
  WHARF_E_LOAD_BALANCER_NOT_FOUND: {
    status: 404,
    kind: 'user',
    aws: 'LoadBalancerNotFound',
    title: 'Load balancer not found',
    message: 'Load balancer {loadBalancer} does not exist. List them with DescribeLoadBalancers, or create it with CreateLoadBalancer.',
  },
  WHARF_E_LOAD_BALANCER_EXISTS: {
    status: 409,
    kind: 'user',
    aws: 'DuplicateLoadBalancerName',
    title: 'Load balancer exists',
    message: "A load balancer named {name} already exists. Choose another name (the name `wharf` is the built-in load balancer's).",
  },
  WHARF_E_DELETION_PROTECTED: {
    status: 409,
    kind: 'user',
    aws: 'OperationNotPermitted',
    title: 'Deletion protection',
    message: 'Load balancer {loadBalancer} cannot be deleted: {reason}. Set the attribute deletion_protection.enabled to false first (ModifyLoadBalancerAttributes); nothing was changed.',
  },
  WHARF_E_DUPLICATE_TAG_KEYS: {
    status: 400,
    kind: 'user',
    aws: 'DuplicateTagKeys',
    title: 'Duplicate tag keys',
    message: 'The tag key {key} is given more than once. Give each key once; nothing was changed.',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

type ParamNames<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | ParamNames<Rest> : never;

/** The parameters a code's message template names. */
export type ErrorParams<C extends ErrorCode> = Record<ParamNames<(typeof ERROR_CATALOGUE)[C]['message']>, string | number>;

/** One field-level problem, as reported in a problem's `errors` list. */
export interface FieldError {
  /** Dotted path of the offending field, e.g. `containerDefinitions.0.memory`; empty for the body itself. */
  readonly field: string;
  readonly message: string;
}

export interface WharfErrorOptions {
  readonly errors?: readonly FieldError[];
  /** Typed context for logs, e.g. `{ cluster: 'default' }`. Never shown in place of the message. */
  readonly context?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

/**
 * An error from the catalogue. Throw it anywhere; the API renders it as a JSON problem and the CLI
 * prints it without a stack when it is a user error.
 */
export class WharfError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly kind: ErrorKind;
  readonly title: string;
  readonly errors: readonly FieldError[];
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: WharfErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const spec: ErrorSpec = ERROR_CATALOGUE[code];
    this.name = 'WharfError';
    this.code = code;
    this.status = spec.status;
    this.kind = spec.kind;
    this.title = spec.title;
    this.errors = options.errors ?? [];
    this.context = options.context ?? {};
  }
}

/** Fills a code's template and returns the error, ready to throw. */
export function wharfError<C extends ErrorCode>(code: C, params: ErrorParams<C>, options: WharfErrorOptions = {}): WharfError {
  const template: string = ERROR_CATALOGUE[code].message;
  const values = params as Record<string, string | number>;
  const message = template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
  return new WharfError(code, message, { ...options, context: { ...params, ...options.context } });
}

/** True for errors whose message is for the user as it stands (no stack needed). */
export function isUserError(error: unknown): error is WharfError {
  return error instanceof WharfError && error.kind === 'user';
}
