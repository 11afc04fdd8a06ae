/**
 * Router benchmark: wrk with 64 connections, in one run, against
 *   direct   the backend itself (an nginx answering a fixed 200),
 *   nginx    an nginx reverse proxy in front of it, configured alike (keep-alive upstream),
 *   haproxy  Wharf's router with the haproxy data plane (per-request log lines for metrics on),
 *   node     Wharf's router with the node data plane,
 * each round in that order, `--rounds` times; figures are medians over the rounds. Then the time
 * from a target's death (SIGKILL of a node backend process) to its removal from rotation, under
 * load, for each data plane.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/router/bench.js [--duration 10] [--rounds 3] [--connections 64] [--json]
 *
 * Needs Debian's wrk, nginx and haproxy (`apt-get install wrk nginx haproxy`). Everything runs on
 * loopback, on ports the OS gives, in a temp folder; every process started is stopped by its pid.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { createLogger } from '../../src/log.js';
import type { RoutingTableInput } from '../../src/model/routing.js';
import type { DataPlaneKind } from '../../src/router/data-plane.js';
import type { RunningRouter } from '../../src/router/start.js';
import { startRouter } from '../../src/router/start.js';
import { InProcessTableSource } from '../../src/router/table-source.js';

const HOST = 'bench.test';
const TG_ARN = 'arn:wharf:elasticloadbalancing:local:000000000000:targetgroup/bench/1';

interface WrkResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function toMs(value: string, unit: string): number {
  const n = Number(value);
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : n;
}

/** Runs wrk and reads requests/s, p50, p99 and errors from its report. */
function wrk(url: string, connections: number, seconds: number): Promise<WrkResult> {
  return new Promise((resolve, reject) => {
    execFile('wrk', ['-t2', `-c${connections}`, `-d${seconds}s`, '--latency', '-H', `Host: ${HOST}`, url], { timeout: (seconds + 30) * 1000 }, (error, stdout) => {
      if (error) return reject(error);
      const rps = /Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1];
      const p50 = /\s50%\s+([\d.]+)(us|ms|s)\b/.exec(stdout);
      const p99 = /\s99%\s+([\d.]+)(us|ms|s)\b/.exec(stdout);
      const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
      const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(stdout);
      if (!rps || !p50 || !p99) return reject(new Error(`cannot read wrk's report:\n${stdout}`));
      const errors = (socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0) + Number(non2xx?.[1] ?? 0);
      resolve({ requestsPerSecond: Number(rps), p50Ms: toMs(p50[1] as string, p50[2] as string), p99Ms: toMs(p99[1] as string, p99[2] as string), errors });
    });
  });
}

interface Started {
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts nginx on its own config, pid file and logs in `dir`; stopped by its pid. */
async function startNginx(dir: string, name: string, http: string, workers: number): Promise<Started> {
  const prefix = path.join(dir, name);
  await writeFile(`${prefix}.conf`, [
    `worker_processes ${workers};`,
    'daemon off;',
    `pid ${prefix}.pid;`,
    `error_log ${prefix}.error.log warn;`,
    'events { worker_connections 4096; }',
    'http {',
    '  access_log off;',
    `  client_body_temp_path ${dir}/tmp-body; proxy_temp_path ${dir}/tmp-proxy; fastcgi_temp_path ${dir}/tmp-fcgi; uwsgi_temp_path ${dir}/tmp-uwsgi; scgi_temp_path ${dir}/tmp-scgi;`,
    '  keepalive_requests 1000000;',
    http,
    '}',
  ].join('\n'));
  const child = spawn('nginx', ['-c', `${prefix}.conf`, '-p', dir], { stdio: 'ignore' });
  await delay(300);
  if (child.exitCode !== null) throw new Error(`nginx ${name} exited (${child.exitCode}); see ${prefix}.error.log`);
  return { process: child, stop: () => stopChild(child, 'SIGQUIT') };
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  if (await Promise.race([exited.then(() => true), delay(5_000, false)])) return;
  child.kill('SIGKILL');
  await exited;
}

/** A node backend in its own process (so it can be killed): answers 200 "ok" on any path. */
async function startNodeBackend(): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const script = `require('http').createServer((q, s) => { s.writeHead(200, {'content-type': 'text/plain', 'content-length': 3}); s.end('ok\\n'); }).listen(${port}, '127.0.0.1', () => console.log('up'))`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`backend exited ${code}`)));
  });
  return { port, child };
}

function table(version: number, targets: { id: string; port: number }[], intervalSeconds: number): RoutingTableInput {
  return {
    version,
    targetGroups: [
      {
        name: 'bench',
        arn: TG_ARN,
        healthCheck: { path: '/', intervalSeconds, timeoutSeconds: 2, healthyThresholdCount: 2, unhealthyThresholdCount: 2 },
        deregistrationDelaySeconds: 0,
        targets: targets.map((t) => ({ id: t.id, host: '127.0.0.1', port: t.port })),
      },
    ],
    listeners: [{ port: 80, rules: [{ priority: 1, conditions: { hostHeader: [HOST] }, action: { type: 'forward', targetGroups: [{ targetGroupArn: TG_ARN, weight: 1 }] } }] }],
  };
}

async function startBenchRouter(kind: DataPlaneKind, dir: string, targets: { id: string; port: number }[], intervalSeconds: number, timeScale: number): Promise<{ running: RunningRouter; source: InProcessTableSource; url: string }> {
  const source = new InProcessTableSource();
  const running = await startRouter({
    source,
    dataPlane: kind,
    host: '127.0.0.1',
    port: 0,
    dataDir: path.join(dir, `router-${kind}-${Date.now()}`),
    adminPort: null,
    log: createLogger('warn', 'router'),
    healthCheckTimeScale: timeScale,
  });
  source.set(table(1, targets, intervalSeconds));
  await running.router.settled();
  const deadline = Date.now() + 30_000;
  while (!running.router.targetHealth().every((t) => t.state === 'healthy')) {
    if (Date.now() > deadline) throw new Error(`targets never became healthy: ${JSON.stringify(running.router.targetHealth())}`);
    await delay(20);
  }
  await running.router.settled();
  const address = running.address(80);
  if (!address) throw new Error('listener 80 not served');
  return { running, source, url: `http://${address.host}:${address.port}/` };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Time from SIGKILL of one of two targets to the router taking it out, under a light keep-alive load. */
async function removalTime(kind: DataPlaneKind, dir: string): Promise<{ removalMs: number; failed: number; total: number }> {
  const a = await startNodeBackend();
  const b = await startNodeBackend();
  // Checks every 30 s (ELB's default), run 20 times faster here so the targets start quickly
  // (1.5 s): two failed checks would take 1.5-3 s; the failed connection takes the target out at once.
  const targets = [
    { id: 'a', port: a.port },
    { id: 'b', port: b.port },
  ];
  const { running, url } = await startBenchRouter(kind, dir, targets, 30, 0.05);
  const agent = new Agent({ connections: 8 });
  let failed = 0;
  let total = 0;
  let stop = false;
  const worker = async () => {
    while (!stop) {
      total++;
      try {
        const response = await request(url, { dispatcher: agent, headers: { host: HOST } });
        await response.body.text();
        if (response.statusCode !== 200) failed++;
      } catch {
        failed++;
      }
    }
  };
  const workers = Array.from({ length: 8 }, () => worker());
  await delay(500);
  const killedAt = performance.now();
  a.child.kill('SIGKILL');
  let removalMs = NaN;
  while (performance.now() - killedAt < 10_000) {
    if (running.router.targetHealth().find((t) => t.targetId === 'a')?.state === 'unhealthy') {
      removalMs = performance.now() - killedAt;
      break;
    }
    await delay(1);
  }
  await delay(300);
  stop = true;
  await Promise.all(workers);
  await agent.close();
  await running.stop();
  await stopChild(b.child);
  return { removalMs, failed, total };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { duration: { type: 'string', default: '10' }, rounds: { type: 'string', default: '3' }, connections: { type: 'string', default: '64' }, json: { type: 'boolean', default: false } } });
  const seconds = Number(values.duration);
  const rounds = Number(values.rounds);
  const connections = Number(values.connections);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wharf-bench-router-'));
  const stops: (() => Promise<void>)[] = [];
  const results: Record<string, WrkResult[]> = { direct: [], nginx: [], haproxy: [], node: [] };
  try {
    const backendPort = await freePort();
    const nginxPort = await freePort();
    const backend = await startNginx(dir, 'backend', `  server { listen 127.0.0.1:${backendPort}; location / { default_type text/plain; return 200 "ok\\n"; } }`, 1);
    stops.push(backend.stop);
    const proxy = await startNginx(
      dir,
      'proxy',
      [
        `  upstream bench { server 127.0.0.1:${backendPort}; keepalive 128; }`,
        `  server { listen 127.0.0.1:${nginxPort}; location / { proxy_pass http://bench; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Host $host; proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; } }`,
      ].join('\n'),
      os.cpus().length,
    );
    stops.push(proxy.stop);
    // Checks every 5 s, run 5 times faster (one a second: a negligible load).
    const haproxy = await startBenchRouter('haproxy', dir, [{ id: 'backend', port: backendPort }], 5, 0.2);
    stops.push(() => haproxy.running.stop());
    const node = await startBenchRouter('node', dir, [{ id: 'backend', port: backendPort }], 5, 0.2);
    stops.push(() => node.running.stop());
    const targets: Record<string, string> = { direct: `http://127.0.0.1:${backendPort}/`, nginx: `http://127.0.0.1:${nginxPort}/`, haproxy: haproxy.url, node: node.url };
    for (const [name, url] of Object.entries(targets)) await wrk(url, connections, 2).catch((error: Error) => console.error(`warm-up of ${name} failed: ${error.message}`));
    for (let round = 1; round <= rounds; round++) {
      for (const [name, url] of Object.entries(targets)) {
        const result = await wrk(url, connections, seconds);
        results[name]?.push(result);
        if (!values.json) console.error(`round ${round} ${name}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms, errors ${result.errors}`);
      }
    }
    for (const stop of stops.splice(0).reverse()) await stop();

    const removal: Record<string, { removalMs: number; failed: number; total: number }[]> = { haproxy: [], node: [] };
    for (let round = 1; round <= rounds; round++) {
      for (const kind of ['haproxy', 'node'] as const) removal[kind]?.push(await removalTime(kind, dir));
    }

    const med = (name: string, key: keyof WrkResult) => median((results[name] ?? []).map((r) => r[key]));
    const nginxRps = med('nginx', 'requestsPerSecond');
    const nginxP50 = med('nginx', 'p50Ms');
    const nginxP99 = med('nginx', 'p99Ms');
    const directP99 = med('direct', 'p99Ms');
    const summary = Object.keys(results).map((name) => ({
      path: name,
      requestsPerSecond: Math.round(med(name, 'requestsPerSecond')),
      p50Ms: Number(med(name, 'p50Ms').toFixed(3)),
      p99Ms: Number(med(name, 'p99Ms').toFixed(3)),
      rpsVsNginx: Number((med(name, 'requestsPerSecond') / nginxRps).toFixed(2)),
      p50VsNginx: Number((med(name, 'p50Ms') / nginxP50).toFixed(2)),
      p99VsNginx: Number((med(name, 'p99Ms') / nginxP99).toFixed(2)),
      addedP99MsVsDirect: Number((med(name, 'p99Ms') - directP99).toFixed(3)),
      errors: (results[name] ?? []).reduce((sum, r) => sum + r.errors, 0),
    }));
    const removalSummary = Object.entries(removal).map(([kind, runs]) => ({
      dataPlane: kind,
      medianRemovalMs: Number(median(runs.map((r) => r.removalMs)).toFixed(1)),
      runsMs: runs.map((r) => Number(r.removalMs.toFixed(1))),
      failedRequests: runs.reduce((sum, r) => sum + r.failed, 0),
      requests: runs.reduce((sum, r) => sum + r.total, 0),
    }));
    const report = { machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))) }, connections, seconds, rounds, summary, removal: removalSummary };
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else {
      console.log(`\n| path | req/s | p50 ms | p99 ms | req/s x nginx | p50 x nginx | p99 x nginx | added p99 vs direct (ms) | errors |`);
      console.log('|---|---|---|---|---|---|---|---|---|');
      for (const row of summary) console.log(`| ${row.path} | ${row.requestsPerSecond} | ${row.p50Ms} | ${row.p99Ms} | ${row.rpsVsNginx} | ${row.p50VsNginx} | ${row.p99VsNginx} | ${row.addedP99MsVsDirect} | ${row.errors} |`);
      console.log('\n| data plane | death to out of rotation (median ms) | runs (ms) | failed / requests during |');
      console.log('|---|---|---|---|');
      for (const row of removalSummary) console.log(`| ${row.dataPlane} | ${row.medianRemovalMs} | ${row.runsMs.join(', ')} | ${row.failedRequests} / ${row.requests} |`);
      console.log(`\nload average at the end: ${report.machine.loadAverage.join(' ')}`);
    }
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
