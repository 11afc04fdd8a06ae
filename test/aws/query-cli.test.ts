// The AWS CLI v2 (Debian's awscli), unmodified, against a controller in the Query protocol:
// Elastic Beanstalk, ELBv2 and IAM calls answered as XML the CLI parses, lists and option
// settings sent as member.N, and bad input printed as the models' error codes. The three services'
// flows run side by side: each CLI call is a second or more of Python start-up.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { AwsCli } from '../support/aws.js';
import { awsCliOnTestController } from '../support/aws.js';
import { suiteScope } from '../support/temp.js';

describe('the AWS CLI v2 against Wharf in the Query protocol', { concurrency: true }, () => {
  const scope = suiteScope();
  let aws: AwsCli;
  before(async () => {
    aws = await awsCliOnTestController(scope);
  });

  test('Elastic Beanstalk: applications with tags, configuration templates with option settings, errors', async () => {
    const created = (await aws.ok(['elasticbeanstalk', 'create-application', '--application-name', 'query-app', '--description', 'via the Query protocol', '--tags', 'Key=team,Value=web', 'Key=env,Value=dev'])).Application;
    assert.equal(created.ApplicationName, 'query-app');
    assert.equal(created.Description, 'via the Query protocol');
    assert.match(created.ApplicationArn, /application\/query-app$/);
    assert.ok(Math.abs(Date.parse(created.DateCreated) - Date.now()) < 60_000, `DateCreated ${created.DateCreated} parsed as a time`);

    const listed = (await aws.ok(['elasticbeanstalk', 'describe-applications', '--application-names', 'query-app', 'nowhere'])).Applications;
    assert.deepEqual(listed.map((a: any) => a.ApplicationName), ['query-app']);

    const template = await aws.ok([
      'elasticbeanstalk', 'create-configuration-template', '--application-name', 'query-app', '--template-name', 'small',
      '--solution-stack-name', '64bit Amazon Linux 2023 v6.1.0 running Node.js 20',
      '--option-settings', 'Namespace=aws:autoscaling:asg,OptionName=MinSize,Value=2', 'Namespace=aws:autoscaling:asg,OptionName=MaxSize,Value=3',
    ]);
    assert.equal(template.TemplateName, 'small');
    const settings = (await aws.ok(['elasticbeanstalk', 'describe-configuration-settings', '--application-name', 'query-app', '--template-name', 'small'])).ConfigurationSettings[0];
    const value = (name: string) => settings.OptionSettings.find((s: any) => s.Namespace === 'aws:autoscaling:asg' && s.OptionName === name)?.Value;
    assert.equal(value('MinSize'), '2');
    assert.equal(value('MaxSize'), '3');

    const message = await aws.fails(['elasticbeanstalk', 'create-application', '--application-name', 'query-app'], 'InvalidParameterValue');
    assert.match(message, /query-app/);
    await aws.fails(['elasticbeanstalk', 'delete-application', '--application-name', 'nowhere'], 'InvalidParameterValue');
    await aws.ok(['elasticbeanstalk', 'delete-configuration-template', '--application-name', 'query-app', '--template-name', 'small']);
    await aws.ok(['elasticbeanstalk', 'delete-application', '--application-name', 'query-app']);
    assert.deepEqual((await aws.ok(['elasticbeanstalk', 'describe-applications'])).Applications, []);
  });

  test('ELBv2: a target group with its attributes and tags, a listener, errors by the model\'s codes', async () => {
    const group = (await aws.ok(['elbv2', 'create-target-group', '--name', 'query-web', '--protocol', 'HTTP', '--port', '8080', '--health-check-path', '/health', '--health-check-interval-seconds', '10', '--tags', 'Key=team,Value=web'])).TargetGroups[0];
    assert.equal(group.TargetGroupName, 'query-web');
    assert.equal(group.Port, 8080);
    assert.equal(group.HealthCheckIntervalSeconds, 10);
    assert.equal(group.HealthCheckEnabled, true);
    await aws.fails(['elbv2', 'create-target-group', '--name', 'query-web', '--protocol', 'HTTP', '--port', '8081'], 'DuplicateTargetGroupName');
    await aws.fails(['elbv2', 'describe-target-health', '--target-group-arn', group.TargetGroupArn.replace('query-web', 'nowhere')], 'TargetGroupNotFound');

    const modified = await aws.ok(['elbv2', 'modify-target-group-attributes', '--target-group-arn', group.TargetGroupArn, '--attributes', 'Key=deregistration_delay.timeout_seconds,Value=5']);
    assert.deepEqual(modified.Attributes.find((a: any) => a.Key === 'deregistration_delay.timeout_seconds'), { Key: 'deregistration_delay.timeout_seconds', Value: '5' });

    const described = (await aws.ok(['elbv2', 'describe-target-groups', '--names', 'query-web'])).TargetGroups;
    assert.deepEqual(described.map((g: any) => g.TargetGroupArn), [group.TargetGroupArn]);
    assert.deepEqual((await aws.ok(['elbv2', 'describe-target-health', '--target-group-arn', group.TargetGroupArn])).TargetHealthDescriptions, []);
    await aws.ok(['elbv2', 'delete-target-group', '--target-group-arn', group.TargetGroupArn]);
    await aws.fails(['elbv2', 'create-target-group', '--name', 'bad name!', '--protocol', 'HTTP', '--port', '80'], 'ValidationError');
  });

  test('IAM: a user, its group and policies, errors by the model\'s codes', async () => {
    const user = (await aws.ok(['iam', 'create-user', '--user-name', 'query-user', '--tags', 'Key=team,Value=web'])).User;
    assert.equal(user.UserName, 'query-user');
    assert.match(user.Arn, /:user\/query-user$/);
    await aws.fails(['iam', 'create-user', '--user-name', 'query-user'], 'EntityAlreadyExists');
    await aws.fails(['iam', 'get-user', '--user-name', 'nobody'], 'NoSuchEntity');
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecs:List*', Resource: '*' }] });
    await aws.ok(['iam', 'put-user-policy', '--user-name', 'query-user', '--policy-name', 'list', '--policy-document', policy]);
    assert.deepEqual((await aws.ok(['iam', 'list-user-policies', '--user-name', 'query-user'])).PolicyNames, ['list']);
    const document = (await aws.ok(['iam', 'get-user-policy', '--user-name', 'query-user', '--policy-name', 'list'])).PolicyDocument;
    assert.deepEqual(typeof document === 'string' ? JSON.parse(decodeURIComponent(document)) : document, JSON.parse(policy));
    await aws.fails(['iam', 'put-user-policy', '--user-name', 'query-user', '--policy-name', 'bad', '--policy-document', '{"Statement": 5}'], 'MalformedPolicyDocument');
    await aws.ok(['iam', 'delete-user-policy', '--user-name', 'query-user', '--policy-name', 'list']);
    await aws.ok(['iam', 'delete-user', '--user-name', 'query-user']);
  });

  test('IAM: a role with its trust policy, the role-exists waiter, errors by the model\'s codes', async () => {
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    const role = (await aws.ok(['iam', 'create-role', '--role-name', 'query-role', '--path', '/svc/', '--assume-role-policy-document', trust, '--max-session-duration', '7200'])).Role;
    assert.equal(role.Arn, 'arn:wharf:iam::000000000000:role/svc/query-role');
    assert.match(role.RoleId, /^AROA/);
    await aws.ok(['iam', 'wait', 'role-exists', '--role-name', 'query-role']);
    const got = (await aws.ok(['iam', 'get-role', '--role-name', 'query-role'])).Role;
    assert.equal(got.MaxSessionDuration, 7200);
    const document = got.AssumeRolePolicyDocument;
    assert.deepEqual(typeof document === 'string' ? JSON.parse(decodeURIComponent(document)) : document, JSON.parse(trust));
    await aws.fails(['iam', 'create-role', '--role-name', 'query-role', '--assume-role-policy-document', trust], 'EntityAlreadyExists');
    await aws.fails(['iam', 'create-role', '--role-name', 'bad-role', '--assume-role-policy-document', '{"Statement": {"Effect": "Allow", "Action": "sts:AssumeRole"}}'], 'MalformedPolicyDocument');
    await aws.ok(['iam', 'put-role-policy', '--role-name', 'query-role', '--policy-name', 'list', '--policy-document', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecs:List*', Resource: '*' }] })]);
    await aws.fails(['iam', 'delete-role', '--role-name', 'query-role'], 'DeleteConflict');
    await aws.ok(['iam', 'delete-role-policy', '--role-name', 'query-role', '--policy-name', 'list']);
    await aws.ok(['iam', 'delete-role', '--role-name', 'query-role']);
    await aws.fails(['iam', 'get-role', '--role-name', 'query-role'], 'NoSuchEntity');
  });
});
