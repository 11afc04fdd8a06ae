// DNS rebinding: the API answers requests addressed to an IP address, localhost or a listed name,
// and refuses any other Host before a route runs (so a page on another site cannot drive it).
import assert from 'node:assert/strict';
import http from 'node:http';
import { before, describe, test } from 'node:test';
import type { TestController } from '../support/controller.js';
import { startTestController } from '../support/controller.js';
import { sha256Hex, signingHeaders } from '../support/signing.js';
import { suiteScope } from '../support/temp.js';

/** A request with a Host header of our choosing (fetch does not let one set it). */
function requestWithHost(url: string, method: string, path: string, host: string, body?: unknown): Promise<{ status: number; json: any }> {
  const target = new URL(path, url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        hostname: target.hostname,
        port: target.port,
        path: target.pathname,
        method,
        headers: signingHeaders(target.href, method, { host, ...(payload ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}) }, sha256Hex(payload ?? '')),
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('the Host header', () => {
  const scope = suiteScope();
  let api: TestController;
  before(async () => {
    api = await startTestController(scope, { apiHostnames: 'wharf.internal, Ops.Example' });
  });

  test('a request naming another site is refused with 421 and changes nothing', async () => {
    const port = new URL(api.url).port;
    const refused = await requestWithHost(api.url, 'POST', '/v1/clusters', `rebind.attacker.test:${port}`, { clusterName: 'pwned' });
    assert.equal(refused.status, 421);
    assert.equal(refused.json.code, 'WHARF_E_HOST_NOT_ALLOWED');
    assert.match(refused.json.detail, /"rebind\.attacker\.test".*WHARF_API_HOSTNAMES/);
    const clusters = await api.call('POST', '/v1/clusters/describe', { clusters: ['pwned'] });
    assert.deepEqual(clusters.json.clusters, [], 'no cluster was created');
    assert.equal((await requestWithHost(api.url, 'GET', '/healthz', 'evil.example')).status, 421);
  });

  test('IP addresses, localhost and the listed names are answered', async () => {
    const port = new URL(api.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `wharf.internal:${port}`, 'ops.example']) {
      const res = await requestWithHost(api.url, 'GET', '/v1/clusters/default', host);
      assert.equal(res.status, 200, host);
    }
  });
});
