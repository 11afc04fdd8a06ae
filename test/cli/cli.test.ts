// The real `wharf` executable against a real controller over HTTP: output shapes, exit codes, errors.
import assert from 'node:assert/strict';
import net from 'node:net';
import { before, describe, test } from 'node:test';
import { runWharf } from '../support/cli.js';
import type { TestController } from '../support/controller.js';
import { startTestController } from '../support/controller.js';
import { suiteScope, tempDir } from '../support/temp.js';
import { writeFile } from 'node:fs/promises';

describe('wharf CLI', () => {
  const scope = suiteScope();
  let api: TestController;
  let endpoint: string[];
  before(async () => {
    api = await startTestController(scope);
    endpoint = ['--endpoint', api.url];
  });

  test('create, describe, list and delete a cluster, readable and --json', async () => {
    const created = await runWharf([...endpoint, 'ecs', 'create-cluster', '--cluster-name', 'cli-one', '--tags', 'key=team,value=web']);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /^cli-one {2}ACTIVE {2}arn:wharf:ecs:local:000000000000:cluster\/cli-one$/m);

    const described = await runWharf([...endpoint, '--json', 'ecs', 'describe-clusters', '--clusters', 'cli-one', '--clusters', 'missing-one']);
    assert.equal(described.code, 0, described.stderr);
    const body = JSON.parse(described.stdout);
    assert.equal(body.clusters[0].clusterName, 'cli-one');
    assert.deepEqual(body.clusters[0].tags, [{ key: 'team', value: 'web' }]);
    assert.equal(body.failures[0].reason, 'MISSING');

    const table = await runWharf([...endpoint, 'ecs', 'describe-clusters', '--clusters', 'cli-one']);
    assert.match(table.stdout, /^NAME +STATUS +INSTANCES/m);
    assert.match(table.stdout, /^cli-one +ACTIVE +0 /m);

    const listed = await runWharf([...endpoint, 'ecs', 'list-clusters']);
    assert.match(listed.stdout, /cluster\/cli-one$/m);

    const deleted = await runWharf([...endpoint, 'ecs', 'delete-cluster', '--cluster', 'cli-one']);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stdout, /cli-one {2}INACTIVE/);

    const events = await runWharf([...endpoint, 'events', '--resource-type', 'cluster', '--resource-id', 'cli-one']);
    assert.equal(events.code, 0, events.stderr);
    assert.match(events.stdout, /INFO +cluster\/cli-one +Cluster cli-one deleted\./);
  });

  test('--cli-input-json reads a request from a file, and flags override it', async (t) => {
    const dir = await tempDir(t);
    await writeFile(`${dir}/req.json`, JSON.stringify({ clusterName: 'from-file', tags: [{ key: 'src', value: 'file' }] }));
    const res = await runWharf([...endpoint, '--json', 'ecs', 'create-cluster', '--cli-input-json', `file://${dir}/req.json`, '--cluster-name', 'from-flag']);
    assert.equal(res.code, 0, res.stderr);
    const { cluster } = JSON.parse(res.stdout);
    assert.equal(cluster.clusterName, 'from-flag');
    assert.deepEqual(cluster.tags, [{ key: 'src', value: 'file' }]);
  });

  test('a user error says what and how to fix it, without a stack, exit 1', async () => {
    const res = await runWharf([...endpoint, 'ecs', 'create-cluster', '--cluster-name', 'has spaces']);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /^wharf: The CreateCluster request has 1 invalid field/);
    assert.match(res.stderr, /- clusterName: A cluster name has 1 to 255 letters/);
    assert.doesNotMatch(res.stderr, /\n\s+at /, 'no stack');
    assert.equal(res.stdout, '');
  });

  test('with --json, errors have one fixed JSON shape', async () => {
    const res = await runWharf([...endpoint, '--json', 'ecs', 'delete-cluster', '--cluster', 'never-made']);
    assert.equal(res.code, 1);
    const { error } = JSON.parse(res.stderr);
    assert.equal(error.code, 'WHARF_E_CLUSTER_NOT_FOUND');
    assert.equal(error.kind, 'user');
    assert.match(error.message, /never-made/);
    assert.ok(error.requestId);
  });

  test('an unreachable controller is a clear user error naming the endpoint', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    // Credentials of some kind: the CLI signs before it connects.
    const res = await runWharf(['--endpoint', `http://127.0.0.1:${closed}`, 'ecs', 'list-clusters'], { env: { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE00', AWS_SECRET_ACCESS_KEY: 'secret' } });
    assert.equal(res.code, 1);
    assert.match(res.stderr, new RegExp(`Cannot reach the Wharf controller at http://127.0.0.1:${closed}: ECONNREFUSED`));
    assert.match(res.stderr, /wharf up/);
  });

  test('WHARF_ENDPOINT is used when --endpoint is not given', async () => {
    const res = await runWharf(['ecs', 'list-clusters'], { env: { WHARF_ENDPOINT: api.url } });
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /cluster\/default/);
  });

  test('a bad command line is a usage error, exit 1', async () => {
    const unknown = await runWharf(['ecs', 'create-cluster', '--no-such-flag']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /Unknown option --no-such-flag/);
    const missing = await runWharf([...endpoint, 'ecs', 'delete-cluster']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /the following arguments are required: --cluster/);
    const badJson = await runWharf([...endpoint, 'ecs', 'create-cluster', '--cli-input-json', '{nope']);
    assert.equal(badJson.code, 1);
    assert.match(badJson.stderr, /Error parsing parameter '--cli-input-json': Invalid JSON/);
  });

  test('--help and --version exit 0', async () => {
    const help = await runWharf(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: wharf/);
    const version = await runWharf(['--version']);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^\d+\.\d+\.\d+/);
  });
});

describe('wharf CLI, system errors', () => {
  test('a controller fault is reported as a system error, exit 2, with the request id', async (t) => {
    const api = await startTestController(t);
    await api.store.close();
    const res = await runWharf(['--endpoint', api.url, 'ecs', 'list-clusters']);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /^wharf: system error \[WHARF_E_INTERNAL\] \(request id [0-9a-f-]{36}\)/);
  });
});
