/**
 * What the AWS endpoint's protocol layer adds to a call: the same operation sent to one controller
 * both ways, its native route and its AWS protocol, interleaved request by request at a fixed rate
 * (open loop: each request leaves at its scheduled time whatever the answers before it), and the
 * time from that scheduled time to the whole answer compared. Three pairs:
 *
 *   ECS DescribeClusters           POST /v1/clusters/describe              vs JSON 1.1 (X-Amz-Target)
 *   Elastic Beanstalk DescribeApplications  POST /v1/elasticbeanstalk/…    vs Query (form in, XML out)
 *   ELBv2 DescribeTargetGroups     POST /v1/elbv2/DescribeTargetGroups     vs Query
 *
 * The controller runs in a child process with authentication off (a code-only option: signing
 * costs both forms the same, and is measured by bench/identity/signed-requests.ts), so the two
 * forms differ by the protocol layer alone: recognising the call, decoding the form by the
 * route's schema, converting timestamps, rendering XML. The figure per pair is the median over
 * rounds of (p50 protocol − p50 native) and of their ratio; at a rate well below saturation the
 * p50 is the service time.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/aws/protocol-overhead.js [--rate 200] [--seconds 5] [--rounds 5] [--json]
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { Pool } from 'undici';
import { resolveSettings } from '../../src/config/settings.js';
import { startController } from '../../src/controller/controller.js';
import { quantile } from '../scheduler/cluster.js';

/** One way to send an operation. */
interface Form {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

interface Pair {
  readonly name: string;
  readonly native: Form;
  readonly aws: Form;
}

const json = { 'content-type': 'application/json' };
const form = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

const PAIRS: readonly Pair[] = [
  {
    name: 'ECS DescribeClusters (JSON 1.1)',
    native: { path: '/v1/clusters/describe', headers: json, body: JSON.stringify({ clusters: ['default', 'bench'] }) },
    aws: { path: '/', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.DescribeClusters' }, body: JSON.stringify({ clusters: ['default', 'bench'] }) },
  },
  {
    name: 'Elastic Beanstalk DescribeApplications (Query)',
    native: { path: '/v1/elasticbeanstalk/DescribeApplications', headers: json, body: JSON.stringify({ ApplicationNames: ['bench'] }) },
    aws: { path: '/', headers: form, body: 'Action=DescribeApplications&Version=2010-12-01&ApplicationNames.member.1=bench' },
  },
  {
    name: 'ELBv2 DescribeTargetGroups (Query)',
    native: { path: '/v1/elbv2/DescribeTargetGroups', headers: json, body: JSON.stringify({ Names: ['bench'] }) },
    aws: { path: '/', headers: form, body: 'Action=DescribeTargetGroups&Version=2015-12-01&Names.member.1=bench' },
  },
];

/** The child: a controller with authentication off, a cluster, an application and a target group to describe. */
async function serve(): Promise<void> {
  const root = mkdtempSync(path.join(tmpdir(), 'wharf-bench-protocol-'));
  const controller = await startController(resolveSettings({ dataDir: root, apiPort: 0, logLevel: 'warn' }, {}), pino({ level: 'warn' }), { authentication: 'off' });
  await controller.leading;
  const post = async (route: string, body: unknown): Promise<void> => {
    const res = await fetch(controller.url + route, { method: 'POST', headers: json, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${route}: ${res.status} ${await res.text()}`);
  };
  await post('/v1/clusters', { clusterName: 'bench' });
  await post('/v1/elasticbeanstalk/CreateApplication', { ApplicationName: 'bench', Description: 'protocol benchmark' });
  await post('/v1/elbv2/CreateTargetGroup', { Name: 'bench', Protocol: 'HTTP', Port: 8080 });
  process.on('message', () => {
    void controller.stop().finally(() => {
      rmSync(root, { recursive: true, force: true });
      process.exit(0);
    });
  });
  process.send?.({ url: controller.url });
}

interface RoundResult {
  readonly nativeP50: number;
  readonly awsP50: number;
}

/** `rate` requests a second for `seconds`, alternating the two forms; fails on any answer but 200. */
async function round(pool: Pool, pair: Pair, rate: number, seconds: number): Promise<RoundResult> {
  const total = Math.round(rate * seconds);
  const latencies = { native: [] as number[], aws: [] as number[] };
  let failed = '';
  const answers: Promise<void>[] = [];
  const start = performance.now();
  const due = (i: number): number => start + (i * 1000) / rate;
  await new Promise<void>((resolve) => {
    let next = 0;
    const tick = (): void => {
      for (; next < total && due(next) <= performance.now(); next++) {
        const which = next % 2 === 0 ? 'native' : 'aws';
        const sent = pair[which];
        const scheduled = due(next);
        answers.push(
          pool.request({ path: sent.path, method: 'POST', headers: sent.headers, body: sent.body }).then(
            async (res) => {
              const text = await res.body.text();
              if (res.statusCode === 200) latencies[which].push(performance.now() - scheduled);
              else failed ||= `${which} ${res.statusCode}: ${text.slice(0, 300)}`;
            },
            (error: unknown) => void (failed ||= `${which}: ${String(error)}`),
          ),
        );
      }
      if (next < total) setTimeout(tick, Math.max(0, due(next) - performance.now()));
      else resolve();
    };
    tick();
  });
  await Promise.all(answers);
  if (failed) throw new Error(`${pair.name}: ${failed}`);
  return { nativeP50: quantile(latencies.native.sort((a, b) => a - b), 0.5), awsP50: quantile(latencies.aws.sort((a, b) => a - b), 0.5) };
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rate: { type: 'string', default: '200' }, seconds: { type: 'string', default: '5' }, rounds: { type: 'string', default: '5' }, json: { type: 'boolean', default: false } } });
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  const child = fork(fileURLToPath(import.meta.url), ['--serve']);
  const stopped = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.once('message', (message: { url: string }) => resolve(message.url));
      child.once('exit', (code) => reject(new Error(`the controller exited (${code}) before it was ready`)));
    });
    const pool = new Pool(url, { connections: 16, pipelining: 1 });
    try {
      const results = [];
      for (const pair of PAIRS) {
        await round(pool, pair, rate, 2); // connections, JIT and caches warm
        const rs: RoundResult[] = [];
        for (let i = 0; i < rounds; i++) rs.push(await round(pool, pair, rate, seconds));
        results.push({
          name: pair.name,
          nativeP50Ms: median(rs.map((r) => r.nativeP50)),
          awsP50Ms: median(rs.map((r) => r.awsP50)),
          addedMs: median(rs.map((r) => r.awsP50 - r.nativeP50)),
          ratio: median(rs.map((r) => r.awsP50 / r.nativeP50)),
        });
      }
      if (values.json) console.log(JSON.stringify({ rate, seconds, rounds, results }));
      else {
        console.log(`Each operation at ${rate}/s (open loop), native and AWS protocol interleaved, ${rounds} rounds of ${seconds} s; medians over rounds`);
        for (const r of results) console.log(`  ${r.name}: native p50 ${r.nativeP50Ms.toFixed(3)} ms, AWS protocol p50 ${r.awsP50Ms.toFixed(3)} ms: +${r.addedMs.toFixed(3)} ms a call (×${r.ratio.toFixed(2)})`);
      }
    } finally {
      await pool.close();
    }
  } finally {
    child.send('stop');
    await stopped;
  }
}

if (process.argv.includes('--serve')) await serve();
else await main();
