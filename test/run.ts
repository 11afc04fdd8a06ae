/**
 * The suite runner: `node dist/test/run.js [filters…]`. Starts the services the tests need (a
 * private PostgreSQL and a private Docker Engine; HAProxy later, each in its own small function), runs every
 * compiled `*.test.js` under dist/src and dist/test (only the files whose path contains one of the
 * filters, when given) with Node's test runner, stops the services and exits with the runner's
 * code. The runner's summary (`# pass N`, `# fail N`) is the last thing printed.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDockerService } from './support/docker.js';
import { startPostgres, TEST_DATABASE_SOCKET_DIR_ENV, TEST_DATABASE_URL_ENV } from './support/postgres.js';

/** Test files run two at a time (the machines have two cores). */
const TEST_CONCURRENCY = 2;
/** No single test may take longer than this. */
const TEST_TIMEOUT_MS = 120_000;
/** The folders under dist that hold compiled tests. */
const TEST_ROOTS = ['src', 'test'];

/** A started service: what to add to the tests' environment, and how to stop it. */
interface Service {
  readonly name: string;
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

async function startPostgresService(): Promise<Service> {
  const server = await startPostgres();
  return {
    name: 'postgresql',
    env: { [TEST_DATABASE_URL_ENV]: server.url, [TEST_DATABASE_SOCKET_DIR_ENV]: server.socketDir },
    stop: () => server.stop(),
  };
}

/** Every `*.test.js` under the dist roots, sorted, keeping those matching a filter (all when none). */
function findTestFiles(distDir: string, filters: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && entry.name.endsWith('.test.js')) found.push(path);
    }
  };
  for (const root of TEST_ROOTS) {
    const dir = join(distDir, root);
    if (existsSync(dir)) walk(dir);
  }
  const selected = filters.length === 0 ? found : found.filter((file) => filters.some((filter) => relative(distDir, file).includes(filter)));
  return selected.sort();
}

function runNodeTests(files: readonly string[], env: NodeJS.ProcessEnv): { exit: Promise<number>; kill(signal: NodeJS.Signals): void } {
  const child = spawn(
    process.execPath,
    ['--enable-source-maps', '--test', `--test-concurrency=${TEST_CONCURRENCY}`, `--test-timeout=${TEST_TIMEOUT_MS}`, ...files],
    { stdio: 'inherit', env },
  );
  const exit = new Promise<number>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.once('error', (error) => {
      console.error(`could not start the test runner: ${error.message}`);
      resolve(1);
    });
  });
  return { exit, kill: (signal) => child.kill(signal) };
}

async function main(): Promise<number> {
  const distDir = dirname(dirname(fileURLToPath(import.meta.url)));
  const filters = process.argv.slice(2);
  const files = findTestFiles(distDir, filters);
  if (files.length === 0) {
    console.error(`No test files under ${distDir}/{${TEST_ROOTS.join(',')}} match ${filters.length > 0 ? filters.join(', ') : '*.test.js'}. Build first (npx tsc -p tsconfig.json).`);
    return 1;
  }

  const services: Service[] = [];
  const stopServices = async () => {
    const running = services.splice(0).reverse();
    for (const service of running) {
      await service.stop().catch((error: unknown) => console.error(`stopping ${service.name} failed:`, error));
    }
  };
  let tests: ReturnType<typeof runNodeTests> | undefined;
  let interrupted: NodeJS.Signals | undefined;
  // Interrupted while services start: they finish starting, then stop, and the runner exits 1.
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = signal;
    tests?.kill(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    // Started side by side; whichever started is stopped even if the other failed.
    const started = await Promise.allSettled([startPostgresService(), startDockerService()]);
    for (const result of started) if (result.status === 'fulfilled') services.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    if (interrupted) return 1;
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const service of services) Object.assign(env, service.env);
    tests = runNodeTests(files, env);
    return await tests.exit;
  } finally {
    await stopServices();
  }
}

process.exitCode = await main();
