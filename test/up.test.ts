// `wharf up` and `wharf server` as a newcomer runs them: real child processes, real signals.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, lstat, mkdir, readdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { describe, test } from 'node:test';
import { runWharf, spawnWharf } from './support/cli.js';
import { REPO_ROOT } from './support/paths.js';
import { tempDir } from './support/temp.js';
import { DEFAULT_TASK_USER, lookupUser } from '../src/users.js';
import { waitFor } from './support/wait.js';

describe('wharf up', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    test(`starts on the embedded defaults, prints its URL, serves, and stops cleanly on ${signal}`, async (t) => {
      const dataDir = await tempDir(t);
      const up = spawnWharf(t, ['up', '--data-dir', dataDir, '--api-port', '0', '--router-port', '0']);
      const [, url] = await up.waitForOutput(/API {4}(http:\/\/127\.0\.0\.1:\d+)/);
      assert.match(up.stdout(), /Wharf \d+\.\d+\.\d+ is up\./);
      const [, routerUrl] = up.stdout().match(/Router (http:\/\/127\.0\.0\.1:\d+) \((haproxy|node) data plane/) ?? [];
      assert.ok(routerUrl, `the router's address is printed: ${up.stdout()}`);
      // An empty routing table: the router answers, with no route for any host yet.
      assert.equal((await fetch(`${routerUrl}/`)).status, 404);
      assert.match(up.stdout(), new RegExp(`Data {3}${path.join(dataDir, 'wharf.db')} \\(sqlite, schema \\d+\\)`));

      const health = (await (await fetch(`${url}/healthz`)).json()) as { role: string };
      assert.equal(health.role, 'leader');
      // The CLI finds the controller of this data folder without --endpoint.
      const listed = await runWharf(['ecs', 'list-clusters'], { env: { WHARF_DATA_DIR: dataDir } });
      assert.equal(listed.code, 0, listed.stderr);
      assert.match(listed.stdout, /cluster\/default/);

      up.child.kill(signal);
      const exit = await up.exited;
      assert.deepEqual(exit, { code: 0, signal: null }, up.stderr());
      assert.equal(existsSync(path.join(dataDir, 'controller.json')), false, 'the controller file is removed');
      await assert.rejects(fetch(`${url}/healthz`), 'nothing listens after the stop');

      // Its state survives: a second start sees the same store, with nothing to migrate.
      const again = spawnWharf(t, ['up', '--data-dir', dataDir, '--api-port', '0', '--router-port', '0']);
      await again.waitForOutput(/is up/);
      again.child.kill('SIGTERM');
      assert.deepEqual(await again.exited, { code: 0, signal: null }, `the restarted wharf up stops cleanly; its stderr: ${again.stderr().slice(-3000)}`);
    });
  }

  test("the README's example runs a task on the local agent, and Ctrl-C stops the task too", async (t) => {
    const dataDir = await tempDir(t);
    const up = spawnWharf(t, ['up', '--data-dir', dataDir, '--api-port', '0', '--router-port', '0'], { cwd: REPO_ROOT });
    await up.waitForOutput(/is up/);
    assert.match(up.stdout(), /Agent {2}\S+ \(process driver\), container instance [0-9a-f]{32}/);
    const cli = (...args: string[]) => runWharf(args, { env: { WHARF_DATA_DIR: dataDir }, cwd: REPO_ROOT });

    const instances = await cli('ecs', 'list-container-instances');
    assert.match(instances.stdout, /container-instance\/default\/[0-9a-f]{32}/);
    const registered = await cli('ecs', 'register-task-definition', '--cli-input-json', 'file://examples/hello/task-definition.json');
    assert.equal(registered.code, 0, registered.stderr);
    const run = await cli('--json', 'ecs', 'run-task', '--task-definition', 'hello');
    assert.equal(run.code, 0, run.stderr);
    const taskId = JSON.parse(run.stdout).tasks[0].taskArn.split('/').pop() as string;
    const task = await waitFor('the hello task to serve', async () => {
      const described = JSON.parse((await cli('--json', 'ecs', 'describe-tasks', '--tasks', taskId)).stdout).tasks[0];
      const port = described.containers[0].networkBindings[0]?.hostPort;
      if (described.lastStatus !== 'RUNNING' || !port) return undefined;
      const body = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text(), () => undefined);
      return body ? { port, body } : undefined;
    });
    assert.equal(task.body, `Hello from Wharf task ${taskId}\n`);

    up.child.kill('SIGINT');
    assert.equal((await up.exited).code, 0, up.stderr());
    await assert.rejects(fetch(`http://127.0.0.1:${task.port}/`), 'the task stopped with wharf up');
  });

  test('keeps its data folder private: nothing it writes there is group/other readable, yet tasks get the usual umask', async (t) => {
    const dataDir = path.join(await tempDir(t), 'data');
    // A data folder an older Wharf made 0755 is tightened at start.
    await mkdir(dataDir, { mode: 0o755 });
    await chmod(dataDir, 0o755);
    const up = spawnWharf(t, ['up', '--data-dir', dataDir, '--api-port', '0', '--router-port', '0']);
    await up.waitForOutput(/is up/);
    const cli = (...args: string[]) => runWharf(args, { env: { WHARF_DATA_DIR: dataDir } });
    const definition = path.join(path.dirname(dataDir), 'secret-task.json');
    const app = "require('fs').writeFileSync('app-output.txt', process.env.DB_PASSWORD); setInterval(() => {}, 1000); process.on('SIGTERM', () => process.exit(0))";
    await writeFile(definition, JSON.stringify({
      family: 'secret',
      containerDefinitions: [{ name: 'app', image: 'wharf/process', memory: 64, command: ['node', '-e', app], environment: [{ name: 'DB_PASSWORD', value: 'hunter2-in-clear' }] }],
    }));
    const registered = await cli('ecs', 'register-task-definition', '--cli-input-json', `file://${definition}`);
    assert.equal(registered.code, 0, registered.stderr);
    const run = await cli('--json', 'ecs', 'run-task', '--task-definition', 'secret');
    assert.equal(run.code, 0, run.stderr);

    const walk = async (dir: string): Promise<{ file: string; mode: number; kind: string }[]> => {
      const found: { file: string; mode: number; kind: string }[] = [];
      for (const name of await readdir(dir)) {
        const file = path.join(dir, name);
        const info = await lstat(file);
        const kind = info.isDirectory() ? 'folder' : info.isSymbolicLink() ? 'link' : info.isFIFO() ? 'fifo' : info.isSocket() ? 'socket' : 'file';
        found.push({ file, mode: info.mode & 0o777, kind });
        if (info.isDirectory()) found.push(...(await walk(file)));
      }
      return found;
    };
    const appOutput = await waitFor('the task to write its file', async () => (await walk(dataDir)).find((e) => e.file.endsWith(`${path.sep}work${path.sep}app-output.txt`)));
    const entries = await walk(dataDir);
    const names = entries.map((e) => path.relative(dataDir, e.file));
    for (const expected of ['wharf.db', 'wharf.db-wal', 'wharf.db-shm', 'controller.json']) assert.ok(names.includes(expected), `${expected} is there: ${names.join(', ')}`);
    assert.ok(names.some((n) => n.endsWith('state.json')), `the process driver's state.json is there: ${names.join(', ')}`);

    const appFolder = path.dirname(appOutput.file);
    // Run as root, the task runs as the unprivileged task user: the folders down to its own are
    // searchable by others (x), never listable or readable.
    const asRoot = process.getuid?.() === 0;
    const onTheWay = new Set<string>();
    for (let folder = path.dirname(appFolder); folder.startsWith(dataDir); folder = path.dirname(folder)) onTheWay.add(folder);
    const open = entries
      .filter((e) => e.file !== appFolder && !e.file.startsWith(appFolder + path.sep) && e.kind !== 'link')
      .filter((e) => (e.mode & 0o077) !== 0 && !(asRoot && onTheWay.has(e.file) && e.mode === 0o711))
      .map((e) => `${path.relative(dataDir, e.file)} (${e.kind} ${e.mode.toString(8)})`);
    assert.deepEqual(open, [], 'every folder Wharf made is 0700 (0711 on the way to a task\'s folder) and every file it wrote 0600');
    // Tightened: no one else may list or write it; the search permission (x) it had is kept, as the
    // task user passes through it.
    assert.equal((await lstat(dataDir)).mode & 0o777, 0o711, 'the data folder is tightened to search only');
    if (asRoot) {
      const taskUser = lookupUser(DEFAULT_TASK_USER);
      assert.ok(!('error' in taskUser), JSON.stringify(taskUser));
      assert.equal((await lstat(appOutput.file)).uid, taskUser.uid, 'the task ran as the task user, not root');
    }
    // The task's own file follows the umask wharf was started with (the test's), not Wharf's 077.
    const umask = process.umask(0o022);
    process.umask(umask);
    assert.equal(appOutput.mode, 0o666 & ~umask, `the app's file has the usual mode (umask ${umask.toString(8)})`);

    up.child.kill('SIGINT');
    assert.equal((await up.exited).code, 0, up.stderr());
  });

  test('a data folder that cannot be written is a clear user error, exit 1', async (t) => {
    const dir = await tempDir(t);
    const file = path.join(dir, 'a-file');
    await writeFile(file, 'not a folder');
    const res = await runWharf(['up', '--data-dir', path.join(file, 'data'), '--api-port', '0', '--router-port', '0']);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /^wharf: Wharf cannot write to its data folder .*a-file\/data/);
    assert.match(res.stderr, /--data-dir/);
    assert.doesNotMatch(res.stderr, /\n\s+at /, 'no stack');
  });

  test('a second controller on the same data folder is refused while the first runs', async (t) => {
    const dataDir = await tempDir(t);
    const first = spawnWharf(t, ['up', '--data-dir', dataDir, '--api-port', '0', '--router-port', '0']);
    await first.waitForOutput(/is up/);
    const second = await runWharf(['up', '--data-dir', dataDir, '--api-port', '0', '--router-port', '0']);
    assert.equal(second.code, 1);
    assert.match(second.stderr, new RegExp(`Another Wharf controller \\(pid ${first.child.pid}\\) is using the data folder`));
    first.child.kill('SIGTERM');
    assert.equal((await first.exited).code, 0);
  });

  test('a port already taken is a clear error', async (t) => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const { port } = blocker.address() as net.AddressInfo;
    const res = await runWharf(['up', '--data-dir', await tempDir(t), '--api-port', String(port), '--router-port', '0']);
    assert.equal(res.code, 1);
    assert.match(res.stderr, new RegExp(`port ${port}.*in use`, 'i'));
  });

  test('an invalid setting names its flag and variable', async (t) => {
    const res = await runWharf(['up', '--data-dir', await tempDir(t), '--api-port', 'eighty']);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /apiPort.*--api-port or WHARF_API_PORT/);
  });
});
