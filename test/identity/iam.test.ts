// IAM end to end on a real in-process controller: users get only what their policies allow (inline,
// group, managed; an explicit Deny wins; conditions hold), keys are limited, shown once and stored
// sealed, simulation names the deciding statement, and the CLI speaks it as the AWS CLI does.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { SQLITE_FILE_NAME } from '../../src/store/sqlite.js';
import type { Credentials } from '../../src/model/sigv4.js';
import type { TestController } from '../support/controller.js';
import { startTestController } from '../support/controller.js';
import { runWharf } from '../support/cli.js';
import { credentialsEnv, signedFetch } from '../support/signing.js';
import { suiteScope, tempDir } from '../support/temp.js';

const DESCRIBE_DEFAULT = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'DescribeDefault', Effect: 'Allow', Action: 'ecs:DescribeClusters', Resource: 'arn:wharf:ecs:*:*:cluster/default' }],
};

describe('IAM users, keys and policies', () => {
  const scope = suiteScope();
  let api: TestController;
  let dataDir: string;

  before(async () => {
    dataDir = await tempDir(scope);
    api = await startTestController(scope, { dataDir });
  });

  async function iam(operation: string, body: unknown = {}): Promise<{ status: number; json: any }> {
    return api.call('POST', `/v1/iam/${operation}`, body);
  }

  async function ok(operation: string, body: unknown = {}): Promise<any> {
    const res = await iam(operation, body);
    assert.equal(res.status, 200, `${operation}: ${JSON.stringify(res.json)}`);
    return res.json;
  }

  /** A user with one key: its ARN and credentials. */
  async function userWithKey(userName: string): Promise<{ arn: string; credentials: Credentials }> {
    const { User } = await ok('CreateUser', { UserName: userName });
    const { AccessKey } = await ok('CreateAccessKey', { UserName: userName });
    return { arn: User.Arn, credentials: { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey } };
  }

  async function describeAs(credentials: Credentials, cluster: string): Promise<{ status: number; json: any }> {
    const body = JSON.stringify({ clusters: [cluster] });
    const res = await signedFetch(`${api.url}/v1/clusters/describe`, { method: 'POST', body, headers: { 'content-type': 'application/json' }, credentials });
    return { status: res.status, json: await res.json() };
  }

  test('a user without a policy is denied, named with its ARN, the action and the resource', async () => {
    const alice = await userWithKey('alice');
    const denied = await describeAs(alice.credentials, 'default');
    assert.equal(denied.status, 403);
    assert.equal(denied.json.awsCode, 'AccessDenied');
    assert.ok(denied.json.detail.includes(alice.arn), denied.json.detail);
    assert.match(denied.json.detail, /ecs:DescribeClusters/);
    assert.match(denied.json.detail, /arn:wharf:ecs:[^ ]*:cluster\/default/);
  });

  test('an inline policy allows what it names and nothing else; a group Deny beats it', async () => {
    const bob = await userWithKey('bob');
    await ok('PutUserPolicy', { UserName: 'bob', PolicyName: 'describe-default', PolicyDocument: JSON.stringify(DESCRIBE_DEFAULT) });
    assert.equal((await describeAs(bob.credentials, 'default')).status, 200);
    const other = await describeAs(bob.credentials, 'other');
    assert.equal(other.status, 403);
    assert.match(other.json.detail, /cluster\/other/);

    await ok('CreateGroup', { GroupName: 'no-describe' });
    await ok('PutGroupPolicy', { GroupName: 'no-describe', PolicyName: 'deny', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'NoDescribe', Effect: 'Deny', Action: 'ecs:Describe*', Resource: '*' }] }) });
    await ok('AddUserToGroup', { GroupName: 'no-describe', UserName: 'bob' });
    const denied = await describeAs(bob.credentials, 'default');
    assert.equal(denied.status, 403);
    assert.match(denied.json.detail, /explicit deny/);

    const simulated = await ok('SimulatePrincipalPolicy', { PolicySourceArn: bob.arn, ActionNames: ['ecs:DescribeClusters'], ResourceArns: ['arn:wharf:ecs:local:000000000000:cluster/default'] });
    const [result] = simulated.EvaluationResults;
    assert.equal(result.EvalDecision, 'explicitDeny');
    assert.equal(result.MatchedStatements[0].Sid, 'NoDescribe');
    assert.match(result.MatchedStatements[0].SourcePolicyId, /group\/no-describe\/inline\/deny$/);

    await ok('RemoveUserFromGroup', { GroupName: 'no-describe', UserName: 'bob' });
    const allowed = await ok('SimulatePrincipalPolicy', { PolicySourceArn: bob.arn, ActionNames: ['ecs:DescribeClusters', 'ecs:RunTask'], ResourceArns: ['arn:wharf:ecs:local:000000000000:cluster/default'] });
    assert.deepEqual(
      allowed.EvaluationResults.map((r: any) => [r.EvalActionName, r.EvalDecision, r.MatchedStatements[0]?.Sid]),
      [
        ['ecs:DescribeClusters', 'allowed', 'DescribeDefault'],
        ['ecs:RunTask', 'implicitDeny', undefined],
      ],
    );
    assert.equal((await describeAs(bob.credentials, 'default')).status, 200, 'leaving the group lifts its Deny');
  });

  test('a managed policy with an IpAddress condition the caller does not meet allows nothing', async () => {
    const carol = await userWithKey('carol');
    const document = { Version: '2012-10-17', Statement: [{ ...DESCRIBE_DEFAULT.Statement[0], Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }] };
    const { Policy } = await ok('CreatePolicy', { PolicyName: 'describe-from-10', PolicyDocument: JSON.stringify(document) });
    await ok('AttachUserPolicy', { UserName: 'carol', PolicyArn: Policy.Arn });
    assert.equal((await describeAs(carol.credentials, 'default')).status, 403, 'the test calls from 127.0.0.1');
    const from10 = await ok('SimulatePrincipalPolicy', {
      PolicySourceArn: carol.arn,
      ActionNames: ['ecs:DescribeClusters'],
      ResourceArns: ['arn:wharf:ecs:local:000000000000:cluster/default'],
      ContextEntries: [{ ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['10.1.2.3'], ContextKeyType: 'ip' }],
    });
    assert.equal(from10.EvaluationResults[0].EvalDecision, 'allowed', 'the same call from 10.0.0.0/8 would be allowed');
    const conflict = await iam('DeletePolicy', { PolicyArn: Policy.Arn });
    assert.equal(conflict.status, 409);
    assert.equal(conflict.json.code, 'WHARF_E_DELETE_CONFLICT');
    const listed = await ok('ListAttachedUserPolicies', { UserName: 'carol' });
    assert.deepEqual(listed.AttachedPolicies, [{ PolicyName: 'describe-from-10', PolicyArn: Policy.Arn }]);
    const unknown = await iam('AttachUserPolicy', { UserName: 'carol', PolicyArn: Policy.Arn.replace('describe-from-10', 'nope') });
    assert.equal(unknown.json.code, 'WHARF_E_NO_SUCH_ENTITY');
  });

  test('keys: at most two, listed without secrets, stored sealed; an inactive key is refused', async () => {
    const dave = await userWithKey('dave');
    await ok('PutUserPolicy', { UserName: 'dave', PolicyName: 'describe-default', PolicyDocument: JSON.stringify(DESCRIBE_DEFAULT) });
    const second = await ok('CreateAccessKey', { UserName: 'dave' });
    const third = await iam('CreateAccessKey', { UserName: 'dave' });
    assert.equal(third.status, 409);
    assert.equal(third.json.awsCode, 'LimitExceeded');

    const listed = await iam('ListAccessKeys', { UserName: 'dave' });
    assert.equal(listed.json.AccessKeyMetadata.length, 2);
    for (const secret of [dave.credentials.secretAccessKey, second.AccessKey.SecretAccessKey]) {
      assert.ok(!JSON.stringify(listed.json).includes(secret), 'ListAccessKeys shows no secret');
      assert.ok(!JSON.stringify(listed.json).includes('SecretAccessKey'));
      for (const file of [SQLITE_FILE_NAME, `${SQLITE_FILE_NAME}-wal`]) {
        const bytes = await readFile(path.join(dataDir, file)).catch(() => Buffer.alloc(0));
        assert.ok(!bytes.includes(Buffer.from(secret)), `${file} holds no secret in clear`);
      }
    }
    const events = await api.call('GET', '/v1/events');
    assert.ok(!events.text.includes(dave.credentials.secretAccessKey), 'no event holds a secret');

    assert.equal((await describeAs(dave.credentials, 'default')).status, 200);
    await ok('UpdateAccessKey', { UserName: 'dave', AccessKeyId: dave.credentials.accessKeyId, Status: 'Inactive' });
    const inactive = await describeAs(dave.credentials, 'default');
    assert.equal(inactive.status, 403);
    assert.equal(inactive.json.awsCode, 'InvalidClientTokenId');

    const conflict = await iam('DeleteUser', { UserName: 'dave' });
    assert.equal(conflict.status, 409);
    assert.equal(conflict.json.awsCode, 'DeleteConflict');
    assert.match(conflict.json.detail, /access key/);
  });

  test('a malformed policy document is refused with 400 and changes nothing', async () => {
    await ok('CreateUser', { UserName: 'erin' });
    const before = await ok('ListUserPolicies', { UserName: 'erin' });
    const res = await iam('PutUserPolicy', { UserName: 'erin', PolicyName: 'broken', PolicyDocument: '{"Version": "2012-10-17", "Statement": [' });
    assert.equal(res.status, 400);
    assert.equal(res.json.code, 'WHARF_E_MALFORMED_POLICY_DOCUMENT');
    assert.deepEqual(await ok('ListUserPolicies', { UserName: 'erin' }), before);
    const grammar = await iam('PutUserPolicy', { UserName: 'erin', PolicyName: 'broken', PolicyDocument: JSON.stringify({ Statement: [{ Effect: 'Maybe', Action: 'ecs:RunTask', Resource: '*' }] }) });
    assert.equal(grammar.json.code, 'WHARF_E_MALFORMED_POLICY_DOCUMENT');
    assert.deepEqual((await ok('ListUserPolicies', { UserName: 'erin' })).PolicyNames, []);
    await ok('DeleteUser', { UserName: 'erin' });
    assert.equal((await iam('GetUser', { UserName: 'erin' })).json.code, 'WHARF_E_NO_SUCH_ENTITY');
  });

  test("the root user's last active key can be neither deactivated nor deleted; with another active, it can", async () => {
    const rootKeys = async (): Promise<{ AccessKeyId: string; Status: string }[]> => (await ok('ListAccessKeys')).AccessKeyMetadata;
    const [only] = await rootKeys();
    assert.ok(only && only.Status === 'Active');
    for (const [operation, body, doing] of [
      ['UpdateAccessKey', { AccessKeyId: only.AccessKeyId, Status: 'Inactive' }, 'deactivating'],
      ['DeleteAccessKey', { AccessKeyId: only.AccessKeyId }, 'deleting'],
    ] as const) {
      const refused = await iam(operation, body);
      assert.equal(refused.status, 409, `${operation}: ${JSON.stringify(refused.json)}`);
      assert.equal(refused.json.code, 'WHARF_E_LAST_ROOT_KEY');
      assert.match(refused.json.detail, new RegExp(`${only.AccessKeyId} is the root user's last active key: ${doing} it would leave no key`));
      assert.match(refused.json.detail, /First make another root key active \(`wharf iam create-access-key`/);
    }
    assert.deepEqual(await rootKeys(), [only], 'nothing was changed');

    const { AccessKey: second } = await ok('CreateAccessKey');
    await ok('UpdateAccessKey', { AccessKeyId: second.AccessKeyId, Status: 'Inactive' });
    const inactiveOther = await iam('DeleteAccessKey', { AccessKeyId: only.AccessKeyId });
    assert.equal(inactiveOther.json.code, 'WHARF_E_LAST_ROOT_KEY', 'an inactive second key does not count');
    await ok('UpdateAccessKey', { AccessKeyId: second.AccessKeyId, Status: 'Active' });
    await ok('UpdateAccessKey', { AccessKeyId: only.AccessKeyId, Status: 'Inactive' });
    // The first key is inactive now: the second signs its way back.
    const asSecond = await signedFetch(`${api.url}/v1/iam/UpdateAccessKey`, {
      method: 'POST',
      body: JSON.stringify({ AccessKeyId: only.AccessKeyId, Status: 'Active' }),
      headers: { 'content-type': 'application/json' },
      credentials: { accessKeyId: second.AccessKeyId, secretAccessKey: second.SecretAccessKey },
    });
    assert.equal(asSecond.status, 200, await asSecond.text());
    await ok('DeleteAccessKey', { AccessKeyId: second.AccessKeyId });
    assert.deepEqual(await rootKeys(), [only]);
  });

  test('a key call naming no user is authorised on the caller’s own ARN: a policy on user/${aws:username} covers it, and no one else', async () => {
    const hank = await userWithKey('hank');
    await userWithKey('ivy');
    const ownKeys = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListAccessKeys', Resource: 'arn:wharf:iam::000000000000:user/${aws:username}' }] };
    await ok('PutUserPolicy', { UserName: 'hank', PolicyName: 'own-keys', PolicyDocument: JSON.stringify(ownKeys) });
    const asHank = async (operation: string, body: unknown = {}): Promise<{ status: number; json: any }> => {
      const res = await signedFetch(`${api.url}/v1/iam/${operation}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, credentials: hank.credentials });
      return { status: res.status, json: await res.json() };
    };

    const own = await asHank('ListAccessKeys');
    assert.equal(own.status, 200, JSON.stringify(own.json));
    assert.deepEqual(own.json.AccessKeyMetadata.map((k: any) => [k.UserName, k.AccessKeyId]), [['hank', hank.credentials.accessKeyId]]);
    assert.equal((await asHank('ListAccessKeys', { UserName: 'hank' })).status, 200, 'naming oneself is the same resource');

    const other = await asHank('ListAccessKeys', { UserName: 'ivy' });
    assert.equal(other.status, 403);
    assert.equal(other.json.awsCode, 'AccessDenied');
    assert.match(other.json.detail, /iam:ListAccessKeys on resource: arn:wharf:iam::000000000000:user\/ivy/);

    // What the policy does not allow is refused on the caller's ARN too, not on `*`.
    const create = await asHank('CreateAccessKey');
    assert.equal(create.status, 403);
    assert.ok(create.json.detail.includes(`iam:CreateAccessKey on resource: ${hank.arn} `), create.json.detail);
  });

  test('GetUser without a name answers the caller', async () => {
    const root = await ok('GetUser');
    assert.match(root.User.Arn, /^arn:wharf:iam::\d+:root$/);
  });

  test('the CLI creates a user, a key and a policy; the new key is refused what its policy does not allow', async () => {
    const endpoint = ['--endpoint', api.url];
    const created = await runWharf(['iam', 'create-user', '--user-name', 'frank', ...endpoint]);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /frank/);
    const key = await runWharf(['iam', 'create-access-key', '--user-name', 'frank', '--json', ...endpoint]);
    assert.equal(key.code, 0, key.stderr);
    const { AccessKey } = JSON.parse(key.stdout);
    const put = await runWharf(['iam', 'put-user-policy', '--user-name', 'frank', '--policy-name', 'describe-default', '--policy-document', JSON.stringify(DESCRIBE_DEFAULT), ...endpoint]);
    assert.equal(put.code, 0, put.stderr);

    const env = credentialsEnv({ accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey });
    const allowed = await runWharf(['ecs', 'describe-clusters', '--clusters', 'default', ...endpoint], { env });
    assert.equal(allowed.code, 0, allowed.stderr);
    const denied = await runWharf(['iam', 'list-users', ...endpoint], { env });
    assert.equal(denied.code, 1, denied.stderr);
    assert.equal(denied.stderr.trim().split('\n').length, 1, denied.stderr);
    assert.match(denied.stderr, /not authorized to perform: iam:ListUsers/);
    assert.match(denied.stderr, /user\/frank/);
  });

  test('the CLI reads a group and a managed policy, then takes them apart in the order IAM requires', async () => {
    const wharf = async (...args: string[]) => {
      const res = await runWharf(['iam', ...args, '--endpoint', api.url]);
      assert.equal(res.code, 0, `${args.join(' ')}: ${res.stderr}`);
      return res.stdout;
    };
    await wharf('create-user', '--user-name', 'gina');
    await wharf('create-group', '--group-name', 'readers');
    await wharf('add-user-to-group', '--group-name', 'readers', '--user-name', 'gina');
    const policy = JSON.parse(await wharf('create-policy', '--policy-name', 'read-default', '--policy-document', JSON.stringify(DESCRIBE_DEFAULT), '--json'));
    const arn = policy.Policy.Arn as string;
    await wharf('attach-group-policy', '--group-name', 'readers', '--policy-arn', arn);
    await wharf('put-group-policy', '--group-name', 'readers', '--policy-name', 'inline', '--policy-document', JSON.stringify(DESCRIBE_DEFAULT));
    assert.match(await wharf('get-group', '--group-name', 'readers'), /readers .*group\/readers[\s\S]*gina/);
    assert.match(await wharf('get-policy', '--policy-arn', arn), /read-default .* attached 1 times\n[\s\S]*ecs:DescribeClusters/);
    assert.match(await wharf('get-group-policy', '--group-name', 'readers', '--policy-name', 'inline'), /DescribeDefault/);

    const refused = await runWharf(['iam', 'delete-policy', '--policy-arn', arn, '--endpoint', api.url]);
    assert.equal(refused.code, 1, 'a policy still attached cannot be deleted');
    assert.match(refused.stderr, /cannot be deleted/);
    await wharf('detach-group-policy', '--group-name', 'readers', '--policy-arn', arn);
    await wharf('delete-policy', '--policy-arn', arn);
    await wharf('delete-group-policy', '--group-name', 'readers', '--policy-name', 'inline');
    await wharf('remove-user-from-group', '--group-name', 'readers', '--user-name', 'gina');
    await wharf('delete-group', '--group-name', 'readers');
    const groups = JSON.parse(await wharf('list-groups', '--json'));
    assert.ok(!groups.Groups.some((g: { GroupName: string }) => g.GroupName === 'readers'), 'the group is gone');
  });
});
