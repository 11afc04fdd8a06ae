/**
 * What authentication costs a cheap read, measured on the server: DescribeClusters sent at a fixed
 * rate (open loop) to two controllers of the same build, one with SigV4 and policy evaluation (a
 * user, not the root, with a 10-statement inline policy) and one with authentication switched off
 * (`authentication: 'off'`, a code-only option). Each controller runs in a child process of its
 * own, so `process.cpuUsage()` there counts the server's work only (its event loop, GC and thread
 * pool), never the load generator's. The load generator (this process) signs every request as an
 * AWS client does (`--sign once` replays one signature per round instead: SigV4 has no nonce, so a
 * signature holds for 15 minutes; the two give the same figures, which shows the server keeps
 * nothing keyed by a signature).
 *
 * Per round: `--rate` requests a second to each controller for `--seconds`, both at once (so both
 * meet the same machine: other jobs, CPU frequency), each request sent at its scheduled time
 * whatever the answers before it (latency is counted from that time, so a slow server cannot slow
 * the load). The figure is each server's CPU time per request (its idle CPU, measured before the
 * load, taken off) and their ratio per round, median over `--rounds`: `off / signed` is the share
 * of requests a second a saturated core keeps when signed. Latency percentiles say whether both
 * kept up with the offered rate. `--control` makes the second controller unsigned too: the ratio
 * it gives is the noise. `--baseline FILE` adds a third controller, signed, from another build (the
 * compiled copy of this file in that build's dist), loaded at the same time: a before/after on
 * the same machine in the same seconds.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/identity/signed-requests.js [--rate 1000] [--seconds 5] [--rounds 7] [--sign each|once] [--control] [--baseline FILE] [--cpu-prof DIR] [--json]
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
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
import type { RunningController } from '../../src/controller/controller.js';
import { newAccessKey } from '../../src/controller/identity/keys.js';
import { loadSealer } from '../../src/controller/identity/sealing.js';
import type { IamUserRecord } from '../../src/model/iam/principal.js';
import { sha256Hex, signRequest } from '../../src/model/sigv4.js';
import type { Credentials } from '../../src/model/sigv4.js';
import { quantile } from '../scheduler/cluster.js';

type Mode = 'off' | 'sigv4';

const PATH = '/v1/clusters/describe';
const BODY = JSON.stringify({ clusters: ['default'] });
const BODY_HASH = sha256Hex(BODY);
/** Connections the load generator may open to a controller: enough that none waits for a free one at the rates used. */
const CONNECTIONS = 64;
/** How long each controller's idle CPU is measured before any load. */
const IDLE_MS = 3000;

// ── The server: one controller in a child process ───────────────────────────────────────────────

/** What a server child tells the orchestrator. */
type ServerMessage = { ready: { url: string; credentials?: Credentials } } | { cpu: number };
/** What the orchestrator asks a server child. */
type ServerRequest = 'cpu' | 'stop';

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

/** Runs one controller until told to stop, answering requests for its CPU time (µs, user + system). */
async function serve(mode: Mode): Promise<void> {
  const root = mkdtempSync(path.join(tmpdir(), `wharf-bench-auth-${mode}-`));
  const controller = await startController(resolveSettings({ dataDir: root, apiPort: 0, logLevel: 'warn' }, {}), pino({ level: 'warn' }), { authentication: mode });
  await controller.leading;
  const credentials = mode === 'sigv4' ? await benchUser(controller, root) : undefined;
  const send = (message: ServerMessage): void => void process.send?.(message);
  process.on('message', (request: ServerRequest) => {
    if (request === 'cpu') {
      const { user, system } = process.cpuUsage();
      send({ cpu: user + system });
    } else {
      void controller.stop().finally(() => {
        rmSync(root, { recursive: true, force: true });
        process.exit(0); // --cpu-prof writes its profile here
      });
    }
  });
  send({ ready: { url: controller.url, ...(credentials ? { credentials } : {}) } });
}

/** A server child as the orchestrator sees it. */
interface Server {
  readonly mode: Mode;
  readonly url: string;
  readonly credentials?: Credentials;
  /** The child's CPU time so far, µs. */
  cpu(): Promise<number>;
  stop(): Promise<void>;
}

async function startServer(mode: Mode, cpuProfDir: string | undefined, script = fileURLToPath(import.meta.url)): Promise<Server> {
  const child: ChildProcess = fork(script, ['--serve', mode], {
    execArgv: cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir, '--cpu-prof-name', `${mode}.cpuprofile`] : [],
  });
  const next = <T>(pick: (message: ServerMessage) => T | undefined): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: ServerMessage): void => {
        const value = pick(message);
        if (value === undefined) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(value);
      };
      const onExit = (code: number | null): void => reject(new Error(`the ${mode} controller exited (${code}) before answering`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ready = await next((message) => ('ready' in message ? message.ready : undefined));
  return {
    mode,
    url: ready.url,
    ...(ready.credentials ? { credentials: ready.credentials } : {}),
    cpu: () => {
      const answer = next((message) => ('cpu' in message ? message.cpu : undefined));
      child.send('cpu' satisfies ServerRequest);
      return answer;
    },
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.send('stop' satisfies ServerRequest);
      }),
  };
}

// ── The load: a fixed rate, open loop ───────────────────────────────────────────────────────────

/** One controller under load: its connections, and what a round learned of it. */
interface Target {
  readonly server: Server;
  readonly name: string;
  readonly pool: Pool;
  /** Its CPU µs per ms of wall time with no load, taken off a round's CPU time. */
  idleCpuPerMs: number;
}

interface RoundResult {
  readonly name: string;
  /** Achieved rate: answers over the time from the first send to the last answer. */
  readonly rps: number;
  /** Server CPU µs per request, the idle share taken off. */
  readonly cpuUs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

function signedHeaders(server: Server, now: Date): Record<string, string> {
  const base = { 'content-type': 'application/json' };
  if (!server.credentials) return base;
  return { ...base, ...signRequest({ method: 'POST', url: `${server.url}${PATH}`, headers: base, payloadHash: BODY_HASH }, server.credentials, { region: 'local', service: 'ecs' }, now) };
}

/**
 * Sends `rate × seconds` DescribeClusters to every target at once, each request at its scheduled
 * time (the targets in turns, a different one first each time), so that all meet the same machine;
 * fails on any answer but 200.
 */
async function round(targets: readonly Target[], rate: number, seconds: number, sign: 'each' | 'once'): Promise<RoundResult[]> {
  const total = Math.round(rate * seconds);
  const state = targets.map((target) => ({ target, once: signedHeaders(target.server, new Date()), latencies: [] as number[], failed: 0 }));
  const answers: Promise<void>[] = [];
  const send = (one: (typeof state)[number], scheduled: number): void => {
    const headers = sign === 'each' ? signedHeaders(one.target.server, new Date()) : one.once;
    answers.push(
      one.target.pool.request({ path: PATH, method: 'POST', headers, body: BODY }).then(
        async (res) => {
          await res.body.dump();
          if (res.statusCode === 200) one.latencies.push(performance.now() - scheduled);
          else one.failed += 1;
        },
        () => void (one.failed += 1),
      ),
    );
  };
  const cpuBefore = await Promise.all(targets.map((target) => target.server.cpu()));
  const start = performance.now();
  const due = (i: number): number => start + (i * 1000) / rate;
  await new Promise<void>((resolve) => {
    let next = 0;
    const tick = (): void => {
      const now = performance.now();
      for (; next < total && due(next) <= now; next++) {
        for (let k = 0; k < state.length; k++) send(state[(next + k) % state.length] as (typeof state)[number], due(next));
      }
      if (next < total) setTimeout(tick, Math.max(0, due(next) - performance.now()));
      else resolve();
    };
    tick();
  });
  await Promise.all(answers);
  const elapsedMs = performance.now() - start;
  const cpuAfter = await Promise.all(targets.map((target) => target.server.cpu()));
  return state.map((one, i) => {
    if (one.failed > 0) throw new Error(`${one.failed} of ${total} requests to the ${one.target.name} controller failed`);
    const cpuUs = (cpuAfter[i] as number) - (cpuBefore[i] as number) - one.target.idleCpuPerMs * elapsedMs;
    const latencies = one.latencies.sort((a, b) => a - b);
    return { name: one.target.name, rps: total / (elapsedMs / 1000), cpuUs: cpuUs / total, p50Ms: quantile(latencies, 0.5), p99Ms: quantile(latencies, 0.99) };
  });
}

/** The server's CPU µs per ms of wall time with no load: its timers (leadership, sweeps, services). */
async function idleCpu(server: Server): Promise<number> {
  const before = await server.cpu();
  const start = performance.now();
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  return ((await server.cpu()) - before) / (performance.now() - start);
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const fixed = (value: number, digits: number): string => value.toFixed(digits);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: '1000' },
      seconds: { type: 'string', default: '5' },
      rounds: { type: 'string', default: '7' },
      sign: { type: 'string', default: 'each' },
      control: { type: 'boolean', default: false },
      baseline: { type: 'string' },
      'cpu-prof': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  const sign = values.sign === 'once' ? 'once' : 'each';
  const cpuProf = values['cpu-prof'] ? path.resolve(values['cpu-prof']) : undefined;
  const targets: Target[] = [];
  const start = async (name: string, mode: Mode, script?: string): Promise<void> => {
    const server = await startServer(mode, cpuProf, script);
    targets.push({ server, name, pool: new Pool(server.url, { connections: CONNECTIONS, pipelining: 1 }), idleCpuPerMs: 0 });
  };
  try {
    await start('authentication off', 'off');
    // --control: the second controller unsigned too, so the ratio shows what noise alone gives.
    await start(values.control ? 'authentication off (control)' : 'SigV4 + 10-statement policy', values.control ? 'off' : 'sigv4');
    // --baseline: a third, signed, controller of another build (its compiled copy of this file), loaded at the same time.
    if (values.baseline) await start(`SigV4 + 10-statement policy, ${values.baseline}`, 'sigv4', path.resolve(values.baseline));
    // Connections, JIT and caches warm, then each controller's idle CPU with no load.
    await round(targets, rate, 2, sign);
    for (const target of targets) target.idleCpuPerMs = await idleCpu(target.server);
    const results: RoundResult[][] = [];
    for (let i = 0; i < rounds; i += 1) results.push(await round(targets, rate, seconds, sign));
    const summaries = targets.map((target, k) => {
      const rs = results.map((each) => each[k] as RoundResult);
      // The off controller's CPU per request over this one's, round by round.
      const ratios = results.map((each) => (each[0] as RoundResult).cpuUs / (each[k] as RoundResult).cpuUs);
      return { name: target.name, idleCpuMsPerS: target.idleCpuPerMs, cpuUsPerRequest: rs.map((r) => r.cpuUs), medianCpuUs: median(rs.map((r) => r.cpuUs)), rps: median(rs.map((r) => r.rps)), p50Ms: median(rs.map((r) => r.p50Ms)), p99Ms: median(rs.map((r) => r.p99Ms)), ratios, ratio: median(ratios) };
    });
    const result = { rate, seconds, rounds, sign, control: values.control, controllers: summaries, ratio: summaries[1]?.ratio };
    if (values.json) console.log(JSON.stringify(result));
    else {
      console.log(`DescribeClusters at ${rate}/s to each controller at once (open loop), ${rounds} rounds of ${seconds} s, signature ${sign === 'each' ? 'made per request' : 'made once per round'}`);
      for (const s of summaries) {
        console.log(`  ${s.name}: server CPU ${s.cpuUsPerRequest.map((us) => fixed(us, 0)).join(', ')} µs/request (median ${fixed(s.medianCpuUs, 0)}; idle ${fixed(s.idleCpuMsPerS, 1)} ms/s taken off); ${fixed(s.rps, 0)} req/s answered, latency p50 ${fixed(s.p50Ms, 2)} ms p99 ${fixed(s.p99Ms, 2)} ms`);
      }
      for (const s of summaries.slice(1)) {
        console.log(`  off / ${s.name}, CPU per request per round: ${s.ratios.map((r) => fixed(r, 3)).join(', ')}; median ${fixed(s.ratio, 3)}: a saturated core serves ${fixed((1 - s.ratio) * 100, 1)} % fewer of these requests`);
      }
    }
  } finally {
    await Promise.all(targets.map((target) => target.pool.close()));
    await Promise.all(targets.map((target) => target.server.stop()));
  }
}

const serving = process.argv.indexOf('--serve');
if (serving !== -1) await serve(process.argv[serving + 1] === 'sigv4' ? 'sigv4' : 'off');
else await main();
