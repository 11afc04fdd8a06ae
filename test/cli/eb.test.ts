// `wharf eb` end to end: the real CLI in a project folder against a controller with an agent, a
// tiny Node app launched, configured and terminated as with the EB CLI. (Usage errors: eb-usage.test.ts.)
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { assertOk, assertUserError, COMMAND_MS, runWharf, WAITING_COMMAND_MS } from '../support/cli.js';
import type { TestCluster } from '../support/cluster.js';
import { startTestCluster } from '../support/cluster.js';
import { suiteScope, tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';

/** A Node app with no dependencies, started by `npm start`, answering its GREETING. */
async function writeApp(dir: string): Promise<void> {
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'hello', version: '1.0.0', private: true, scripts: { start: 'node server.js' } }, null, 2));
  await writeFile(
    path.join(dir, 'server.js'),
    `require('http').createServer((req, res) => res.end(String(process.env.GREETING ?? ''))).listen(Number(process.env.PORT), '127.0.0.1');\n`,
  );
}

async function body(url: string): Promise<string> {
  return fetch(url).then(
    (r) => r.text(),
    () => '',
  );
}

describe('wharf eb', () => {
  const scope = suiteScope();
  let cluster: TestCluster;
  let env: Record<string, string>;
  before(async () => {
    cluster = await startTestCluster(scope, { serviceSettleMs: 500 });
    await cluster.startAgent({ hostId: 'eb-host' });
    env = { WHARF_ENDPOINT: cluster.controller.url };
  });

  test('init, create --single --envvars, open, setenv, printenv, status --json, terminate', async (t) => {
    const dir = await tempDir(t, 'wharf-eb-app-');
    await writeApp(dir);
    const eb = (args: string[], timeoutMs = COMMAND_MS) => runWharf(['eb', ...args], { cwd: dir, env, timeoutMs });

    const init = await eb(['init', 'hello-app', '-p', 'nodejs']);
    assertOk(init, 'init');
    assert.match(init.stdout, /^Application hello-app has been created\.$/m);
    const configFile = path.join(dir, '.elasticbeanstalk', 'config.yml');
    assert.match(await readFile(configFile, 'utf8'), /global:\n {2}application_name: hello-app\n {2}default_platform: nodejs\n/);

    const created = await eb(['create', 'hello-dev', '--single', '--envvars', 'GREETING=hi'], WAITING_COMMAND_MS);
    assertOk(created, 'create');
    assert.match(created.stdout, /^Uploading: 2 file\(s\), \d+ byte\(s\)\.$/m);
    assert.match(created.stdout, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {4}INFO {4}createEnvironment is starting\.$/m);
    assert.match(created.stdout, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {4}INFO {4}createEnvironment completed successfully\.$/m);
    assert.match(created.stdout, /^Environment hello-dev is Ready .* on version app-\d{6}_\d{6}: http:\/\/127\.0\.0\.1:\d+\/$/m);
    assert.match(await readFile(configFile, 'utf8'), /branch-defaults:\n {2}default:\n {4}environment: hello-dev\n/, 'the new environment is the default');

    // Commands that only read run side by side (each is a process of its own, slow to start).
    const [open, status, events, list, health, logs, unconfirmed] = await Promise.all([
      eb(['open']),
      eb(['status', '--json']),
      eb(['events']),
      eb(['list']),
      eb(['health']),
      eb(['logs']),
      eb(['terminate']),
    ]);
    assertOk(open, 'open');
    const url = open.stdout.trim();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    await waitFor('the app to answer hi', async () => (await body(url)) === 'hi', { timeoutMs: 15_000 });
    assertOk(status, 'status --json');
    const view = JSON.parse(status.stdout);
    assert.equal(view.EnvironmentName, 'hello-dev');
    assert.equal(view.Status, 'Ready');
    assert.equal(view.URL, url);
    assert.match(view.VersionLabel, /^app-\d{6}_\d{6}$/);
    assertOk(events, 'events');
    const lines = events.stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /createEnvironment is starting\./, 'oldest first');
    assert.ok(lines.every((line) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {4}[A-Z]+ {4}/.test(line)), events.stdout);
    assert.match(list.stdout, /^\* hello-dev$/m);
    assertOk(health, 'health');
    assert.match(health.stdout, /^hello-dev {2}\w+ {2}\w+ {2}Ready/);
    assert.match(health.stdout, /^INSTANCE +STATUS +VERSION/m);
    assertOk(logs, 'logs');
    assert.match(logs.stdout, /^============= [\w-]+ ==============\n(?:.*\n)*> node server\.js$/m, "the instance's output: npm start's banner");
    assertUserError(unconfirmed, /Nothing was terminated: no confirmation could be read.*--force/, { allowStdout: true });

    const setenv = await eb(['setenv', 'GREETING=bye', 'UNUSED='], WAITING_COMMAND_MS);
    assertOk(setenv, 'setenv');
    assert.match(setenv.stdout, /INFO {4}Environment update is starting\./);
    assert.match(setenv.stdout, /^Environment hello-dev is Ready /m);
    await waitFor('the app to answer bye', async () => (await body(url)) === 'bye', { timeoutMs: 15_000 });
    const printenv = await eb(['printenv']);
    assertOk(printenv, 'printenv');
    assert.match(printenv.stdout, /^ Environment Variables:\n(?:.*\n)* {5}GREETING = bye$/m);

    const terminated = await eb(['terminate', '--force'], WAITING_COMMAND_MS);
    assertOk(terminated, 'terminate --force');
    assert.match(terminated.stdout, /INFO {4}terminateEnvironment completed successfully\./);
    assert.match(terminated.stdout, /^Environment hello-dev is terminated\.$/m);
    await waitFor('the app to stop answering', async () => (await body(url)) === '', { timeoutMs: 15_000 });
    assert.doesNotMatch(await readFile(configFile, 'utf8'), /environment: hello-dev/, 'no longer the default');
  });
});
