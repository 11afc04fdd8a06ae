// STS end to end with the AWS SDK for JavaScript v3 STS client and the AWS CLI, unmodified,
// against a real in-process controller: AssumeRole as the root and as users, allowed or refused by
// the role's trust policy and by the caller's own policies (refusals audited); a session's
// credentials used with other clients (its role's policies decide), GetCallerIdentity as the
// session; expired, forged, garbled, unsigned and borrowed session tokens refused; a deleted
// role's sessions refused; iam:PassRole for the roles a task definition or RunTask names; the wharf
// CLI's sts commands.
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { DescribeServicesCommand, ECSClient, ListClustersCommand, RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, DeleteRoleCommand, DeleteRolePolicyCommand, GetUserCommand, IAMClient, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { loadSealer, sealerFor } from '../../src/controller/identity/sealing.js';
import { openSessionToken, sealSessionToken } from '../../src/controller/identity/sealing.js';
import type { Credentials } from '../../src/model/sigv4.js';
import { presignUrl, sha256Hex, signRequest } from '../../src/model/sigv4.js';
import { awsCli } from '../support/aws.js';
import { runWharf } from '../support/cli.js';
import type { TestController } from '../support/controller.js';
import { startTestController } from '../support/controller.js';
import { credentialsFor } from '../support/signing.js';
import { suiteScope } from '../support/temp.js';

const ACCOUNT = '000000000000';
const roleArn = (name: string) => `arn:wharf:iam::${ACCOUNT}:role/${name}`;
const sessionArn = (role: string, session: string) => `arn:wharf:sts::${ACCOUNT}:assumed-role/${role}/${session}`;

/** A trust policy allowing `principals` (AWS principals) to assume the role, and denying `denied`. */
function trust(principals: string[], denied: string[] = []): string {
  const statements: object[] = [{ Effect: 'Allow', Principal: { AWS: principals }, Action: 'sts:AssumeRole' }];
  if (denied.length > 0) statements.push({ Effect: 'Deny', Principal: { AWS: denied }, Action: 'sts:AssumeRole' });
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}
const LIST_CLUSTERS = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecs:ListClusters', Resource: '*' }] });

/** The error a call fails with. */
async function failure(call: Promise<unknown>): Promise<any> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  assert.fail('the call should have failed');
}

/** Checks an error as the SDK client parsed it: its name, the HTTP status, and the message. */
async function fails(call: Promise<unknown>, expected: { name: string; status: number; message?: RegExp }): Promise<any> {
  const error = await failure(call);
  assert.equal(error.name, expected.name, `${error.name}: ${error.message}`);
  assert.equal(error.$metadata.httpStatusCode, expected.status, error.message);
  if (expected.message) assert.match(error.message, expected.message);
  return error;
}

describe('STS role sessions through the SDK v3 clients and the AWS CLI', () => {
  const scope = suiteScope();
  let api: TestController;
  let root: Credentials;
  let iam: IAMClient;
  let rootSts: STSClient;

  function sts(credentials: Credentials): STSClient {
    const made = new STSClient({ endpoint: api.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    scope.after(() => made.destroy());
    return made;
  }
  function ecs(credentials: Credentials): ECSClient {
    const made = new ECSClient({ endpoint: api.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    scope.after(() => made.destroy());
    return made;
  }
  /** A user with `policy` (if any), and its credentials. */
  async function user(name: string, policy?: string): Promise<Credentials> {
    await iam.send(new CreateUserCommand({ UserName: name }));
    if (policy) await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: policy }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
    return { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
  }
  /** A session of `role` assumed by `as`: its credentials. */
  async function assume(as: STSClient, role: string, session: string, durationSeconds?: number): Promise<Credentials & { sessionToken: string; expiration: Date }> {
    const { Credentials: c } = await as.send(new AssumeRoleCommand({ RoleArn: roleArn(role), RoleSessionName: session, ...(durationSeconds ? { DurationSeconds: durationSeconds } : {}) }));
    return { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken!, expiration: c!.Expiration! };
  }
  async function audit(query: string): Promise<any[]> {
    const { json } = await api.call('GET', `/v1/audit?maxRecords=100&${query}`);
    return json.records;
  }

  before(async () => {
    api = await startTestController(scope);
    root = credentialsFor(api.url)!;
    iam = new IAMClient({ endpoint: api.url, region: 'us-east-1', credentials: root, maxAttempts: 1 });
    scope.after(() => iam.destroy());
    rootSts = sts(root);
    await iam.send(new CreateRoleCommand({ RoleName: 'app', AssumeRolePolicyDocument: trust([ACCOUNT]) }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'app', PolicyName: 'list', PolicyDocument: LIST_CLUSTERS }));
  });

  test("the root assumes a role; the session acts with the role's policies, and knows who it is", async () => {
    const me = await rootSts.send(new GetCallerIdentityCommand({}));
    assert.deepEqual({ Account: me.Account, Arn: me.Arn, UserId: me.UserId }, { Account: ACCOUNT, Arn: `arn:wharf:iam::${ACCOUNT}:root`, UserId: ACCOUNT });

    const before = Date.now();
    const answer = await rootSts.send(new AssumeRoleCommand({ RoleArn: roleArn('app'), RoleSessionName: 'build-42' }));
    const c = answer.Credentials!;
    assert.match(c.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/);
    assert.equal(c.SecretAccessKey!.length, 40);
    assert.ok(c.SessionToken!.length > 40);
    const lasts = c.Expiration!.getTime() - before;
    assert.ok(lasts > 3_590_000 && lasts <= 3_601_000, `the default session lasts an hour (${lasts} ms)`);
    assert.equal(answer.AssumedRoleUser?.Arn, sessionArn('app', 'build-42'));
    assert.match(answer.AssumedRoleUser!.AssumedRoleId!, /^AROA[A-Z2-7]+:build-42$/);
    const session: Credentials = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };

    const who = await sts(session).send(new GetCallerIdentityCommand({}));
    assert.deepEqual({ Account: who.Account, Arn: who.Arn, UserId: who.UserId }, { Account: ACCOUNT, Arn: sessionArn('app', 'build-42'), UserId: answer.AssumedRoleUser!.AssumedRoleId });

    const asRole = ecs(session);
    assert.ok(Array.isArray((await asRole.send(new ListClustersCommand({}))).clusterArns), "ListClusters: allowed by the role's policy");
    const denied = await fails(asRole.send(new DescribeServicesCommand({ cluster: 'default', services: ['web'] })), { name: 'AccessDeniedException', status: 400 });
    assert.ok(denied.message.includes(sessionArn('app', 'build-42')), denied.message);
    assert.match(denied.message, /ecs:DescribeServices/);

    const [refused] = await audit(`outcome=Denied&principal=${encodeURIComponent(sessionArn('app', 'build-42'))}`);
    assert.equal(refused?.action, 'ecs:DescribeServices');
    assert.equal(refused?.accessKeyId, c.AccessKeyId, 'the audit names the session key');
    const assumed = (await audit(`principal=${encodeURIComponent(`arn:wharf:iam::${ACCOUNT}:root`)}`)).find((r) => r.action === 'sts:AssumeRole');
    assert.deepEqual(assumed?.resources, [roleArn('app')]);
    assert.equal(assumed?.outcome, 'Success');
  });

  test("a user may assume a role when the trust policy names it (or its account) and its own policies allow sts:AssumeRole; a refusal is AccessDenied, audited", async () => {
    const allowAssume = (arn: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: arn }] });
    const plain = sts(await user('plain'));
    await fails(plain.send(new AssumeRoleCommand({ RoleArn: roleArn('app'), RoleSessionName: 'try' })), { name: 'AccessDenied', status: 403, message: /User: arn:wharf:iam::000000000000:user\/plain is not authorized to perform: sts:AssumeRole on resource: arn:wharf:iam::000000000000:role\/app/ });

    const dev = sts(await user('dev', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] })));
    const session = await assume(dev, 'app', 'dev-session');
    const who = await sts(session).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, sessionArn('app', 'dev-session'));
    assert.equal((await sts(await user('plain-reader')).send(new GetCallerIdentityCommand({}))).Arn, `arn:wharf:iam::${ACCOUNT}:user/plain-reader`, 'GetCallerIdentity needs no permission');

    // Trusting one user by ARN: that user, no other.
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'alice-only', AssumeRolePolicyDocument: trust([`arn:wharf:iam::${ACCOUNT}:user/alice`]) }));
    const trustRefusal = await fails(dev.send(new AssumeRoleCommand({ RoleArn: roleArn('alice-only'), RoleSessionName: 'x1' })), { name: 'AccessDenied', status: 403 });
    assert.match(trustRefusal.message, /trust policy of role alice-only/);
    const alice = sts(await credentialsOf('alice', allowAssume(roleArn('alice-only'))));
    assert.equal((await assume(alice, 'alice-only', 'a1')).accessKeyId.slice(0, 4), 'ASIA');
    await fails(alice.send(new AssumeRoleCommand({ RoleArn: roleArn('app'), RoleSessionName: 'a2' })), { name: 'AccessDenied', status: 403, message: /because no identity-based policy allows/ });

    // An explicit Deny in the trust policy wins over the account's Allow.
    await iam.send(new CreateRoleCommand({ RoleName: 'not-dev', AssumeRolePolicyDocument: trust([ACCOUNT], [`arn:wharf:iam::${ACCOUNT}:user/dev`]) }));
    await fails(dev.send(new AssumeRoleCommand({ RoleArn: roleArn('not-dev'), RoleSessionName: 'x2' })), { name: 'AccessDenied', status: 403, message: /explicit deny in the trust policy/ });
    assert.ok((await assume(rootSts, 'not-dev', 'root-ok')).accessKeyId.startsWith('ASIA'), 'the account root is still trusted');
    // The trust policy's conditions read the call: its address, whether it came over TLS.
    const conditional = (name: string, condition: object) =>
      iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole', Condition: condition }] }) }));
    await conditional('from-loopback', { IpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '::1/128'] } });
    await conditional('tls-only', { Bool: { 'aws:SecureTransport': 'true' } });
    assert.ok((await assume(dev, 'from-loopback', 'x4')).accessKeyId.startsWith('ASIA'));
    await fails(dev.send(new AssumeRoleCommand({ RoleArn: roleArn('tls-only'), RoleSessionName: 'x5' })), { name: 'AccessDenied', status: 403, message: /trust policy of role tls-only/ });
    // A role that does not exist: AccessDenied, as STS answers.
    await fails(dev.send(new AssumeRoleCommand({ RoleArn: roleArn('nothing'), RoleSessionName: 'x3' })), { name: 'AccessDenied', status: 403 });

    const refusals = await audit(`outcome=Denied&principal=${encodeURIComponent(`arn:wharf:iam::${ACCOUNT}:user/dev`)}`);
    const trustDenied = refusals.find((r) => r.action === 'sts:AssumeRole' && r.resources.includes(roleArn('alice-only')));
    assert.equal(trustDenied?.status, 403);
    assert.equal(trustDenied?.errorCode, 'WHARF_E_ACCESS_DENIED');
  });

  /** A user's credentials, made with `policy`. */
  async function credentialsOf(name: string, policy: string): Promise<Credentials> {
    await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: policy }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
    return { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
  }

  test("AssumeRole's bad input: DurationSeconds beyond the role's MaxSessionDuration or below 900, a bad session name, a session policy", async () => {
    await fails(rootSts.send(new AssumeRoleCommand({ RoleArn: roleArn('app'), RoleSessionName: 'long', DurationSeconds: 7200 })), { name: 'ValidationError', status: 400, message: /DurationSeconds exceeds the MaxSessionDuration/ });
    await fails(rootSts.send(new AssumeRoleCommand({ RoleArn: roleArn('app'), RoleSessionName: 'short', DurationSeconds: 899 })), { name: 'ValidationError', status: 400, message: /DurationSeconds/ });
    await fails(rootSts.send(new AssumeRoleCommand({ RoleArn: roleArn('app'), RoleSessionName: 'a' })), { name: 'ValidationError', status: 400, message: /RoleSessionName/ });
    await fails(rootSts.send(new AssumeRoleCommand({ RoleArn: roleArn('app'), RoleSessionName: 'bad name' })), { name: 'ValidationError', status: 400, message: /RoleSessionName/ });
    await fails(rootSts.send(new AssumeRoleCommand({ RoleArn: roleArn('app'), RoleSessionName: 'pol', Policy: LIST_CLUSTERS })), { name: 'ValidationError', status: 400, message: /Policy/ });
    const shortest = await assume(rootSts, 'app', 'shortest', 900);
    assert.ok(shortest.expiration.getTime() - Date.now() <= 900_000);
  });

  test('session tokens: expired, forged, garbled, missing, unsigned or of another key are refused', async () => {
    const session = await assume(rootSts, 'app', 'tokens');
    const other = await assume(rootSts, 'app', 'tokens-2');

    const sealer = await loadSealer(path.dirname(api.rootKey.file), undefined);
    const opened = openSessionToken(sealer, session.sessionToken)!;
    assert.equal(opened.accessKeyId, session.accessKeyId);
    const expired = sealSessionToken(sealer, { ...opened, issuedAt: Date.now() - 7_200_000, expiresAt: Date.now() - 1_000 });
    await fails(sts({ ...session, sessionToken: expired }).send(new GetCallerIdentityCommand({})), { name: 'ExpiredToken', status: 403, message: /expired/ });
    await fails(ecs({ ...session, sessionToken: expired }).send(new ListClustersCommand({})), { name: 'ExpiredTokenException', status: 400 });

    // Re-sealed by another secrets key (another Wharf): does not open.
    const foreign = sealSessionToken(sealerFor(Buffer.alloc(32, 7)), opened);
    await fails(sts({ ...session, sessionToken: foreign }).send(new GetCallerIdentityCommand({})), { name: 'InvalidClientTokenId', status: 403 });
    const garbled = session.sessionToken.slice(0, 30) + (session.sessionToken[30] === 'A' ? 'B' : 'A') + session.sessionToken.slice(31);
    await fails(sts({ ...session, sessionToken: garbled }).send(new GetCallerIdentityCommand({})), { name: 'InvalidClientTokenId', status: 403 });
    await fails(sts({ ...session, sessionToken: other.sessionToken }).send(new GetCallerIdentityCommand({})), { name: 'InvalidClientTokenId', status: 403, message: /another access key/ });
    await fails(sts({ accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey }).send(new GetCallerIdentityCommand({})), { name: 'InvalidClientTokenId', status: 403, message: /carries none/ });
    await fails(ecs({ ...session, secretAccessKey: other.secretAccessKey }).send(new ListClustersCommand({})), { name: 'InvalidSignatureException', status: 400 });

    // The token sent but left out of SignedHeaders.
    const url = `${api.url}/v1/clusters`;
    const headers = signRequest({ method: 'GET', url, payloadHash: sha256Hex('') }, { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey }, { region: 'us-east-1', service: 'ecs' }, new Date());
    const unsigned = await fetch(url, { headers: { ...headers, 'x-amz-security-token': session.sessionToken } });
    assert.equal(unsigned.status, 403);
    assert.match(await unsigned.text(), /not signed/);
    // A presigned URL carries the token as a signed query parameter.
    const presigned = presignUrl({ method: 'GET', url }, session, { region: 'us-east-1', service: 'ecs' }, new Date(), 60);
    assert.match(presigned, /X-Amz-Security-Token=/);
    assert.equal((await fetch(presigned)).status, 200, 'a presigned URL of the session');
    const tampered = presigned.replace(/X-Amz-Security-Token=[^&]+/, `X-Amz-Security-Token=${encodeURIComponent(other.sessionToken)}`);
    assert.equal((await fetch(tampered)).status, 403);

    const refused = await audit(`outcome=Unauthenticated`);
    assert.ok(refused.some((r) => r.accessKeyId === session.accessKeyId), 'refused session calls are audited with their key');
  });

  test('a deleted role makes its sessions fail, and a role made again under the name does not revive them', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'brief', AssumeRolePolicyDocument: trust([ACCOUNT]) }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'brief', PolicyName: 'list', PolicyDocument: LIST_CLUSTERS }));
    const session = await assume(rootSts, 'brief', 'short-lived');
    const asRole = ecs(session);
    await asRole.send(new ListClustersCommand({}));
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'brief', PolicyName: 'list' }));
    await fails(asRole.send(new ListClustersCommand({})), { name: 'AccessDeniedException', status: 400 });
    await iam.send(new DeleteRoleCommand({ RoleName: 'brief' }));
    await fails(sts(session).send(new GetCallerIdentityCommand({})), { name: 'InvalidClientTokenId', status: 403, message: /no longer exists/ });
    await iam.send(new CreateRoleCommand({ RoleName: 'brief', AssumeRolePolicyDocument: trust([ACCOUNT]) }));
    await fails(sts(session).send(new GetCallerIdentityCommand({})), { name: 'InvalidClientTokenId', status: 403 });
  });

  test('a role session assumes another role (chaining) only as its trust allows, for at most an hour; a session cannot act as a user', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'next', AssumeRolePolicyDocument: trust([roleArn('app')]), MaxSessionDuration: 7200 }));
    const first = await assume(rootSts, 'app', 'hop-1');
    // The app role's own policies do not allow sts:AssumeRole.
    await fails(sts(first).send(new AssumeRoleCommand({ RoleArn: roleArn('next'), RoleSessionName: 'hop-2' })), { name: 'AccessDenied', status: 403, message: /no identity-based policy/ });
    await iam.send(new PutRolePolicyCommand({ RoleName: 'app', PolicyName: 'hop', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn('next') }] }) }));
    const second = await assume(sts(first), 'next', 'hop-2');
    assert.equal((await sts(second).send(new GetCallerIdentityCommand({}))).Arn, sessionArn('next', 'hop-2'));
    await fails(sts(first).send(new AssumeRoleCommand({ RoleArn: roleArn('next'), RoleSessionName: 'hop-3', DurationSeconds: 7200 })), { name: 'ValidationError', status: 400, message: /DurationSeconds/ });
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'app', PolicyName: 'hop' }));

    // A session has no user and no keys of its own: a call about "me" must name the user (never the root's keys).
    await iam.send(new PutRolePolicyCommand({ RoleName: 'app', PolicyName: 'keys', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:CreateAccessKey', 'iam:GetUser'], Resource: '*' }] }) }));
    const asSession = new IAMClient({ endpoint: api.url, region: 'us-east-1', credentials: first, maxAttempts: 1 });
    scope.after(() => asSession.destroy());
    await fails(asSession.send(new CreateAccessKeyCommand({})), { name: 'ValidationError', status: 400, message: /Must specify userName/ });
    await fails(asSession.send(new GetUserCommand({})), { name: 'ValidationError', status: 400, message: /Must specify userName/ });
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'app', PolicyName: 'keys' }));
  });

  test('naming a role in a task definition or in RunTask overrides needs iam:PassRole on it; the role must exist', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'task-role', Path: '/tasks/', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }));
    const taskRole = `arn:wharf:iam::${ACCOUNT}:role/tasks/task-role`;
    const ecsOnly = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ecs:RegisterTaskDefinition', 'ecs:RunTask'], Resource: '*' }] });
    const deployer = ecs(await user('deployer', ecsOnly));
    const definition = (extra: Record<string, string>) => new RegisterTaskDefinitionCommand({ family: 'with-role', containerDefinitions: [{ name: 'app', image: 'busybox', memory: 64 }], ...extra });

    const denied = await fails(deployer.send(definition({ taskRoleArn: taskRole })), { name: 'AccessDeniedException', status: 400, message: /iam:PassRole/ });
    assert.ok(denied.message.includes(taskRole), denied.message);
    // By name too: the stored role's ARN, path included, is what is decided.
    await fails(deployer.send(definition({ executionRoleArn: 'task-role' })), { name: 'AccessDeniedException', status: 400, message: /role\/tasks\/task-role/ });
    const [refused] = await audit(`outcome=Denied&principal=${encodeURIComponent(`arn:wharf:iam::${ACCOUNT}:user/deployer`)}`);
    assert.equal(refused?.action, 'ecs:RegisterTaskDefinition');
    assert.ok(refused?.resources.includes(taskRole), JSON.stringify(refused));

    await iam.send(new PutUserPolicyCommand({ UserName: 'deployer', PolicyName: 'pass', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: `arn:wharf:iam::${ACCOUNT}:role/tasks/*` }] }) }));
    const registered = await deployer.send(definition({ taskRoleArn: taskRole, executionRoleArn: 'task-role' }));
    assert.equal(registered.taskDefinition?.taskRoleArn, taskRole);
    await fails(deployer.send(definition({ taskRoleArn: roleArn('app') })), { name: 'AccessDeniedException', status: 400, message: /iam:PassRole on resource: arn:wharf:iam::000000000000:role\/app/ });
    await fails(deployer.send(new RunTaskCommand({ taskDefinition: 'with-role', overrides: { taskRoleArn: roleArn('app') } })), { name: 'AccessDeniedException', status: 400, message: /iam:PassRole/ });

    // The root may pass any role, but it must exist.
    const missing = await fails(ecs(root).send(definition({ taskRoleArn: roleArn('no-such-role') })), { name: 'InvalidParameterException', status: 400, message: /Role is not valid/ });
    assert.match(JSON.stringify(missing), /taskRoleArn/);
    await fails(ecs(root).send(definition({ executionRoleArn: `arn:wharf:iam::${ACCOUNT}:role/task-role` })), { name: 'InvalidParameterException', status: 400, message: /Role is not valid/ });
  });

  test('the AWS CLI assumes a role and calls as the session; the wharf CLI too', async () => {
    const aws = await awsCli(scope, api.url, root);
    const assumed = await aws.run(['sts', 'assume-role', '--role-arn', roleArn('app'), '--role-session-name', 'cli', '--duration-seconds', '1800']);
    assert.equal(assumed.code, 0, assumed.stderr);
    const c = assumed.json.Credentials;
    assert.match(c.AccessKeyId, /^ASIA/);
    assert.equal(assumed.json.AssumedRoleUser.Arn, sessionArn('app', 'cli'));
    const env = { AWS_ACCESS_KEY_ID: c.AccessKeyId, AWS_SECRET_ACCESS_KEY: c.SecretAccessKey, AWS_SESSION_TOKEN: c.SessionToken };
    const who = await aws.run(['sts', 'get-caller-identity'], { env });
    assert.equal(who.code, 0, who.stderr);
    assert.equal(who.json.Arn, sessionArn('app', 'cli'));
    const listed = await aws.run(['ecs', 'list-clusters'], { env });
    assert.equal(listed.code, 0, listed.stderr);
    const denied = await aws.run(['ecs', 'describe-clusters'], { env });
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /AccessDeniedException/);

    const wharfAssumed = await runWharf(['sts', 'assume-role', '--role-arn', roleArn('app'), '--role-session-name', 'wharf-cli', '--json', '--endpoint', api.url]);
    assert.equal(wharfAssumed.code, 0, wharfAssumed.stderr);
    const w = JSON.parse(wharfAssumed.stdout).Credentials;
    const wharfWho = await runWharf(['sts', 'get-caller-identity', '--json', '--endpoint', api.url], { env: { AWS_ACCESS_KEY_ID: w.AccessKeyId, AWS_SECRET_ACCESS_KEY: w.SecretAccessKey, AWS_SESSION_TOKEN: w.SessionToken } });
    assert.equal(wharfWho.code, 0, wharfWho.stderr);
    assert.equal(JSON.parse(wharfWho.stdout).Arn, sessionArn('app', 'wharf-cli'));
    const readable = await runWharf(['sts', 'get-caller-identity', '--endpoint', api.url], { env: { AWS_ACCESS_KEY_ID: w.AccessKeyId, AWS_SECRET_ACCESS_KEY: w.SecretAccessKey, AWS_SESSION_TOKEN: w.SessionToken } });
    assert.equal(readable.code, 0, readable.stderr);
    assert.ok(readable.stdout.includes(sessionArn('app', 'wharf-cli')), readable.stdout);
  });
});
