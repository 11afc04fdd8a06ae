// IAM roles end to end with the AWS SDK for JavaScript v3 IAM client, unmodified, against a real
// in-process controller: every role operation, the trust policy checked as IAM checks it, AWS's
// errors for bad input (MalformedPolicyDocument, EntityAlreadyExists, NoSuchEntity, DeleteConflict,
// LimitExceeded, ValidationError), each call authorised by its action on the role's ARN (with its
// path), a denied user audited; and the wharf CLI's role commands.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteConflictException,
  DeletePolicyCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  EntityAlreadyExistsException,
  GetPolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  LimitExceededException,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  MalformedPolicyDocumentException,
  NoSuchEntityException,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
} from '@aws-sdk/client-iam';
import type { TestController } from '../support/controller.js';
import { startTestController } from '../support/controller.js';
import { runWharf } from '../support/cli.js';
import { failure, fails, sdkClient } from '../support/sdk.js';
import { suiteScope } from '../support/temp.js';

const ACCOUNT = '000000000000';

/** A trust policy letting ECS tasks assume the role: what a task role has. */
const TASKS_TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
/** One letting a user of the account assume it, on a condition. */
const USER_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'Alice', Effect: 'Allow', Principal: { AWS: [`arn:wharf:iam::${ACCOUNT}:user/alice`, ACCOUNT] }, Action: ['sts:AssumeRole', 'sts:TagSession'], Condition: { Bool: { 'aws:SecureTransport': 'true' } } }],
});
const DESCRIBE = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecs:Describe*', Resource: '*' }] });

describe('IAM roles through the SDK v3 IAM client', () => {
  const scope = suiteScope();
  let api: TestController;
  let iam: IAMClient;

  before(async () => {
    api = await startTestController(scope);
    iam = sdkClient(scope, IAMClient, api.url);
  });

  test('a role through its life: created with a trust policy, read, listed, updated, given policies, refused deletion while it has them, deleted', async () => {
    const created = await iam.send(
      new CreateRoleCommand({ RoleName: 'task-role', Path: '/team/', AssumeRolePolicyDocument: TASKS_TRUST, Description: 'what the web tasks may do', MaxSessionDuration: 7200, Tags: [{ Key: 'team', Value: 'web' }] }),
    );
    const role = created.Role!;
    assert.equal(role.Arn, `arn:wharf:iam::${ACCOUNT}:role/team/task-role`);
    assert.match(role.RoleId ?? '', /^AROA[A-Z2-7]{17}$/);
    assert.equal(role.Path, '/team/');
    assert.ok(role.CreateDate instanceof Date && Math.abs(role.CreateDate.getTime() - Date.now()) < 60_000, `CreateDate is about now: ${String(role.CreateDate)}`);
    assert.equal(role.MaxSessionDuration, 7200);
    assert.deepEqual(role.Tags, [{ Key: 'team', Value: 'web' }]);

    const got = (await iam.send(new GetRoleCommand({ RoleName: 'task-role' }))).Role!;
    assert.equal(got.RoleId, role.RoleId);
    assert.deepEqual(JSON.parse(got.AssumeRolePolicyDocument ?? ''), JSON.parse(TASKS_TRUST));
    assert.equal(got.Description, 'what the web tasks may do');

    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'other-role', AssumeRolePolicyDocument: USER_TRUST }));
    const defaults = (await iam.send(new GetRoleCommand({ RoleName: 'other-role' }))).Role!;
    assert.equal(defaults.MaxSessionDuration, 3600, "IAM's default session length");
    assert.equal(defaults.Arn, `arn:wharf:iam::${ACCOUNT}:role/other-role`);
    assert.equal(defaults.Description, undefined);

    const team = await iam.send(new ListRolesCommand({ PathPrefix: '/team/' }));
    assert.deepEqual(team.Roles?.map((r) => r.RoleName), ['task-role']);
    assert.equal(team.IsTruncated, false);
    assert.equal(team.Roles?.[0]?.Tags, undefined, 'ListRoles leaves tags out, as IAM');
    assert.equal(team.Roles?.[0]?.MaxSessionDuration, 7200);
    const first = await iam.send(new ListRolesCommand({ MaxItems: 1 }));
    assert.deepEqual(first.Roles?.map((r) => r.RoleName), ['other-role']);
    assert.equal(first.IsTruncated, true);
    const second = await iam.send(new ListRolesCommand({ MaxItems: 1, Marker: first.Marker! }));
    assert.deepEqual(second.Roles?.map((r) => r.RoleName), ['task-role']);
    assert.equal(second.IsTruncated, false);

    await iam.send(new UpdateRoleCommand({ RoleName: 'task-role', MaxSessionDuration: 43_200 }));
    const updated = (await iam.send(new GetRoleCommand({ RoleName: 'task-role' }))).Role!;
    assert.equal(updated.MaxSessionDuration, 43_200);
    assert.equal(updated.Description, 'what the web tasks may do', 'a field left out is kept');
    await iam.send(new UpdateRoleCommand({ RoleName: 'task-role', Description: 'changed' }));
    assert.equal((await iam.send(new GetRoleCommand({ RoleName: 'task-role' }))).Role?.Description, 'changed');

    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'task-role', PolicyDocument: USER_TRUST }));
    assert.deepEqual(JSON.parse((await iam.send(new GetRoleCommand({ RoleName: 'task-role' }))).Role?.AssumeRolePolicyDocument ?? ''), JSON.parse(USER_TRUST));

    await iam.send(new PutRolePolicyCommand({ RoleName: 'task-role', PolicyName: 'describe', PolicyDocument: DESCRIBE }));
    assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: 'task-role' }))).PolicyNames, ['describe']);
    const inline = await iam.send(new GetRolePolicyCommand({ RoleName: 'task-role', PolicyName: 'describe' }));
    assert.equal(inline.RoleName, 'task-role');
    assert.deepEqual(JSON.parse(inline.PolicyDocument ?? ''), JSON.parse(DESCRIBE));

    const policy = (await iam.send(new CreatePolicyCommand({ PolicyName: 'role-managed', PolicyDocument: DESCRIBE }))).Policy!;
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'task-role', PolicyArn: policy.Arn! }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'task-role', PolicyArn: policy.Arn! }));
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'task-role' }));
    assert.deepEqual(attached.AttachedPolicies, [{ PolicyName: 'role-managed', PolicyArn: policy.Arn }], 'attaching twice attaches once');
    assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: policy.Arn! }))).Policy?.AttachmentCount, 1, 'an attachment to a role counts');
    await fails(iam.send(new DeletePolicyCommand({ PolicyArn: policy.Arn! })), { name: 'DeleteConflictException', status: 409, type: DeleteConflictException, message: /roles/ });

    const conflict = await fails(iam.send(new DeleteRoleCommand({ RoleName: 'task-role' })), { name: 'DeleteConflictException', status: 409, type: DeleteConflictException });
    assert.match(conflict.message, /inline policies, attached policies/);
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'task-role', PolicyArn: policy.Arn! }));
    assert.deepEqual((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'task-role' }))).AttachedPolicies, []);
    await fails(iam.send(new DeleteRoleCommand({ RoleName: 'task-role' })), { name: 'DeleteConflictException', status: 409, message: /inline policies/ });
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'task-role', PolicyName: 'describe' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'task-role' }));
    await fails(iam.send(new GetRoleCommand({ RoleName: 'task-role' })), { name: 'NoSuchEntityException', status: 404, type: NoSuchEntityException, message: /task-role/ });
    await iam.send(new DeletePolicyCommand({ PolicyArn: policy.Arn! }));

    const { json } = await api.call('GET', '/v1/events?resourceType=iam-role&maxRecords=100');
    const text = JSON.stringify(json);
    assert.match(text, /Role task-role created/);
    assert.match(text, /Role task-role deleted/);
    assert.ok(!text.includes('ecs-tasks.amazonaws.com') && !text.includes('ecs:Describe'), 'no event holds a policy document');
  });

  test('bad trust policies are MalformedPolicyDocument, naming the problem; nothing is created or changed', async () => {
    const statement = { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' };
    const doc = (s: Record<string, unknown>) => JSON.stringify({ Version: '2012-10-17', Statement: [s] });
    const cases: [string, string, RegExp][] = [
      ['not JSON', '{"Version": "2012-10-17", "Statement": [', /not valid JSON.*line 1/],
      ['no Principal', doc({ Effect: 'Allow', Action: 'sts:AssumeRole' }), /Statement\.0\.Principal/],
      ['a Resource', doc({ ...statement, Resource: '*' }), /no Resource/],
      ['a permission, not a trust action', doc({ ...statement, Action: 'ecs:RunTask' }), /"ecs:RunTask" is not an action a trust policy allows/],
      ['an empty Principal', doc({ ...statement, Principal: {} }), /at least one Service or AWS principal/],
      ['a bad AWS principal', doc({ ...statement, Principal: { AWS: 'alice' } }), /"alice" is not an AWS principal/],
      ['a bad service principal', doc({ ...statement, Principal: { Service: 'ECS Tasks' } }), /not a service principal/],
      ['a bad Effect', doc({ ...statement, Effect: 'allow' }), /Effect/],
    ];
    for (const [what, document, message] of cases) {
      const error = await failure(iam.send(new CreateRoleCommand({ RoleName: 'bad-trust', AssumeRolePolicyDocument: document })));
      assert.ok(error instanceof MalformedPolicyDocumentException, `${what}: ${error?.name}: ${error?.message}`);
      assert.equal(error.$metadata.httpStatusCode, 400, what);
      assert.match(error.message, message, what);
    }
    await fails(iam.send(new GetRoleCommand({ RoleName: 'bad-trust' })), { name: 'NoSuchEntityException', status: 404 });

    const stranger = JSON.stringify({ Statement: { ...statement, Principal: { AWS: [ACCOUNT, `arn:wharf:iam::${ACCOUNT}:user/stranger`] } } });
    const invalid = await fails(iam.send(new CreateRoleCommand({ RoleName: 'trusts-stranger', AssumeRolePolicyDocument: stranger })), { name: 'MalformedPolicyDocumentException', status: 400 });
    assert.match(invalid.message, /Invalid principal in policy: "AWS":"arn:wharf:iam::000000000000:user\/stranger"/);
    await iam.send(new CreateUserCommand({ UserName: 'stranger', Path: '/elsewhere/' }));
    await fails(iam.send(new CreateRoleCommand({ RoleName: 'trusts-stranger', AssumeRolePolicyDocument: stranger })), { name: 'MalformedPolicyDocumentException', status: 400, message: /Invalid principal/ });
    await iam.send(new CreateRoleCommand({ RoleName: 'trusts-stranger', AssumeRolePolicyDocument: stranger.replace('user/stranger', 'user/elsewhere/stranger') }));
    const itself = JSON.stringify({ Statement: { ...statement, Principal: { AWS: `arn:wharf:iam::${ACCOUNT}:role/self-trusting` } } });
    await fails(iam.send(new CreateRoleCommand({ RoleName: 'self-trusting', AssumeRolePolicyDocument: itself })), { name: 'MalformedPolicyDocumentException', status: 400, message: /no such role/ });
    await iam.send(new CreateRoleCommand({ RoleName: 'self-trusting', AssumeRolePolicyDocument: TASKS_TRUST }));
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'self-trusting', PolicyDocument: itself }));

    const missing = await fails(iam.send(new CreateRoleCommand({ RoleName: 'no-trust' } as never)), { name: 'ValidationError', status: 400 });
    assert.match(missing.message, /AssumeRolePolicyDocument/);
    await fails(iam.send(new CreateRoleCommand({ RoleName: 'too-long', AssumeRolePolicyDocument: TASKS_TRUST, MaxSessionDuration: 100 })), { name: 'ValidationError', status: 400, message: /3600 to 43200/ });
    await fails(iam.send(new CreateRoleCommand({ RoleName: 'bad name!', AssumeRolePolicyDocument: TASKS_TRUST })), { name: 'ValidationError', status: 400, message: /role name/ });

    await iam.send(new CreateRoleCommand({ RoleName: 'kept', AssumeRolePolicyDocument: TASKS_TRUST }));
    await fails(iam.send(new CreateRoleCommand({ RoleName: 'kept', AssumeRolePolicyDocument: USER_TRUST })), { name: 'EntityAlreadyExistsException', status: 409, type: EntityAlreadyExistsException, message: /kept/ });
    await fails(iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'kept', PolicyDocument: doc({ ...statement, NotPrincipal: '*' }) })), { name: 'MalformedPolicyDocumentException', status: 400, message: /NotPrincipal/ });
    assert.deepEqual(JSON.parse((await iam.send(new GetRoleCommand({ RoleName: 'kept' }))).Role?.AssumeRolePolicyDocument ?? ''), JSON.parse(TASKS_TRUST), 'the first trust policy stays');
    await fails(iam.send(new PutRolePolicyCommand({ RoleName: 'kept', PolicyName: 'bad', PolicyDocument: TASKS_TRUST })), { name: 'MalformedPolicyDocumentException', status: 400, message: /Principal/ });
    assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: 'kept' }))).PolicyNames, []);
  });

  test('an unknown role is NoSuchEntity for every call naming it; a role takes at most 10 managed policies', async () => {
    const calls: [string, Promise<unknown>][] = [
      ['GetRole', iam.send(new GetRoleCommand({ RoleName: 'nobody' }))],
      ['DeleteRole', iam.send(new DeleteRoleCommand({ RoleName: 'nobody' }))],
      ['UpdateRole', iam.send(new UpdateRoleCommand({ RoleName: 'nobody', Description: 'x' }))],
      ['UpdateAssumeRolePolicy', iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'nobody', PolicyDocument: TASKS_TRUST }))],
      ['PutRolePolicy', iam.send(new PutRolePolicyCommand({ RoleName: 'nobody', PolicyName: 'p', PolicyDocument: DESCRIBE }))],
      ['ListRolePolicies', iam.send(new ListRolePoliciesCommand({ RoleName: 'nobody' }))],
      ['ListAttachedRolePolicies', iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'nobody' }))],
      ['AttachRolePolicy', iam.send(new AttachRolePolicyCommand({ RoleName: 'nobody', PolicyArn: `arn:wharf:iam::${ACCOUNT}:policy/none` }))],
    ];
    for (const [operation, call] of calls) {
      const error = await fails(call, { name: 'NoSuchEntityException', status: 404, type: NoSuchEntityException });
      assert.match(error.message, /role nobody/, operation);
    }

    await iam.send(new CreateRoleCommand({ RoleName: 'many', AssumeRolePolicyDocument: TASKS_TRUST }));
    await fails(iam.send(new GetRolePolicyCommand({ RoleName: 'many', PolicyName: 'none' })), { name: 'NoSuchEntityException', status: 404, message: /none/ });
    await fails(iam.send(new DeleteRolePolicyCommand({ RoleName: 'many', PolicyName: 'none' })), { name: 'NoSuchEntityException', status: 404 });
    await fails(iam.send(new DetachRolePolicyCommand({ RoleName: 'many', PolicyArn: `arn:wharf:iam::${ACCOUNT}:policy/none` })), { name: 'NoSuchEntityException', status: 404 });
    await fails(iam.send(new AttachRolePolicyCommand({ RoleName: 'many', PolicyArn: `arn:wharf:iam::${ACCOUNT}:policy/none` })), { name: 'NoSuchEntityException', status: 404, message: /policy/ });
    for (let i = 0; i < 11; i++) {
      const arn = (await iam.send(new CreatePolicyCommand({ PolicyName: `many-${i}`, PolicyDocument: DESCRIBE }))).Policy!.Arn!;
      if (i < 10) await iam.send(new AttachRolePolicyCommand({ RoleName: 'many', PolicyArn: arn }));
      else await fails(iam.send(new AttachRolePolicyCommand({ RoleName: 'many', PolicyArn: arn })), { name: 'LimitExceededException', status: 409, type: LimitExceededException, message: /Role many/ });
    }
    assert.equal((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'many' }))).AttachedPolicies?.length, 10);
  });

  test("each call is authorised by its action on the role's ARN, path included; a denied user gets AccessDenied, audited", async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'ops-role', Path: '/ops/', AssumeRolePolicyDocument: TASKS_TRUST }));
    await iam.send(new CreateRoleCommand({ RoleName: 'web-role', Path: '/web/', AssumeRolePolicyDocument: TASKS_TRUST }));
    await iam.send(new CreateUserCommand({ UserName: 'role-reader' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'role-reader' }))).AccessKey!;
    const reader = sdkClient(scope, IAMClient, api.url, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
    const readerArn = `arn:wharf:iam::${ACCOUNT}:user/role-reader`;

    const denied = await fails(reader.send(new CreateRoleCommand({ RoleName: 'sneaky', Path: '/web/', AssumeRolePolicyDocument: TASKS_TRUST })), { name: 'AccessDenied', status: 403 });
    assert.match(denied.message, /iam:CreateRole/);
    assert.match(denied.message, new RegExp(`arn:wharf:iam::${ACCOUNT}:role/web/sneaky`));
    await fails(iam.send(new GetRoleCommand({ RoleName: 'sneaky' })), { name: 'NoSuchEntityException', status: 404 });

    const readWeb = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:GetRole', 'iam:ListRolePolicies'], Resource: `arn:wharf:iam::${ACCOUNT}:role/web/*` }] });
    await iam.send(new PutUserPolicyCommand({ UserName: 'role-reader', PolicyName: 'read-web-roles', PolicyDocument: readWeb }));
    assert.equal((await reader.send(new GetRoleCommand({ RoleName: 'web-role' }))).Role?.RoleName, 'web-role', "allowed on the role's ARN with its path");
    assert.deepEqual((await reader.send(new ListRolePoliciesCommand({ RoleName: 'web-role' }))).PolicyNames, []);
    const other = await fails(reader.send(new GetRoleCommand({ RoleName: 'ops-role' })), { name: 'AccessDenied', status: 403 });
    assert.ok(other.message.includes(`arn:wharf:iam::${ACCOUNT}:role/ops/ops-role`), other.message);
    await fails(reader.send(new DeleteRoleCommand({ RoleName: 'web-role' })), { name: 'AccessDenied', status: 403, message: /iam:DeleteRole/ });
    await fails(reader.send(new PutRolePolicyCommand({ RoleName: 'web-role', PolicyName: 'p', PolicyDocument: DESCRIBE })), { name: 'AccessDenied', status: 403, message: /iam:PutRolePolicy/ });
    assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: 'web-role' }))).PolicyNames, [], 'the refused put changed nothing');

    const { json } = await api.call('GET', `/v1/audit?maxRecords=50&outcome=Denied&principal=${encodeURIComponent(readerArn)}`);
    const byAction = (action: string) => json.records.find((r: any) => r.action === action);
    assert.deepEqual(byAction('iam:CreateRole')?.resources, [`arn:wharf:iam::${ACCOUNT}:role/web/sneaky`]);
    assert.deepEqual(byAction('iam:GetRole')?.resources, [`arn:wharf:iam::${ACCOUNT}:role/ops/ops-role`]);
    assert.equal(byAction('iam:DeleteRole')?.status, 403);
    assert.equal(byAction('iam:DeleteRole')?.errorCode, 'WHARF_E_ACCESS_DENIED');
  });

  test('the wharf CLI creates, shows, lists and deletes a role as the AWS CLI does', async () => {
    const wharf = async (...args: string[]) => {
      const res = await runWharf(['iam', ...args, '--endpoint', api.url]);
      assert.equal(res.code, 0, `${args.join(' ')}: ${res.stderr}`);
      return res.stdout;
    };
    assert.match(await wharf('create-role', '--role-name', 'cli-role', '--assume-role-policy-document', TASKS_TRUST, '--max-session-duration', '7200'), /role\/cli-role\s+AROA/);
    const shown = await wharf('get-role', '--role-name', 'cli-role');
    assert.match(shown, /cli-role.*7200s/);
    assert.match(shown, /ecs-tasks\.amazonaws\.com/);
    await wharf('put-role-policy', '--role-name', 'cli-role', '--policy-name', 'describe', '--policy-document', DESCRIBE);
    assert.equal((await wharf('list-role-policies', '--role-name', 'cli-role')).trim(), 'describe');
    assert.match(await wharf('list-roles', '--path-prefix', '/'), /cli-role/);
    const listed = JSON.parse(await wharf('list-roles', '--json'));
    assert.ok(listed.Roles.some((r: any) => r.RoleName === 'cli-role' && r.MaxSessionDuration === 7200), JSON.stringify(listed));
    await wharf('delete-role-policy', '--role-name', 'cli-role', '--policy-name', 'describe');
    assert.equal((await wharf('delete-role', '--role-name', 'cli-role')).trim(), 'deleted');
    const gone = await runWharf(['iam', 'get-role', '--role-name', 'cli-role', '--endpoint', api.url]);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /role cli-role does not exist/);
  });
});
