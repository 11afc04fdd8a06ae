/** Shared by the platform's end-to-end tests: a Node app, bundles, and waits on environments. */
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { packFolder } from '../../src/bundle/pack.js';
import type { TestCluster } from '../support/cluster.js';
import { tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';
import { signedFetch } from '../support/signing.js';

export const EB = '/v1/elasticbeanstalk';

/**
 * A Node app: answers `/` with its version and greeting, `/env/NAME` with a variable, `/pid` with its
 * process id. Any method gets the same answer once its body is read (and discarded), so POSTs under
 * load count like GETs.
 */
export async function writeNodeApp(dir: string, version: string, extra: Record<string, string> = {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'hello', version: '1.0.0', private: true, scripts: { start: 'node server.js' } }));
  await writeFile(
    path.join(dir, 'server.js'),
    `const http = require('http');
http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.url.startsWith('/env/')) return res.end(String(process.env[req.url.slice(5)] ?? ''));
    if (req.url === '/fail') { res.statusCode = 500; return res.end('failing on purpose'); }
    if (req.url === '/pid') return res.end(String(process.pid));
    res.end('${version} ' + (process.env.GREETING ?? '') + '\\n');
  });
}).listen(Number(process.env.PORT), '127.0.0.1');
`,
  );
  await writeFile(path.join(dir, 'Procfile'), `web: ${process.execPath} server.js\n`);
  for (const [file, text] of Object.entries(extra)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
}

/** How a failing version fails: its process exits at start, or it runs and answers 500 to every request (the health check too). */
export type FailureMode = 'exits' | 'unhealthy';

/**
 * A version that can never become healthy, for rollback tests: writeNodeApp's files with a server
 * that exits with code 1 at start (`exits`), or answers 500 to everything (`unhealthy`).
 */
export async function writeFailingNodeApp(dir: string, version: string, mode: FailureMode, extra: Record<string, string> = {}): Promise<void> {
  await writeNodeApp(dir, version, extra);
  const server =
    mode === 'exits'
      ? `console.error('${version} exits at start on purpose');\nprocess.exit(1);\n`
      : `const http = require('http');
http.createServer((req, res) => {
  req.resume();
  req.on('end', () => { res.statusCode = 500; res.end('${version} failing on purpose\\n'); });
}).listen(Number(process.env.PORT), '127.0.0.1');
`;
  await writeFile(path.join(dir, 'server.js'), server);
}

/** GET with a Host header (fetch does not let a caller set one). */
export function httpGet(port: number, urlPath: string, host: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: urlPath, headers: { host }, agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      response.on('error', () => resolve({ status: 0, text }));
    });
    request.on('error', (error) => resolve({ status: 0, text: error.message }));
  });
}

export const FAST_HEALTH = `option_settings:
  aws:elasticbeanstalk:environment:process:default:
    HealthCheckInterval: 5
    HealthCheckTimeout: 4
    HealthyThresholdCount: 2
    DeregistrationDelay: 1
  aws:elasticbeanstalk:application:environment:
    GREETING: from-ebextensions
    FROM_FILE: yes-it-is
`;

/** Packs `dir` and uploads it; answers the `SourceBundle` that names it (`S3Key` is its SHA-256). */
export async function uploadBundle(cluster: TestCluster, t: { after(fn: () => unknown): void }, dir: string): Promise<{ S3Bucket: string; S3Key: string }> {
  const zip = path.join(await tempDir(t), 'bundle.zip');
  await packFolder(dir, zip);
  const upload = await signedFetch(`${cluster.controller.url}${EB}/bundles`, { method: 'PUT', headers: { 'content-type': 'application/zip' }, body: await readFile(zip) });
  assert.equal(upload.status, 200, await upload.clone().text());
  return ((await upload.json()) as { SourceBundle: { S3Bucket: string; S3Key: string } }).SourceBundle;
}

/** Packs `dir`, uploads it, and creates version `label` of `application`. */
export async function createVersion(cluster: TestCluster, t: { after(fn: () => unknown): void }, application: string, label: string, dir: string): Promise<any> {
  const SourceBundle = await uploadBundle(cluster, t, dir);
  return cluster.api('POST', `${EB}/CreateApplicationVersion`, { ApplicationName: application, VersionLabel: label, SourceBundle, AutoCreateApplication: true });
}

export async function environment(cluster: TestCluster, name: string): Promise<any> {
  const { Environments } = await cluster.api('POST', `${EB}/DescribeEnvironments`, { EnvironmentNames: [name], IncludeDeleted: true });
  return Environments.at(-1);
}

/** Waits until the environment matches `check`; fails with its last state and its events. */
export async function waitForEnvironment(cluster: TestCluster, name: string, what: string, check: (e: any) => boolean, timeoutMs = 120_000): Promise<any> {
  const source = { environment: () => environment(cluster, name), events: async () => (await cluster.api('POST', `${EB}/DescribeEvents`, { EnvironmentName: name })).Events };
  return waitForEnvironmentFrom(source, name, what, check, { timeoutMs, intervalMs: 200 });
}

/** Waits until `source`'s environment matches `check`; fails with its last state and its events. */
export async function waitForEnvironmentFrom(
  source: { environment(): Promise<any>; events(): Promise<readonly { EventDate: string; Severity: string; Message: string }[]> },
  name: string,
  what: string,
  check: (e: any) => boolean,
  options: { timeoutMs: number; intervalMs: number },
): Promise<any> {
  let last: any;
  try {
    return await waitFor(
      `${name} ${what}`,
      async () => {
        last = await source.environment();
        return last && check(last) ? last : undefined;
      },
      options,
    );
  } catch (error) {
    const events = await source.events();
    throw new Error(`${(error as Error).message}\nlast: ${JSON.stringify(last)}\nevents:\n${events.map((e) => `${e.EventDate} ${e.Severity} ${e.Message}`).join('\n')}`, { cause: error });
  }
}

/** Waits until the environment is Ready on `label`; fails at once when its operation failed. */
export async function readyOn(cluster: TestCluster, name: string, label: string): Promise<any> {
  return waitForEnvironment(cluster, name, `Ready on ${label}`, (e) => {
    if (e.Operation?.Failure) throw new Error(`operation failed: ${e.Operation.Failure}`);
    return e.Status === 'Ready' && e.VersionLabel === label;
  });
}

export interface LoadResult {
  readonly ok: number;
  readonly failed: number;
  readonly failures: readonly string[];
  /** Answers by the version the app names first in its body. */
  readonly versions: ReadonlyMap<string, number>;
  /** Successful and failed requests by method (the loops alternate GET and POST). */
  readonly methods: { readonly GET: { ok: number; failed: number }; readonly POST: { ok: number; failed: number } };
  /** When (Date.now()) each version last answered. */
  readonly lastAnswerAt: ReadonlyMap<string, number>;
  /**
   * The longest stretch with no successful answer, ms: between two successful answers, from the
   * start to the first one, or from the last one to now (a stretch still going counts).
   */
  readonly longestGapMs: number;
  /** When (Date.now()) that longest stretch began; undefined while it is 0. */
  readonly longestGapFrom: number | undefined;
}

export interface LoadOptions {
  /** Pause between a loop's requests, ms (default 5): with the round trip, this sets the rate. */
  readonly pauseMs?: number;
  /** A request with no complete answer after this long is cut and counted as failed (default 10 s). */
  readonly timeoutMs?: number;
}

/** The body each POST sends (small; the test app reads and discards it). */
const LOAD_POST_BODY = JSON.stringify({ probe: 'wharf load', padding: 'x'.repeat(64) });

/**
 * Steady load through the router at `host`: `workers` loops, half on keep-alive connections, half
 * on a fresh connection per request, each alternating GET and POST (a small JSON body) on `/`
 * (neighbouring loops start on different methods, so both methods run on both kinds of connection
 * at every moment), with `pauseMs` between requests. Any status but 200, a connection error and a
 * timeout count as failed.
 */
export function startLoad(port: number, host: string, workers = 4, options: LoadOptions = {}): { stop(): Promise<LoadResult>; snapshot(): LoadResult } {
  const pauseMs = options.pauseMs ?? 5;
  const timeoutMs = options.timeoutMs ?? 10_000;
  let running = true;
  let ok = 0;
  let failed = 0;
  const failures: string[] = [];
  const versions = new Map<string, number>();
  const lastAnswerAt = new Map<string, number>();
  const methods = { GET: { ok: 0, failed: 0 }, POST: { ok: 0, failed: 0 } };
  const startedAt = Date.now();
  let lastSuccessAt = startedAt;
  let longestGapMs = 0;
  let longestGapFrom: number | undefined;
  const keepAlive = new http.Agent({ keepAlive: true, maxSockets: workers });
  const succeeded = (version: string): void => {
    const now = Date.now();
    if (now - lastSuccessAt > longestGapMs) {
      longestGapMs = now - lastSuccessAt;
      longestGapFrom = lastSuccessAt;
    }
    lastSuccessAt = now;
    ok += 1;
    versions.set(version, (versions.get(version) ?? 0) + 1);
    lastAnswerAt.set(version, now);
  };
  const once = (agent: http.Agent | false, method: 'GET' | 'POST') =>
    new Promise<void>((resolve) => {
      let settled = false;
      const fail = (why: string): void => {
        if (settled) return;
        settled = true;
        failed += 1;
        methods[method].failed += 1;
        if (failures.length < 20) failures.push(`${method}: ${why}`);
        resolve();
      };
      const headers: http.OutgoingHttpHeaders = { host };
      if (method === 'POST') Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(LOAD_POST_BODY) });
      const request = http.request({ host: '127.0.0.1', port, path: '/', method, headers, agent }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          if (settled) return;
          if (response.statusCode !== 200) return fail(`${response.statusCode}: ${text.slice(0, 100)}`);
          settled = true;
          methods[method].ok += 1;
          succeeded(text.split(' ')[0] ?? '');
          resolve();
        });
        response.on('error', (error) => fail(error.message));
      });
      request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      request.on('error', (error) => fail(error.message));
      request.end(method === 'POST' ? LOAD_POST_BODY : undefined);
    });
  const loops = Array.from({ length: workers }, async (_, i) => {
    for (let n = i >> 1; running; n++) {
      await once(i % 2 === 0 ? keepAlive : false, n % 2 === 0 ? 'GET' : 'POST');
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  });
  const snapshot = (): LoadResult => {
    const open = Date.now() - lastSuccessAt;
    const gap = open > longestGapMs ? { ms: open, from: lastSuccessAt } : { ms: longestGapMs, from: longestGapFrom };
    return {
      ok,
      failed,
      failures: [...failures],
      versions: new Map(versions),
      methods: { GET: { ...methods.GET }, POST: { ...methods.POST } },
      lastAnswerAt: new Map(lastAnswerAt),
      longestGapMs: gap.ms,
      longestGapFrom: gap.from,
    };
  };
  return {
    snapshot,
    async stop() {
      running = false;
      await Promise.all(loops);
      keepAlive.destroy();
      return snapshot();
    },
  };
}
