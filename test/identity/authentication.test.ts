// Every /v1 route is signed (SigV4) and authorised by its IAM action; refused calls are audited.
// A real in-process controller on loopback, the AWS SDK's own signer, and the `wharf` CLI.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import Fastify from 'fastify';
import { JOIN_TOKEN_ROUTES, ROUTE_ACTIONS } from '../../src/controller/api/actions.js';
import { guardRoutes } from '../../src/controller/api/authentication.js';
import { presignUrl, sha256Hex, signRequest } from '../../src/model/sigv4.js';
import { runWharf } from '../support/cli.js';
import type { TestController } from '../support/controller.js';
import { startTestController } from '../support/controller.js';
import { credentialsFor, signedFetch } from '../support/signing.js';
import { suiteScope, tempDir } from '../support/temp.js';

describe('authentication (SigV4) and the route table', () => {
  const scope = suiteScope();
  let api: TestController;
  let dataDir: string;
  let root: { accessKeyId: string; secretAccessKey: string };

  before(async () => {
    dataDir = await tempDir(scope);
    api = await startTestController(scope, { dataDir });
    root = credentialsFor(api.url)!;
  });

  const problem = async (res: Response) => (await res.json()) as { code: string; awsCode?: string; detail: string };

  test('the root key is made at first start, 0600 in the AWS credentials format, and its secret is not in the database in clear', () => {
    const file = path.join(dataDir, 'credentials');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.match(readFileSync(file, 'utf8'), /^\[default\]\naws_access_key_id = AKIA[A-Z2-7]{16}\naws_secret_access_key = \S{40}\n$/);
    for (const name of ['wharf.db', 'wharf.db-wal']) {
      const bytes = readFileSync(path.join(dataDir, name));
      assert.ok(!bytes.includes(root.secretAccessKey), `${name} does not hold the secret in clear`);
    }
    assert.equal(statSync(path.join(dataDir, 'secrets.key')).mode & 0o777, 0o600);
  });

  test('an unsigned call is refused with MissingAuthenticationToken and changes nothing', async () => {
    const res = await fetch(`${api.url}/v1/clusters`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clusterName: 'unsigned' }) });
    assert.equal(res.status, 403);
    const body = await problem(res);
    assert.equal(body.code, 'WHARF_E_MISSING_AUTHENTICATION_TOKEN');
    assert.equal(body.awsCode, 'MissingAuthenticationToken');
    const { json } = await api.call('POST', '/v1/clusters/describe', { clusters: ['unsigned'] });
    assert.deepEqual(json.clusters, [], 'no cluster was created');
  });

  test('an unknown key, a wrong secret, a changed body, an old date and another service are each refused by name', async () => {
    const url = `${api.url}/v1/clusters`;
    const body = JSON.stringify({ clusterName: 'signed-wrong' });
    const send = (headers: Record<string, string>, sent = body) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: sent });
    const sign = (credentials: typeof root, when = new Date(), service = 'ecs') =>
      signRequest({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payloadHash: sha256Hex(body) }, credentials, { region: 'local', service }, when);

    const unknown = await send(sign({ accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', secretAccessKey: root.secretAccessKey }));
    assert.equal((await problem(unknown)).awsCode, 'InvalidClientTokenId');
    const wrongSecret = await send(sign({ ...root, secretAccessKey: 'x'.repeat(40) }));
    assert.equal((await problem(wrongSecret)).awsCode, 'SignatureDoesNotMatch');
    const tampered = await send(sign(root), JSON.stringify({ clusterName: 'tampered' }));
    assert.equal((await problem(tampered)).awsCode, 'SignatureDoesNotMatch');
    const old = await send(sign(root, new Date(Date.now() - 16 * 60_000)));
    assert.equal((await problem(old)).awsCode, 'RequestExpired');
    const ahead = await send(sign(root, new Date(Date.now() + 16 * 60_000)));
    assert.equal((await problem(ahead)).awsCode, 'RequestExpired');
    const otherService = await send(sign(root, new Date(), 'elasticbeanstalk'));
    assert.equal((await problem(otherService)).awsCode, 'SignatureDoesNotMatch');
    for (const res of [unknown, wrongSecret, tampered, old, ahead, otherService]) assert.equal(res.status, 403);
    const { json } = await api.call('POST', '/v1/clusters/describe', { clusters: ['signed-wrong', 'tampered'] });
    assert.deepEqual(json.clusters, [], 'nothing was created');

    const right = await send(sign(root));
    assert.equal(right.status, 200, 'the same call signed right is served');
  });

  test('a request signed by the AWS SDK v3 signer is accepted as it is', async () => {
    const url = new URL(`${api.url}/v1/clusters/describe`);
    const body = JSON.stringify({ clusters: ['default'] });
    const signer = new SignatureV4({ credentials: root, region: 'us-east-1', service: 'ecs', sha256: Sha256 });
    const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {}, headers: { host: url.host, 'content-type': 'application/json' }, body });
    const res = await fetch(url, { method: 'POST', headers: signed.headers, body });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(((await res.json()) as { clusters: { clusterName: string }[] }).clusters[0]?.clusterName, 'default');
  });

  test('a presigned URL serves a GET until it expires', async () => {
    const good = presignUrl({ method: 'GET', url: `${api.url}/v1/clusters` }, root, { region: 'local', service: 'ecs' }, new Date(), 60);
    assert.equal((await fetch(good)).status, 200);
    const expired = presignUrl({ method: 'GET', url: `${api.url}/v1/clusters` }, root, { region: 'local', service: 'ecs' }, new Date(Date.now() - 120_000), 60);
    const res = await fetch(expired);
    assert.equal(res.status, 403);
    assert.equal((await problem(res)).awsCode, 'RequestExpired');
  });

  test('/healthz stays open; /metrics needs a signed call', async () => {
    assert.equal((await fetch(`${api.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${api.url}/metrics`)).status, 403);
    assert.equal((await signedFetch(`${api.url}/metrics`)).status, 200);
  });

  test('every route in the action table exists and refuses an unsigned call with 403, HEAD of a GET route too (an unknown route is 404); join-token routes refuse a caller without their token', async () => {
    const unsigned = (method: string, route: string) =>
      fetch(api.url + route.replace(/:(\w+)/g, 'x'), { method, ...(method === 'GET' || method === 'HEAD' || method === 'DELETE' ? {} : { headers: { 'content-type': 'application/json' }, body: '{}' }) });
    for (const key of Object.keys(ROUTE_ACTIONS)) {
      const [method = '', route = ''] = key.split(' ');
      assert.equal((await unsigned(method, route)).status, 403, `${key} unsigned`);
      // Fastify answers HEAD for every GET route: it is signed the same.
      if (method === 'GET') assert.equal((await unsigned('HEAD', route)).status, 403, `HEAD ${route} unsigned`);
    }
    for (const key of JOIN_TOKEN_ROUTES) {
      const [method = '', route = ''] = key.split(' ');
      const status = (await unsigned(method, route)).status;
      assert.ok(status === 401 || status === 400, `${key} without its join token: refused (401, or 400 for a body it checks first), not ${status}`);
    }
    assert.equal((await unsigned('POST', '/v1/no-such-route')).status, 404);
  });

  test('a /v1 route with no IAM action cannot be registered', () => {
    const app = Fastify();
    guardRoutes(app);
    assert.throws(() => app.post('/v1/unlisted', async () => ({})), /POST \/v1\/unlisted has no IAM action/);
    assert.doesNotThrow(() => app.get('/healthz', async () => ({})));
  });

  test('mutations and refused calls are audited (never a secret or signature); reads are not; wharf audit filters them', async () => {
    await api.call('POST', '/v1/clusters', { clusterName: 'audited' });
    await api.call('POST', '/v1/clusters/describe', { clusters: ['audited'] });
    await fetch(`${api.url}/v1/clusters/audited`, { method: 'DELETE' });
    const { json } = await api.call('GET', '/v1/audit?maxRecords=50');
    const created = json.records.find((r: any) => r.action === 'ecs:CreateCluster' && r.resources.includes('arn:wharf:ecs:local:000000000000:cluster/audited'));
    assert.ok(created, 'the CreateCluster call is audited');
    assert.equal(created.outcome, 'Success');
    assert.equal(created.principalArn, 'arn:wharf:iam::000000000000:root');
    assert.equal(created.accessKeyId, root.accessKeyId);
    assert.equal(created.sourceIp, '127.0.0.1');
    assert.ok(!json.records.some((r: any) => r.action === 'ecs:DescribeClusters'), 'reads are not audited');
    const refused = json.records.find((r: any) => r.action === 'ecs:DeleteCluster');
    assert.equal(refused.outcome, 'Unauthenticated');
    assert.equal(refused.status, 403);
    assert.equal(refused.errorCode, 'WHARF_E_MISSING_AUTHENTICATION_TOKEN');
    assert.ok(!JSON.stringify(json).includes(root.secretAccessKey), 'no secret in the audit log');

    const cli = await runWharf(['--endpoint', api.url, '--json', 'audit', '--outcome', 'Unauthenticated', '--action', 'ecs:DeleteCluster']);
    assert.equal(cli.code, 0, cli.stderr);
    const records = JSON.parse(cli.stdout).records;
    assert.ok(records.length >= 1 && records.every((r: any) => r.outcome === 'Unauthenticated' && r.action === 'ecs:DeleteCluster'));
  });

  test('the CLI with no credentials anywhere says where it looked, in one line', async () => {
    const res = await runWharf(['--endpoint', api.url, 'ecs', 'list-clusters'], { env: { AWS_PROFILE: 'nobody', AWS_SHARED_CREDENTIALS_FILE: path.join(dataDir, 'no-such-file') } });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /No credentials to sign the request with\. Looked in the profile "nobody" in .*no-such-file/);
    assert.equal(res.stderr.trim().split('\n').length, 1);
  });
});
