/**
 * The AWS CLI v2 (Debian's `awscli`, at /usr/bin/aws) and its service models, for the tests of the
 * AWS endpoint. The CLI runs with a HOME, config and credentials file of its own (never the user's
 * ~/.aws), each call bounded by a timeout after which it is killed.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Credentials } from '../../src/model/sigv4.js';
import { runToCompletion } from './cli.js';
import { startTestController } from './controller.js';
import { credentialsFor } from './signing.js';
import type { CleanupScope } from './temp.js';
import { tempDir } from './temp.js';

/** The AWS CLI v2 from Debian's `awscli` (an older v1 may shadow it on PATH). */
export const AWS_CLI = '/usr/bin/aws';

/** Where Debian's `awscli` keeps botocore's service models. */
const MODELS = '/usr/lib/python3/dist-packages/awscli/botocore/data';

const INSTALL_HINT = 'Install Debian\'s awscli (AWS CLI v2): scripts/install-deps.sh --for-tests, or apt-get install awscli';

/** A botocore service model (service-2.json), as much of it as the tests read. */
export interface ServiceModel {
  readonly metadata: { readonly targetPrefix?: string; readonly signingName?: string; readonly endpointPrefix: string; readonly apiVersion: string; readonly xmlNamespace?: string; readonly protocol: string };
  readonly operations: Readonly<Record<string, { readonly input?: { readonly shape: string }; readonly output?: { readonly shape: string }; readonly errors?: readonly { readonly shape: string }[] }>>;
  readonly shapes: Readonly<Record<string, Shape>>;
}

interface Shape {
  readonly type: string;
  readonly members?: Readonly<Record<string, { readonly shape: string }>>;
  readonly member?: { readonly shape: string };
  readonly value?: { readonly shape: string };
  readonly exception?: boolean;
  /** An exception's code and status on the wire (the Query protocol's), when not its shape name and 400. */
  readonly error?: { readonly code?: string; readonly httpStatusCode?: number; readonly senderFault?: boolean };
}

/** The services whose models the tests read, and the model version Wharf speaks. */
const MODEL_VERSIONS = { ecs: '2014-11-13', 'application-autoscaling': '2016-02-06', elasticbeanstalk: '2010-12-01', elbv2: '2015-12-01', iam: '2010-05-08', sts: '2011-06-15' } as const;

/** The model of `service` at `version` that the installed AWS CLI uses. */
export function awsModel(service: keyof typeof MODEL_VERSIONS): ServiceModel {
  const version = MODEL_VERSIONS[service];
  const file = path.join(MODELS, service, version, 'service-2.json');
  if (!existsSync(file)) throw new Error(`No AWS model at ${file}. ${INSTALL_HINT}`);
  return JSON.parse(readFileSync(file, 'utf8')) as ServiceModel;
}

/** One of the model's other files (`paginators-1.json`, `waiters-2.json`) beside its service-2.json, or `{}` when it has none. */
function modelFile(service: keyof typeof MODEL_VERSIONS, name: string): Record<string, unknown> {
  const file = path.join(MODELS, service, MODEL_VERSIONS[service], name);
  if (!existsSync(path.join(MODELS, service, MODEL_VERSIONS[service], 'service-2.json'))) throw new Error(`No AWS model for ${service}. ${INSTALL_HINT}`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
}

/** A botocore paginator. */
export interface AwsPaginator {
  readonly input_token: string;
  readonly output_token: string;
  readonly limit_key?: string;
  readonly result_key: string | readonly string[];
  readonly more_results?: string;
}

/** The AWS CLI's paginators of `service`, by operation. */
export function awsPaginators(service: keyof typeof MODEL_VERSIONS): Readonly<Record<string, AwsPaginator>> {
  return (modelFile(service, 'paginators-1.json').pagination ?? {}) as Record<string, AwsPaginator>;
}

/** A botocore waiter. */
export interface AwsWaiter {
  readonly operation: string;
  readonly delay: number;
  readonly maxAttempts: number;
  readonly acceptors: readonly Readonly<Record<string, unknown>>[];
}

/** The AWS CLI's waiters of `service`, by botocore's name (`ServicesStable`). */
export function awsWaiters(service: keyof typeof MODEL_VERSIONS): Readonly<Record<string, AwsWaiter>> {
  return (modelFile(service, 'waiters-2.json').waiters ?? {}) as Record<string, AwsWaiter>;
}

/** The members of an operation's input. */
export function inputMembers(model: ServiceModel, operation: string): string[] {
  const shape = model.operations[operation]?.input?.shape;
  return shape === undefined ? [] : Object.keys(model.shapes[shape]?.members ?? {});
}

/** Every place of an operation's output that is a timestamp, as `tasks[].createdAt`. */
export function timestampPaths(model: ServiceModel, operation: string): string[] {
  const found: string[] = [];
  const walk = (name: string, at: string, seen: ReadonlySet<string>): void => {
    const shape = model.shapes[name];
    if (!shape || seen.has(name)) return;
    const next = new Set(seen).add(name);
    if (shape.type === 'timestamp') found.push(at);
    else if (shape.type === 'structure') for (const [member, ref] of Object.entries(shape.members ?? {})) walk(ref.shape, at === '' ? member : `${at}.${member}`, next);
    else if (shape.type === 'list' && shape.member) walk(shape.member.shape, `${at}[]`, next);
    else if (shape.type === 'map' && shape.value) walk(shape.value.shape, `${at}{}`, next);
  };
  const output = model.operations[operation]?.output?.shape;
  if (output !== undefined) walk(output, '', new Set());
  return found;
}

/** Every exception shape any operation of the model names. */
export function modelExceptions(model: ServiceModel): Set<string> {
  return new Set(Object.values(model.operations).flatMap((o) => (o.errors ?? []).map((e) => e.shape)));
}

export interface AwsCliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON (undefined when empty or not JSON). */
  readonly json: any;
}

/** What one call may change: its timeout (the CLI's default otherwise) and variables added to its environment. */
export interface AwsCliCallOptions {
  readonly timeoutMs?: number;
  readonly env?: Record<string, string>;
}

export interface AwsCli {
  /** Runs `aws --endpoint-url <api> --region us-east-1 <args…>` to completion (killed after `timeoutMs`). */
  run(args: readonly string[], options?: AwsCliCallOptions): Promise<AwsCliResult>;
  /** A call that must succeed (see `awsSucceeded`): its parsed JSON output. */
  ok(args: readonly string[], options?: AwsCliCallOptions): Promise<any>;
  /** A call that must succeed, for the commands that print text (`aws s3 ls`): what it printed. */
  okText(args: readonly string[], options?: AwsCliCallOptions): Promise<string>;
  /** A call that must fail as `expected` says (see `awsFailed`): its error output. */
  fails(args: readonly string[], expected: string | RegExp, options?: AwsCliCallOptions): Promise<string>;
}

/** How long one call may take unless `awsCli`'s or the call's options say otherwise. */
const AWS_CLI_TIMEOUT_MS = 60_000;

/**
 * Asserts that the call `aws args…` answered `res` with exit code 0 (a failure names the call and
 * shows its stderr) and returns its parsed JSON output. For a result awaited elsewhere (a waiter
 * started before the change it waits for); `AwsCli.ok` runs and checks in one step.
 */
export function awsSucceeded(args: readonly string[], res: AwsCliResult): any {
  assert.equal(res.code, 0, `aws ${args.join(' ')}: ${res.stderr}`);
  return res.json;
}

/**
 * Asserts that the call `aws args…` failed (a non-zero exit) as `expected` says, and returns its
 * stderr. A string is the error code the CLI prints in its one error line, `An error occurred
 * (<code>) when calling the <Operation> operation: <message>` (the message not empty); a RegExp
 * is matched against the whole stderr (waiters, or a message checked with its code).
 */
export function awsFailed(args: readonly string[], res: AwsCliResult, expected: string | RegExp): string {
  assert.notEqual(res.code, 0, `aws ${args.join(' ')} should fail`);
  const pattern = typeof expected === 'string' ? new RegExp(`An error occurred \\(${expected}\\) when calling the \\w+ operation( \\(reached max retries: 0\\))?: \\S`) : expected;
  assert.match(res.stderr, pattern, res.stderr);
  return res.stderr;
}

/**
 * The AWS CLI pointed at `endpoint`, signing with `credentials`, in a HOME of its own. Each call
 * is killed after `options.timeoutMs` (60 s unless given here or in the call's options).
 */
export async function awsCli(scope: CleanupScope, endpoint: string, credentials: Credentials, options: { readonly timeoutMs?: number } = {}): Promise<AwsCli> {
  if (!existsSync(AWS_CLI)) throw new Error(`No AWS CLI v2 at ${AWS_CLI}. ${INSTALL_HINT}`);
  const home = await tempDir(scope, 'wharf-aws-cli-');
  const credentialsFile = path.join(home, 'credentials');
  const configFile = path.join(home, 'config');
  await writeFile(credentialsFile, `[default]\naws_access_key_id = ${credentials.accessKeyId}\naws_secret_access_key = ${credentials.secretAccessKey}\n`, { mode: 0o600 });
  await writeFile(configFile, '[default]\nregion = us-east-1\noutput = json\ncli_pager =\n');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
    AWS_CONFIG_FILE: configFile,
    AWS_PAGER: '',
    AWS_MAX_ATTEMPTS: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
    LANG: 'C.UTF-8',
  };
  const run = async (args: readonly string[], call: AwsCliCallOptions = {}): Promise<AwsCliResult> => {
    const argv = ['--endpoint-url', endpoint, '--region', 'us-east-1', ...args];
    const result = await runToCompletion('aws', AWS_CLI, argv, args, { env: { ...env, ...call.env }, timeoutMs: call.timeoutMs ?? options.timeoutMs ?? AWS_CLI_TIMEOUT_MS });
    let json: unknown;
    try {
      json = result.stdout.trim() === '' ? undefined : JSON.parse(result.stdout);
    } catch {
      json = undefined;
    }
    return { code: result.code, stdout: result.stdout, stderr: result.stderr, json };
  };
  return {
    run,
    ok: async (args, call) => awsSucceeded(args, await run(args, call)),
    okText: async (args, call) => {
      const res = await run(args, call);
      awsSucceeded(args, res);
      return res.stdout;
    },
    fails: async (args, expected, call) => awsFailed(args, await run(args, call), expected),
  };
}

/** A controller of its own (stopped after `scope`) and the AWS CLI pointed at it, signing with the key it registered. */
export async function awsCliOnTestController(scope: CleanupScope): Promise<AwsCli> {
  const api = await startTestController(scope);
  return awsCli(scope, api.url, credentialsFor(api.url)!);
}

/**
 * The CLI's own waiters, polling every second instead of every 15 to 20 s: a copy of each named
 * service's waiters-2.json with `delay` set to 1 and, when given, `maxAttempts` raised to at least
 * `maxAttempts` (a waiter that must outlast a slow change) or set to `{ exactly }` (a waiter that
 * must give up soon), in a folder of its own. Pass the returned environment (`AWS_DATA_PATH`,
 * botocore's model search path, read before the built-in data) to `AwsCli.run`: the acceptors stay the CLI's.
 */
export async function fastWaiters(scope: CleanupScope, services: readonly (keyof typeof MODEL_VERSIONS)[], maxAttempts?: number | { readonly exactly: number }): Promise<Record<string, string>> {
  const dataPath = await tempDir(scope, 'wharf-aws-data-');
  for (const service of services) {
    const folder = path.join(service, MODEL_VERSIONS[service]);
    const waiters = JSON.parse(await readFile(path.join(MODELS, folder, 'waiters-2.json'), 'utf8')) as { waiters: Record<string, { delay: number; maxAttempts: number }> };
    for (const waiter of Object.values(waiters.waiters)) {
      waiter.delay = 1;
      if (typeof maxAttempts === 'number') waiter.maxAttempts = Math.max(waiter.maxAttempts, maxAttempts);
      else if (maxAttempts !== undefined) waiter.maxAttempts = maxAttempts.exactly;
    }
    await mkdir(path.join(dataPath, folder), { recursive: true });
    await writeFile(path.join(dataPath, folder, 'waiters-2.json'), JSON.stringify(waiters));
  }
  return { AWS_DATA_PATH: dataPath };
}
