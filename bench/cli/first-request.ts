/**
 * The CLI's time to a first request: from spawning the process to the arrival of its first HTTP
 * request at a loopback server (which answers an empty ListClusters), for `wharf ecs
 * list-clusters` and the AWS CLI v2's `aws ecs list-clusters` in the same run, interleaved so
 * both see the same machine load; plus `node -e fetch(…)`, the floor any Node program pays.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/cli/first-request.js [--runs 21] [--before <wharf.js>] [--json]
 *
 * `--before` adds another build's `wharf` (e.g. a checkout without the fast path) to the same run.
 *
 * Both CLIs get dummy keys in the environment and a HOME of their own (no user config read).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { WHARF_BIN } from '../../test/support/paths.js';

const AWS_CLI = '/usr/bin/aws';

interface Contender {
  readonly name: string;
  readonly command: string;
  readonly args: (url: string) => string[];
}

const BASE_CONTENDERS: readonly Contender[] = [
  { name: 'wharf ecs list-clusters', command: process.execPath, args: (url) => [WHARF_BIN, 'ecs', 'list-clusters', '--endpoint', url] },
  { name: 'aws ecs list-clusters', command: AWS_CLI, args: (url) => ['ecs', 'list-clusters', '--endpoint-url', url] },
  { name: 'node -e fetch (floor)', command: process.execPath, args: (url) => ['-e', `fetch(${JSON.stringify(url)}).then((r) => r.text())`] },
];

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '21' }, before: { type: 'string' }, json: { type: 'boolean', default: false } } });
  const runs = Number(values.runs);
  const before = values.before;
  const CONTENDERS: readonly Contender[] = [
    ...BASE_CONTENDERS,
    ...(before ? [{ name: 'wharf (--before build)', command: process.execPath, args: (url: string) => [before, 'ecs', 'list-clusters', '--endpoint', url] }] : []),
  ];
  let arrived: number | undefined;
  const server = http.createServer((request, response) => {
    arrived ??= performance.now();
    request.resume();
    response.setHeader('content-type', 'application/x-amz-json-1.1');
    response.end('{"clusterArns":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const home = mkdtempSync(path.join(tmpdir(), 'wharf-bench-cli-'));
  const env = { PATH: process.env.PATH ?? '', HOME: home, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'bench-secret', AWS_REGION: 'us-east-1', AWS_CONFIG_FILE: path.join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'credentials') };
  const times = new Map<string, number[]>(CONTENDERS.map((c) => [c.name, []]));
  try {
    // One unmeasured run each (disk cache), then `runs` rounds, the contenders interleaved.
    for (let round = -1; round < runs; round += 1) {
      for (const contender of CONTENDERS) {
        arrived = undefined;
        const started = performance.now();
        const child = spawn(contender.command, contender.args(url), { env, stdio: 'ignore' });
        const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
        if (arrived === undefined) throw new Error(`${contender.name} sent no request (exit ${code})`);
        if (round >= 0) times.get(contender.name)!.push(arrived - started);
      }
    }
  } finally {
    server.close();
    rmSync(home, { recursive: true, force: true });
  }
  const medians = Object.fromEntries(CONTENDERS.map((c) => [c.name, median(times.get(c.name)!)]));
  const wharf = medians['wharf ecs list-clusters']!;
  const aws = medians['aws ecs list-clusters']!;
  if (values.json) {
    console.log(JSON.stringify({ runs, medians, ratio: wharf / aws, times: Object.fromEntries(times) }));
    return;
  }
  console.log(`time from spawn to the first request's arrival, median of ${runs} runs each (interleaved):`);
  for (const contender of CONTENDERS) {
    const all = times.get(contender.name)!;
    console.log(`  ${contender.name.padEnd(26)} ${medians[contender.name]!.toFixed(0).padStart(5)} ms  (min ${Math.min(...all).toFixed(0)}, max ${Math.max(...all).toFixed(0)})`);
  }
  console.log(`  wharf / aws: ${(wharf / aws).toFixed(2)}`);
}

await main();
