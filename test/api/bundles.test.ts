// PUT /v1/elasticbeanstalk/bundles over real HTTP: the body is content, whatever its content type
// says; never a path on the controller's host, never a reason for a 500 or a dead process.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { request } from 'node:http';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { JOIN_TOKEN_FILE } from '../../src/controller/controller.js';
import type { TestController } from '../support/controller.js';
import { startTestController } from '../support/controller.js';
import { suiteScope, tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';
import { sha256Hex, signedFetch, signingHeaders, UNSIGNED_PAYLOAD } from '../support/signing.js';

const BUNDLES = '/v1/elasticbeanstalk/bundles';

describe('bundle upload takes only the bytes sent', () => {
  const scope = suiteScope();
  let api: TestController;
  let dataDir: string;
  let joinToken: string;
  before(async () => {
    dataDir = await tempDir(scope);
    api = await startTestController(scope, { dataDir });
    joinToken = (await readFile(path.join(dataDir, JOIN_TOKEN_FILE), 'utf8')).trim();
    assert.ok(joinToken.length >= 16, 'the controller keeps a generated join token in its data folder');
  });

  /** Uploads `body` as `contentType` (none when undefined) and checks what the store then holds. */
  async function upload(body: string, contentType: string | undefined, what: string): Promise<void> {
    const headers: Record<string, string> = contentType === undefined ? {} : { 'content-type': contentType };
    // Bytes, so fetch adds no content type of its own.
    const res = await signedFetch(api.url + BUNDLES, { method: 'PUT', headers, body: Buffer.from(body) });
    const text = await res.text();
    assert.ok(res.status < 500, `${what}: a client's body is never a 500 (got ${res.status}: ${text})`);
    assert.equal(res.status, 200, `${what}: any bytes are stored (CreateApplicationVersion checks the format): ${text}`);
    const names = await readdir(path.join(dataDir, 'artifacts')).catch(() => [] as string[]);
    assert.deepEqual(names.filter((name) => name.startsWith('.tmp-')), [], `${what}: no temporary file is left`);
    for (const name of names) {
      const stored = await readFile(path.join(dataDir, 'artifacts', name), 'utf8');
      assert.ok(!stored.includes(joinToken), `${what}: the join token is not stored in artifact ${name}`);
    }
    {
      const answer = JSON.parse(text) as { SourceBundle: { S3Key: string }; Size: number };
      const expected = Buffer.from(body);
      assert.equal(answer.SourceBundle.S3Key, createHash('sha256').update(expected).digest('hex'), `${what}: the key is the hash of the bytes sent`);
      assert.equal(answer.Size, expected.length, `${what}: the size is that of the bytes sent`);
      assert.deepEqual(await readFile(path.join(dataDir, 'artifacts', answer.SourceBundle.S3Key)), expected, `${what}: the artifact holds exactly the bytes sent`);
    }
    const health = await api.call('GET', '/healthz');
    assert.equal(health.status, 200, `${what}: the controller still answers /healthz`);
  }

  test('a JSON string naming the join token file is stored as that text, not as the file', async () => {
    await upload(JSON.stringify(path.join(dataDir, JOIN_TOKEN_FILE)), 'application/json', 'JSON string naming the join token');
    await upload(path.join(dataDir, JOIN_TOKEN_FILE), 'text/plain', 'text naming the join token');
  });

  test('text naming a missing path neither fails the request nor stops the controller', async () => {
    await upload(path.join(dataDir, 'no-such-file'), 'text/plain', 'text naming a missing path');
    await upload(JSON.stringify(path.join(dataDir, 'no-such-file')), 'application/json', 'JSON string naming a missing path');
  });

  test('JSON objects, numbers, arrays, null and booleans are stored as the bytes sent', async () => {
    for (const body of ['{}', '123', '[1,2]', 'null', 'true']) await upload(body, 'application/json', `JSON ${body}`);
  });

  test('any content type, or none, hands over the raw bytes; an archive type still works', async () => {
    await upload('not a zip at all', 'application/zip', 'application/zip');
    await upload('raw bytes, no type', undefined, 'no content type');
    await upload('form=looking', 'application/x-www-form-urlencoded', 'a form type');
    await upload('{"not": json', 'application/json; charset=utf-8', 'malformed JSON');
  });

  test('bytes that do not hash to the signed x-amz-content-sha256 are refused and stored nowhere', async () => {
    const artifacts = path.join(dataDir, 'artifacts');
    const before = await readdir(artifacts).catch(() => [] as string[]);
    const url = api.url + BUNDLES;
    const headers = signingHeaders(url, 'PUT', { 'content-type': 'application/zip' }, sha256Hex('the bytes that were signed'));
    const res = await fetch(url, { method: 'PUT', headers, body: 'other bytes' });
    assert.equal(res.status, 400);
    const problem = (await res.json()) as { code: string; awsCode: string };
    assert.equal(problem.code, 'WHARF_E_PAYLOAD_HASH_MISMATCH');
    assert.equal(problem.awsCode, 'XAmzContentSHA256Mismatch');
    assert.deepEqual(await readdir(artifacts).catch(() => [] as string[]), before, 'nothing was stored');
  });

  test('a client that goes away mid-upload leaves no temporary file and the controller serving', async () => {
    const artifacts = path.join(dataDir, 'artifacts');
    const before = await readdir(artifacts).catch(() => [] as string[]);
    const upload = request(api.url + BUNDLES, { method: 'PUT', headers: signingHeaders(api.url + BUNDLES, 'PUT', { 'content-type': 'application/zip', 'content-length': '1000000' }, UNSIGNED_PAYLOAD) });
    upload.on('error', () => undefined); // the client's own side of the reset
    upload.write(Buffer.alloc(64 * 1024, 1));
    await waitFor('the upload to be written to a temporary file', async () => (await readdir(artifacts)).some((name) => name.startsWith('.tmp-')));
    upload.destroy();
    await waitFor('the temporary file of the abandoned upload to be removed', async () => !(await readdir(artifacts)).some((name) => name.startsWith('.tmp-')));
    assert.deepEqual(await readdir(artifacts), before, 'nothing of the abandoned upload is stored');
    assert.equal((await api.call('GET', '/healthz')).status, 200, 'the controller still answers /healthz');
  });
});
