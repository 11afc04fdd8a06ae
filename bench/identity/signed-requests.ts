/**
 * What authentication costs a cheap read: DescribeClusters per second against two controllers of
 * the same build in this process, one with SigV4 and policy evaluation (a user, not the root, with
 * a 10-statement policy) and one with authentication switched off (`authentication: 'off'`, a
 * code-only option). The load comes from a worker thread (its own core for signing and HTTP),
 * `--concurrency` requests in flight for `--seconds` per round, rounds alternating between the
 * two, `--rounds` each; the figure is the median of each and their ratio. Each round's requests
 * carry one signature made at its start, so the client's signing does not take CPU from the server.
 *
 * This measures capacity, so it keeps a fixed number of requests in flight (closed loop) rather
 * than a fixed rate: the question is how many requests a second each can serve.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/identity/signed-requests.js [--seconds 5] [--rounds 3] [--concurrency 16] [--json]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { resolveSettings } from '../../src/config/settings.js';
import { startController } from '../../src/controller/controller.js';
import type { RunningController } from '../../src/controller/controller.js';
import { newAccessKey } from '../../src/controller/identity/keys.js';
import { loadSealer } from '../../src/controller/identity/sealing.js';
import type { IamUserRecord } from '../../src/model/iam/principal.js';
import { sha256Hex, signRequest } from '../../src/model/sigv4.js';
import type { Credentials } from '../../src/model/sigv4.js';

interface Load {
  readonly url: string;
  readonly credentials?: Credentials;
  readonly seconds: number;
  readonly concurrency: number;
}

const BODY = JSON.stringify({ clusters: ['default'] });

/** The worker: keeps `concurrency` DescribeClusters in flight for `seconds`; posts how many were answered 200. */
async function runLoad(load: Load): Promise<number> {
  const url = `${load.url}/v1/clusters/describe`;
  const hash = sha256Hex(BODY);
  const deadline = Date.now() + load.seconds * 1000;
  let ok = 0;
  let failed = 0;
  // Signed once per round and sent as it is (a signature holds for 15 minutes): the figure is what
  // the server pays, not the client's signing, which would take CPU from the server on this machine.
  const base: Record<string, string> = { 'content-type': 'application/json' };
  const headers = { ...base, ...(load.credentials ? signRequest({ method: 'POST', url, headers: base, payloadHash: hash }, load.credentials, { region: 'local', service: 'ecs' }, new Date()) : {}) };
  const one = async (): Promise<void> => {
    while (Date.now() < deadline) {
      const res = await fetch(url, { method: 'POST', headers, body: BODY });
      await res.arrayBuffer();
      if (res.status === 200) ok += 1;
      else failed += 1;
    }
  };
  await Promise.all(Array.from({ length: load.concurrency }, one));
  if (failed > 0) throw new Error(`${failed} requests failed`);
  return ok / load.seconds;
}

/** A policy of `n` statements, the last allowing DescribeClusters: the evaluator reads them all. */
function policyOf(n: number): string {
  const statements = Array.from({ length: n - 1 }, (_, i) => ({
    Sid: `S${i}`,
    Effect: i % 3 === 0 ? 'Deny' : 'Allow',
    Action: [`ecs:Update${i}*`, `elasticbeanstalk:Describe${i}*`],
    Resource: `arn:wharf:ecs:*:*:service/c${i}/*`,
    Condition: { IpAddress: { 'aws:SourceIp': `10.${i}.0.0/16` } },
  }));
  statements.push({ Sid: 'Read', Effect: 'Allow', Action: ['ecs:Describe*', 'ecs:List*'], Resource: 'arn:wharf:ecs:*:*:cluster/*', Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } } });
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** A user with a 10-statement inline policy and a key, written straight to the store (the IAM API is not what is measured). */
async function benchUser(controller: RunningController, dataDir: string): Promise<Credentials> {
  const sealer = await loadSealer(dataDir, undefined);
  const user: IamUserRecord = {
    userName: 'bench',
    userId: 'AIDABENCHBENCHBENCH0',
    arn: 'arn:wharf:iam::000000000000:user/bench',
    path: '/',
    createDate: Date.now(),
    groups: [],
    inlinePolicies: { read: policyOf(10) },
    attachedPolicyArns: [],
    tags: [],
  };
  const key = newAccessKey({ kind: 'user', userName: 'bench' }, sealer, Date.now());
  await controller.store.transaction(async (tx) => {
    await tx.iam.putUser(user);
    await tx.iam.putAccessKey(key.record);
  });
  return { accessKeyId: key.record.accessKeyId, secretAccessKey: key.secretAccessKey };
}

function inWorker(load: Load): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: load });
    worker.once('message', (rps: number) => resolve(rps));
    worker.once('error', reject);
  });
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, rounds: { type: 'string', default: '3' }, concurrency: { type: 'string', default: '16' }, json: { type: 'boolean', default: false } } });
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  const concurrency = Number(values.concurrency);
  const root = mkdtempSync(path.join(tmpdir(), 'wharf-bench-auth-'));
  const log = pino({ level: 'warn' });
  const start = (name: string, authentication: 'sigv4' | 'off') =>
    startController(resolveSettings({ dataDir: path.join(root, name), apiPort: 0, logLevel: 'warn' }, {}), log, { authentication });
  const open = await start('open', 'off');
  const signed = await start('signed', 'sigv4');
  try {
    await Promise.all([open.leading, signed.leading]);
    const credentials = await benchUser(signed, path.join(root, 'signed'));
    // One short round each first: connections, JIT and caches warm.
    await inWorker({ url: open.url, seconds: 1, concurrency });
    await inWorker({ url: signed.url, credentials, seconds: 1, concurrency });
    const off: number[] = [];
    const on: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      off.push(await inWorker({ url: open.url, seconds, concurrency }));
      on.push(await inWorker({ url: signed.url, credentials, seconds, concurrency }));
    }
    const result = { seconds, rounds, concurrency, offRps: off.map(Math.round), onRps: on.map(Math.round), medianOff: Math.round(median(off)), medianOn: Math.round(median(on)), ratio: median(on) / median(off) };
    if (values.json) console.log(JSON.stringify(result));
    else {
      console.log(`DescribeClusters, ${concurrency} in flight, ${rounds} rounds of ${seconds} s`);
      console.log(`  authentication off: ${result.offRps.join(', ')} req/s (median ${result.medianOff})`);
      console.log(`  SigV4 + 10-statement policy: ${result.onRps.join(', ')} req/s (median ${result.medianOn})`);
      console.log(`  ratio signed/unsigned: ${result.ratio.toFixed(3)} (${((1 - result.ratio) * 100).toFixed(1)} % fewer)`);
    }
  } finally {
    await signed.stop();
    await open.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

if (isMainThread) {
  await main();
} else {
  parentPort?.postMessage(await runLoad(workerData as Load));
}
