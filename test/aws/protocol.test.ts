// The AWS endpoint's protocol, over raw HTTP: targets, bodies and errors in the JSON 1.1 shape,
// authentication and authorisation as the native routes have them (same IAM action, same
// resources, same audit record), timestamps as epoch seconds.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { sha256Hex, signRequest } from '../../src/model/sigv4.js';
import type { Credentials } from '../../src/model/sigv4.js';
import type { TestController } from '../support/controller.js';
import { startTestController } from '../support/controller.js';
import { credentialsFor } from '../support/signing.js';
import { suiteScope } from '../support/temp.js';

const ECS = 'AmazonEC2ContainerServiceV20141113';
const SCALING = 'AnyScaleFrontendService';

describe('the AWS JSON 1.1 endpoint (POST /)', () => {
  const scope = suiteScope();
  let api: TestController;
  let root: Credentials;

  before(async () => {
    api = await startTestController(scope);
    root = credentialsFor(api.url)!;
  });

  interface Sent {
    readonly credentials?: Credentials | null;
    readonly service?: string;
    readonly body?: string;
    readonly contentType?: string;
  }

  /** One call to `POST /` with `target`, signed as the AWS SDKs sign it (unless `credentials` is null). */
  async function send(target: string | undefined, input: unknown, sent: Sent = {}): Promise<{ status: number; headers: Headers; json: any }> {
    const url = new URL(`${api.url}/`);
    const body = sent.body ?? JSON.stringify(input);
    const headers: Record<string, string> = { 'content-type': sent.contentType ?? 'application/x-amz-json-1.1', ...(target === undefined ? {} : { 'x-amz-target': target }) };
    const credentials = sent.credentials === undefined ? root : sent.credentials;
    const service = sent.service ?? (target?.startsWith(SCALING) ? 'application-autoscaling' : 'ecs');
    const signed = credentials === null ? headers : { ...headers, ...signRequest({ method: 'POST', url, headers, payloadHash: sha256Hex(body) }, credentials, { region: 'us-east-1', service }, new Date()) };
    const res = await fetch(url, { method: 'POST', headers: signed, body });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: text === '' ? undefined : JSON.parse(text) };
  }

  test('an operation answers in the protocol: its content type, a request id, timestamps as epoch seconds', async () => {
    const before = Date.now() / 1000;
    const created = await send(`${ECS}.RegisterTaskDefinition`, { family: 'proto', containerDefinitions: [{ name: 'web', image: 'busybox', memory: 64, dockerLabels: { registeredAt: 'kept as given' } }] });
    assert.equal(created.status, 200, JSON.stringify(created.json));
    assert.match(created.headers.get('content-type') ?? '', /^application\/x-amz-json-1\.1/);
    assert.ok(created.headers.get('x-amzn-requestid'));
    const registeredAt = created.json.taskDefinition.registeredAt;
    assert.equal(typeof registeredAt, 'number');
    assert.ok(registeredAt >= before - 1 && registeredAt <= Date.now() / 1000 + 1, `registeredAt ${registeredAt} is now, in seconds`);
    assert.equal(created.json.taskDefinition.containerDefinitions[0].dockerLabels.registeredAt, 'kept as given');

    const described = await send(`${ECS}.DescribeTaskDefinition`, { taskDefinition: 'proto:1', include: ['TAGS'] });
    assert.equal(described.status, 200);
    assert.equal(described.json.taskDefinition.registeredAt, registeredAt);
    assert.deepEqual(described.json.tags, []);
    const listed = await send(`${ECS}.ListTaskDefinitions`, { familyPrefix: 'proto', maxResults: 10 });
    assert.deepEqual(listed.json.taskDefinitionArns, [created.json.taskDefinition.taskDefinitionArn]);

    const metrics = await api.call('GET', '/metrics');
    assert.match(metrics.text, /wharf_api_requests_total\{method="POST",route="\/ AmazonEC2ContainerServiceV20141113\.RegisterTaskDefinition",status="200"\} 1/, 'metrics name the operation');
  });

  test('errors are {__type, message} with HTTP 400 and the model\'s exception names', async () => {
    const missing = await send(`${ECS}.DeleteCluster`, { cluster: 'no-such-cluster' });
    assert.equal(missing.status, 400);
    assert.match(missing.headers.get('content-type') ?? '', /^application\/x-amz-json-1\.1/);
    assert.equal(missing.json.__type, 'ClusterNotFoundException');
    assert.match(missing.json.message, /Cluster "no-such-cluster" does not exist/);

    const invalid = await send(`${ECS}.CreateCluster`, { clusterName: 'bad name!', tags: [{ key: 'aws:x', value: '' }] });
    assert.equal(invalid.json.__type, 'InvalidParameterException');
    assert.match(invalid.json.message, /clusterName: A cluster name has/);
    assert.match(invalid.json.message, /tags\.0\.key: Tag keys starting with "aws:" are reserved/, 'every offending field is named in the message');

    const scaling = await send(`${SCALING}.PutScalingPolicy`, {
      PolicyName: 'p',
      ServiceNamespace: 'ecs',
      ResourceId: 'service/default/none',
      ScalableDimension: 'ecs:service:DesiredCount',
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } },
    });
    assert.equal(scaling.json.__type, 'ObjectNotFoundException');
    assert.match(scaling.json.Message, /No scalable target is registered for service\/default\/none/);
    const validation = await send(`${SCALING}.DescribeScalableTargets`, { ServiceNamespace: 'ec2' });
    assert.equal(validation.json.__type, 'ValidationException');

    const malformed = await send(`${ECS}.ListClusters`, undefined, { body: '{"maxResults": ' });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.json.__type, 'SerializationException');
    const notAnObject = await send(`${ECS}.ListClusters`, [1, 2]);
    assert.equal(notAnObject.json.__type, 'InvalidParameterException');
  });

  test('an unknown operation or service is UnknownOperationException; POST / without a target is no AWS call', async () => {
    const unknown = await send(`${ECS}.ListAccountSettings`, { effectiveSettings: true });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.json.__type, 'UnknownOperationException');
    assert.match(unknown.json.message, /ListAccountSettings/);
    const inherited = await send(`${ECS}.constructor`, {});
    assert.equal(inherited.json.__type, 'UnknownOperationException', 'a name of Object.prototype is no operation');
    const otherService = await send('AmazonSQS.SendMessage', {}, { credentials: null });
    assert.equal(otherService.json.__type, 'UnknownOperationException');
    const unsignedUnknown = await send(`${ECS}.ListAccountSettings`, {}, { credentials: null });
    assert.equal(unsignedUnknown.json.__type, 'MissingAuthenticationTokenException', 'an unknown operation of a known service still needs a signature');

    const native = await send(undefined, {});
    assert.equal(native.status, 404);
    assert.equal(native.json.code, 'WHARF_E_ROUTE_NOT_FOUND');
  });

  test('authentication failures come back in the protocol, named as AWS JSON services name them', async () => {
    const unsigned = await send(`${ECS}.ListClusters`, {}, { credentials: null });
    assert.equal(unsigned.status, 400);
    assert.equal(unsigned.json.__type, 'MissingAuthenticationTokenException');
    const unknownKey = await send(`${ECS}.ListClusters`, {}, { credentials: { accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', secretAccessKey: root.secretAccessKey } });
    assert.equal(unknownKey.json.__type, 'UnrecognizedClientException');
    const wrongSecret = await send(`${ECS}.ListClusters`, {}, { credentials: { ...root, secretAccessKey: 'x'.repeat(40) } });
    assert.equal(wrongSecret.json.__type, 'InvalidSignatureException');
    const otherScope = await send(`${ECS}.ListClusters`, {}, { service: 'application-autoscaling' });
    assert.equal(otherScope.json.__type, 'InvalidSignatureException', "ECS's operations are signed for ecs");
    const scalingScope = await send(`${SCALING}.DescribeScalableTargets`, { ServiceNamespace: 'ecs' }, { service: 'ecs' });
    assert.equal(scalingScope.json.__type, 'InvalidSignatureException', "Application Auto Scaling's for application-autoscaling");
  });

  test("a user is authorised by the native route's action and resources, and the call is audited as the native one", async () => {
    const iam = async (operation: string, body: unknown) => {
      const res = await api.call('POST', `/v1/iam/${operation}`, body);
      assert.equal(res.status, 200, `${operation}: ${res.text}`);
      return res.json;
    };
    await iam('CreateUser', { UserName: 'lister' });
    const { AccessKey } = await iam('CreateAccessKey', { UserName: 'lister' });
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ecs:ListClusters', 'ecs:CreateCluster'], Resource: ['*'] }, { Effect: 'Deny', Action: 'ecs:CreateCluster', Resource: 'arn:wharf:ecs:*:*:cluster/prod-*' }] };
    await iam('PutUserPolicy', { UserName: 'lister', PolicyName: 'lists', PolicyDocument: JSON.stringify(policy) });
    const lister = { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey };

    assert.equal((await send(`${ECS}.ListClusters`, {}, { credentials: lister })).status, 200);
    assert.equal((await send(`${ECS}.CreateCluster`, { clusterName: 'dev-1' }, { credentials: lister })).status, 200);
    const denied = await send(`${ECS}.CreateCluster`, { clusterName: 'prod-1' }, { credentials: lister });
    assert.equal(denied.status, 400);
    assert.equal(denied.json.__type, 'AccessDeniedException');
    assert.match(denied.json.message, /ecs:CreateCluster on resource: arn:wharf:ecs:local:000000000000:cluster\/prod-1 with an explicit deny/);
    const describe = await send(`${ECS}.DescribeClusters`, { clusters: ['dev-1'] }, { credentials: lister });
    assert.equal(describe.json.__type, 'AccessDeniedException');
    assert.match(describe.json.message, /ecs:DescribeClusters on resource: arn:wharf:ecs:local:000000000000:cluster\/dev-1 because no identity-based policy allows/);

    const { json } = await api.call('GET', '/v1/audit?maxRecords=50');
    const created = json.records.find((r: any) => r.action === 'ecs:CreateCluster' && r.resources.includes('arn:wharf:ecs:local:000000000000:cluster/dev-1'));
    assert.equal(created?.outcome, 'Success', 'the AWS call is audited with the native action and resource');
    const refused = json.records.find((r: any) => r.action === 'ecs:CreateCluster' && r.resources.includes('arn:wharf:ecs:local:000000000000:cluster/prod-1'));
    assert.equal(refused?.outcome, 'Denied');
    assert.equal(refused?.errorCode, 'WHARF_E_ACCESS_DENIED');
  });
});
