/**
 * IAM policy evaluation benchmark (in memory): the cost of authorising one request, for a caller
 * whose policies hold 10 and 200 statements in all.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/iam/policy-eval.js [--requests 100000] [--sizes 10,200] [--seed 1] [--json]
 *
 * Each policy set is a realistic mix, split into managed-policy-sized documents (at most 6,144
 * characters each, parsed with parsePolicyDocument): Allow statements on actions with wildcards
 * (`ecs:Describe*`), on cluster and task definition ARNs with `*` and `?`, NotAction statements,
 * conditions on `aws:SourceIp` (IPv4 and IPv6 blocks) and `ecs:cluster`, a policy variable, and a
 * few narrow Deny statements. `--requests` random requests (actions, resources, source addresses
 * and clusters drawn from the same vocabulary, a third of them outside it) are built first, then
 * evaluated one by one, each timed on its own; the first evaluation of a set (which compiles its
 * documents) is reported apart, after a warm-up of the same requests.
 *
 * Anchor, measured in the same run the same way: one HMAC-SHA256 of a 1 KiB payload (SigV4 takes
 * five HMACs and a SHA-256 of the body per request, so the ratio says what authorisation adds to
 * authentication). Reports p50 and p99 microseconds per evaluation, the anchor, their ratio, and
 * the mix of decisions.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { AuthorizationRequest, Decision, PolicySource } from '../../src/model/iam/evaluate.js';
import { evaluate } from '../../src/model/iam/evaluate.js';
import { MAX_MANAGED_POLICY_CHARS, parsePolicyDocument, policyDocumentSize } from '../../src/model/iam/policy.js';
import type { Rng } from '../../src/controller/scheduler/random.js';
import { randomInt, seededRandom } from '../../src/controller/scheduler/random.js';
import { quantile } from '../scheduler/cluster.js';

const ACCOUNT = '000000000000';
const TEAMS = ['web', 'api', 'data', 'ml', 'ops', 'edge', 'pay', 'search'];
const ENVS = ['dev', 'test', 'prod'];
const ECS_ACTIONS = ['RunTask', 'StopTask', 'DescribeTasks', 'ListTasks', 'DescribeClusters', 'ListClusters', 'CreateService', 'UpdateService', 'DeleteService', 'DescribeServices', 'RegisterTaskDefinition', 'DeregisterTaskDefinition', 'DeleteCluster', 'TagResource'];
const EB_ACTIONS = ['CreateEnvironment', 'UpdateEnvironment', 'TerminateEnvironment', 'DescribeEnvironments', 'CreateApplicationVersion'];
const IAM_ACTIONS = ['GetUser', 'CreateAccessKey', 'ListAccessKeys', 'PutUserPolicy', 'CreateUser'];
const OFFICE_V4 = ['203.0.113.0/24', '198.51.100.0/25', '10.0.0.0/8'];
const OFFICE_V6 = ['2001:db8::/32', 'fd00:1234::/48'];

const pick = <T>(items: readonly T[], rng: Rng): T => items[randomInt(rng, items.length)] as T;
const clusterArn = (name: string) => `arn:wharf:ecs:local:${ACCOUNT}:cluster/${name}`;

/** One statement of the mix, by kind (weights in `STATEMENT_KINDS`). */
function statement(kind: string, rng: Rng, index: number): Record<string, unknown> {
  const team = pick(TEAMS, rng);
  const env = pick(ENVS, rng);
  const sid = { Sid: `S${index}` };
  switch (kind) {
    case 'read':
      return { ...sid, Effect: 'Allow', Action: ['ecs:Describe*', 'ecs:List*', 'elasticbeanstalk:Describe*'], Resource: '*' };
    case 'team':
      return { ...sid, Effect: 'Allow', Action: ['ecs:RunTask', 'ecs:StopTask', 'ecs:*Service'], Resource: [clusterArn(`${team}-${env}-*`), `arn:wharf:ecs:*:${ACCOUNT}:task-definition/${team}-*:*`, `arn:wharf:ecs:local:${ACCOUNT}:service/${team}-${env}-?/*`] };
    case 'notAction':
      return { ...sid, Effect: 'Allow', NotAction: ['iam:*', 'ecs:Delete*', 'elasticbeanstalk:Terminate*'], Resource: clusterArn(`${team}-*`) };
    case 'sourceIp':
      return { ...sid, Effect: 'Allow', Action: `ecs:${pick(ECS_ACTIONS, rng)}`, Resource: `arn:wharf:ecs:local:${ACCOUNT}:*`, Condition: { IpAddress: { 'aws:SourceIp': [pick(OFFICE_V4, rng), pick(OFFICE_V6, rng)] } } };
    case 'cluster':
      return { ...sid, Effect: 'Allow', Action: ['ecs:RunTask', 'ecs:StartTask'], Resource: '*', Condition: { StringEquals: { 'ecs:cluster': [clusterArn(`${team}-${env}-1`), clusterArn(`${team}-${env}-2`)] }, Bool: { 'aws:SecureTransport': 'true' } } };
    case 'clusterLike':
      return { ...sid, Effect: 'Allow', Action: 'ecs:*', Resource: clusterArn(`${team}-*`), Condition: { StringLike: { 'ecs:cluster': `*${team}-${env}*` }, NotIpAddress: { 'aws:SourceIp': '192.0.2.0/24' } } };
    case 'beanstalk':
      return { ...sid, Effect: 'Allow', Action: ['elasticbeanstalk:UpdateEnvironment', 'elasticbeanstalk:CreateApplicationVersion'], Resource: `arn:wharf:elasticbeanstalk:local:${ACCOUNT}:environment/${team}/*` };
    case 'self':
      return { ...sid, Effect: 'Allow', Action: ['iam:*AccessKey*', 'iam:GetUser'], Resource: `arn:wharf:iam::${ACCOUNT}:user/\${aws:username}` };
    case 'denyProd':
      return { ...sid, Effect: 'Deny', Action: ['ecs:DeleteCluster', 'ecs:DeleteService'], Resource: clusterArn(`${team}-prod-*`) };
    case 'denyOutside':
      return { ...sid, Effect: 'Deny', Action: 'iam:*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': OFFICE_V4 } } };
    default:
      throw new Error(`unknown statement kind ${kind}`);
  }
}

/** The mix: how often each kind appears. */
const STATEMENT_KINDS: readonly [string, number][] = [
  ['read', 2],
  ['team', 5],
  ['notAction', 1],
  ['sourceIp', 3],
  ['cluster', 3],
  ['clusterLike', 2],
  ['beanstalk', 2],
  ['self', 1],
  ['denyProd', 1],
  ['denyOutside', 0.3],
];

function weightedKind(rng: Rng): string {
  const total = STATEMENT_KINDS.reduce((sum, [, weight]) => sum + weight, 0);
  let r = rng() * total;
  for (const [kind, weight] of STATEMENT_KINDS) {
    r -= weight;
    if (r < 0) return kind;
  }
  return 'read';
}

/** `count` statements of the mix, as documents of at most a managed policy's size. */
export function policySet(count: number, rng: Rng): PolicySource[] {
  const statements = Array.from({ length: count }, (_, i) => statement(weightedKind(rng), rng, i));
  const policies: PolicySource[] = [];
  let batch: Record<string, unknown>[] = [];
  const flush = () => {
    const text = JSON.stringify({ Version: '2012-10-17', Statement: batch });
    const id = `arn:wharf:iam::${ACCOUNT}:policy/bench-${policies.length}`;
    policies.push({ id, document: parsePolicyDocument(text, id, MAX_MANAGED_POLICY_CHARS) });
    batch = [];
  };
  for (const s of statements) {
    if (batch.length > 0 && policyDocumentSize(JSON.stringify({ Version: '2012-10-17', Statement: [...batch, s] })) > MAX_MANAGED_POLICY_CHARS) flush();
    batch.push(s);
  }
  if (batch.length > 0) flush();
  return policies;
}

/** A request from the same vocabulary as the policies (a third of the names outside it). */
function request(rng: Rng): AuthorizationRequest {
  const team = rng() < 0.67 ? pick(TEAMS, rng) : `other${randomInt(rng, 50)}`;
  const env = pick(ENVS, rng);
  const cluster = clusterArn(`${team}-${env}-${1 + randomInt(rng, 3)}`);
  const service = rng();
  let action: string;
  let resource: string;
  if (service < 0.7) {
    action = `ecs:${pick(ECS_ACTIONS, rng)}`;
    const r = rng();
    resource = r < 0.5 ? cluster : r < 0.7 ? `arn:wharf:ecs:local:${ACCOUNT}:task-definition/${team}-app:${1 + randomInt(rng, 40)}` : r < 0.85 ? `arn:wharf:ecs:local:${ACCOUNT}:service/${team}-${env}-1/svc${randomInt(rng, 9)}` : '*';
  } else if (service < 0.9) {
    action = `elasticbeanstalk:${pick(EB_ACTIONS, rng)}`;
    resource = `arn:wharf:elasticbeanstalk:local:${ACCOUNT}:environment/${team}/${team}-${env}`;
  } else {
    action = `iam:${pick(IAM_ACTIONS, rng)}`;
    resource = `arn:wharf:iam::${ACCOUNT}:user/${rng() < 0.5 ? 'alice' : 'bob'}`;
  }
  const ip = rng();
  const sourceIp = ip < 0.4 ? `203.0.113.${randomInt(rng, 256)}` : ip < 0.55 ? `10.${randomInt(rng, 256)}.0.${randomInt(rng, 256)}` : ip < 0.7 ? `2001:db8:${randomInt(rng, 65536).toString(16)}::1` : ip < 0.8 ? `::ffff:198.51.100.${randomInt(rng, 256)}` : `192.0.2.${randomInt(rng, 256)}`;
  return {
    action,
    resource,
    context: {
      'aws:SourceIp': sourceIp,
      'aws:username': 'alice',
      'aws:userid': 'AIDAEXAMPLEALICE0001',
      'aws:PrincipalArn': `arn:wharf:iam::${ACCOUNT}:user/alice`,
      'aws:SecureTransport': rng() < 0.9,
      'ecs:cluster': cluster,
    },
  };
}

/** p50, p99 and max of per-call times, in microseconds. */
export interface Latency {
  readonly p50Us: number;
  readonly p99Us: number;
  readonly maxUs: number;
}

function latency(samplesMs: number[]): Latency {
  samplesMs.sort((a, b) => a - b);
  return { p50Us: quantile(samplesMs, 0.5) * 1000, p99Us: quantile(samplesMs, 0.99) * 1000, maxUs: (samplesMs[samplesMs.length - 1] ?? NaN) * 1000 };
}

export interface SetResult extends Latency {
  readonly statements: number;
  readonly policies: number;
  readonly requests: number;
  /** The first evaluation of the set, which compiles its documents. */
  readonly firstEvaluationUs: number;
  readonly decisions: Readonly<Record<Decision['effect'], number>>;
  /** p50 of this set over p50 of the anchor. */
  readonly p50OverAnchor: number;
}

export interface PolicyEvalResult {
  readonly seed: number;
  readonly anchor: Latency & { readonly what: string };
  /** What a pair of timer reads costs alone (included in every figure). */
  readonly timerOverheadUs: number;
  readonly sets: readonly SetResult[];
}

/** Times each call of `fn` over `inputs`, after `warmUp` untimed calls. */
function timeEach<T>(inputs: readonly T[], fn: (input: T) => unknown, warmUp: number): number[] {
  for (let i = 0; i < warmUp; i++) fn(inputs[i % inputs.length] as T);
  const samples = new Array<number>(inputs.length);
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i] as T;
    const start = performance.now();
    fn(input);
    samples[i] = performance.now() - start;
  }
  return samples;
}

export function runPolicyEvalBench(options: { readonly requests: number; readonly sizes: readonly number[]; readonly seed: number }): PolicyEvalResult {
  // Separate streams, so a set's policies do not depend on how many requests are drawn.
  const requestRng = seededRandom(options.seed);
  const requests = Array.from({ length: options.requests }, () => request(requestRng));

  const payload = randomBytes(1024);
  const key = randomBytes(32);
  const anchor = latency(timeEach(requests, () => createHmac('sha256', key).update(payload).digest(), 10_000));
  const overhead = latency(timeEach(requests, () => undefined, 10_000));

  const sets: SetResult[] = [];
  for (const size of options.sizes) {
    const policies = policySet(size, seededRandom(options.seed * 1_000_003 + size));
    const first = requests[0] as AuthorizationRequest;
    const started = performance.now();
    evaluate(policies, first);
    const firstEvaluationUs = (performance.now() - started) * 1000;
    const decisions: Record<Decision['effect'], number> = { Allow: 0, ExplicitDeny: 0, ImplicitDeny: 0 };
    for (const r of requests) decisions[evaluate(policies, r).effect]++;
    const timed = latency(timeEach(requests, (r) => evaluate(policies, r), 10_000));
    sets.push({ statements: size, policies: policies.length, requests: requests.length, firstEvaluationUs, decisions, ...timed, p50OverAnchor: timed.p50Us / anchor.p50Us });
  }
  return { seed: options.seed, anchor: { what: 'HMAC-SHA256 of 1 KiB', ...anchor }, timerOverheadUs: overhead.p50Us, sets };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '100000' },
      sizes: { type: 'string', default: '10,200' },
      seed: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
    },
  });
  const result = runPolicyEvalBench({ requests: Number(values.requests), sizes: values.sizes.split(',').map(Number), seed: Number(values.seed) });
  if (values.json) {
    console.log(JSON.stringify(result));
    return;
  }
  const f = (n: number, d = 2) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  console.log(`IAM policy evaluation: ${f(result.sets[0]?.requests ?? 0, 0)} requests per set, seed ${result.seed}`);
  console.log(`  anchor (${result.anchor.what})  p50 ${f(result.anchor.p50Us)} us, p99 ${f(result.anchor.p99Us)} us   (timer overhead ${f(result.timerOverheadUs, 3)} us, included everywhere)`);
  for (const set of result.sets) {
    const mix = Object.entries(set.decisions)
      .map(([effect, n]) => `${effect} ${f((100 * n) / set.requests, 1)} %`)
      .join(', ');
    console.log(`  ${String(set.statements).padStart(4)} statements in ${set.policies} policies: p50 ${f(set.p50Us)} us, p99 ${f(set.p99Us)} us, max ${f(set.maxUs, 0)} us; p50 = ${f(set.p50OverAnchor)} x anchor; first (compiling) ${f(set.firstEvaluationUs, 0)} us; ${mix}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
