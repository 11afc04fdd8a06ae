// Version builds with the real tools: npm (offline: every dependency is a local `file:` one),
// python3 with venv and pip (offline: the one requirement is a local wheel), and a Docker Engine.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, test, type TestContext } from 'node:test';
import { pino } from 'pino';
import { buildVersion, imageTagFor, type BuildInput, type Runnable } from '../../src/controller/platform/build/build.js';
import { WharfError } from '../../src/model/errors.js';
import type { PlatformName } from '../../src/model/platform.js';
import { BUSYBOX_IMAGE, NODE_IMAGE, NODE_IN_IMAGE, useDocker, type TestDocker } from '../support/docker.js';
import { suiteScope, tempDir } from '../support/temp.js';

const silent = pino({ level: 'silent' });

/** Writes `files` (relative name → content) under `dir`. */
async function writeTree(dir: string, files: Readonly<Record<string, string>>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
}

/** A source folder with `files`, and where its build goes (a folder that does not exist yet). */
async function version(t: TestContext, files: Readonly<Record<string, string>>): Promise<{ sourceDir: string; buildDir: string; root: string }> {
  const root = await tempDir(t, 'wharf-build-');
  const sourceDir = path.join(root, 'source');
  await mkdir(sourceDir);
  await writeTree(sourceDir, files);
  return { sourceDir, buildDir: path.join(root, 'versions', 'app', 'v1', 'build'), root };
}

async function build(t: TestContext, input: Partial<BuildInput> & { sourceDir: string; buildDir: string; platform: PlatformName }): Promise<Runnable> {
  const started = Date.now();
  try {
    return await buildVersion({ imageTag: 'unused:1', log: silent, ...input });
  } finally {
    t.diagnostic(`${input.platform} build took ${Date.now() - started} ms`);
  }
}

/** Runs a process runnable as the process driver would (its folder, its variables over PATH and HOME); its output. */
function run(runnable: Runnable, home: string): string {
  assert.equal(runnable.kind, 'process');
  if (runnable.kind !== 'process') throw new Error('not a process runnable');
  const [command = '', ...args] = runnable.command;
  const result = spawnSync(command, args, { cwd: runnable.workingDirectory, env: { PATH: process.env.PATH, HOME: home, ...runnable.environment }, encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 0, `${runnable.command.join(' ')} failed: ${result.stdout}${result.stderr}`);
  return result.stdout;
}

/** Asserts a WHARF_E_BUILD_FAILED whose message carries `patterns`, whose log is kept, and whose build folder is gone. */
function buildFailed(buildDir: string, ...patterns: RegExp[]) {
  return (error: unknown) => {
    assert.ok(error instanceof WharfError, `expected a WharfError, got ${String(error)}`);
    assert.equal(error.code, 'WHARF_E_BUILD_FAILED', error.message);
    assert.equal(error.status, 422);
    assert.equal(error.kind, 'user');
    for (const pattern of patterns) assert.match(error.message, pattern);
    const logPath = `${buildDir}.failed.log`;
    assert.equal(error.context.logPath, logPath);
    assert.ok(error.message.includes(logPath), 'the message names the log');
    assert.ok(existsSync(logPath), 'the log of the failed build is kept');
    assert.ok(!existsSync(buildDir), 'the build folder is removed');
    return true;
  };
}

const LOCAL_DEP = {
  'local-dep/package.json': JSON.stringify({ name: 'local-dep', version: '1.0.0', main: 'index.js' }),
  'local-dep/index.js': "module.exports = 'local-dep says hi';\n",
};
/** A devDependency whose install script fails: installing devDependencies fails the build. */
const FAILING_DEV_DEP = {
  'dev-dep/package.json': JSON.stringify({ name: 'dev-dep', version: '1.0.0', scripts: { install: 'echo dev-dep-was-installed; exit 3' } }),
};
const SERVER_JS = "console.log(require('local-dep'), process.env.NODE_ENV);\n";

describe('nodejs builds', () => {
  test('a file: dependency is installed with npm install, devDependencies are not; npm start runs server.js', async (t) => {
    const { sourceDir, buildDir, root } = await version(t, {
      'package.json': JSON.stringify({ name: 'app', version: '1.0.0', private: true, dependencies: { 'local-dep': 'file:./local-dep' }, devDependencies: { 'dev-dep': 'file:./dev-dep' } }),
      ...LOCAL_DEP,
      ...FAILING_DEV_DEP,
      'server.js': SERVER_JS,
    });
    const runnable = await build(t, { sourceDir, buildDir, platform: 'nodejs' });
    const appDir = path.join(buildDir, 'app');
    assert.deepEqual(runnable, { kind: 'process', workingDirectory: appDir, command: ['npm', 'start'], environment: { NODE_ENV: 'production' } });
    assert.ok(existsSync(path.join(appDir, 'node_modules', 'local-dep', 'index.js')), 'the dependency is installed');
    assert.ok(!existsSync(path.join(appDir, 'node_modules', 'dev-dep')), 'the devDependency is not');
    const log = readFileSync(path.join(buildDir, 'build.log'), 'utf8');
    assert.match(log, /^\$ npm install --omit=dev --no-audit --no-fund --prefer-offline/m);
    // npm lists the omitted package's script in a warning, but runs nothing of it.
    assert.doesNotMatch(log, /npm error/);
    assert.ok(!existsSync(path.join(sourceDir, 'node_modules')), 'the source is left untouched');
    assert.match(run(runnable, root), /local-dep says hi production/);
  });

  test('a Procfile web command is the command, and a lock file means npm ci', async (t) => {
    const { sourceDir, buildDir, root } = await version(t, {
      'package.json': JSON.stringify({ name: 'app', version: '1.0.0', private: true, scripts: { start: 'echo wrong-command' }, dependencies: { 'local-dep': 'file:./local-dep' } }),
      'package-lock.json': JSON.stringify({
        name: 'app',
        version: '1.0.0',
        lockfileVersion: 3,
        requires: true,
        packages: {
          '': { name: 'app', version: '1.0.0', dependencies: { 'local-dep': 'file:./local-dep' } },
          'local-dep': { version: '1.0.0' },
          'node_modules/local-dep': { resolved: 'local-dep', link: true },
        },
      }),
      ...LOCAL_DEP,
      'main.js': "console.log('main.js', process.argv.slice(2).join('|'), require('local-dep'));\n",
      Procfile: '# the web process\nweb: node main.js --flag "two words"\nworker: node jobs.js\n',
    });
    const runnable = await build(t, { sourceDir, buildDir, platform: 'nodejs' });
    assert.equal(runnable.kind, 'process');
    assert.deepEqual(runnable.kind === 'process' && runnable.command, ['/bin/sh', '-c', 'node main.js --flag "two words"']);
    assert.match(readFileSync(path.join(buildDir, 'build.log'), 'utf8'), /^\$ npm ci --omit=dev/m);
    assert.equal(run(runnable, root).trim(), 'main.js --flag|two words local-dep says hi');
  });

  test('node_modules in the bundle: nothing is installed', async (t) => {
    const { sourceDir, buildDir, root } = await version(t, {
      // npm cannot install this dependency (the tarball is garbage): any install would fail.
      'package.json': JSON.stringify({ name: 'app', version: '1.0.0', private: true, dependencies: { 'local-dep': 'file:./local-dep.tgz' } }),
      'local-dep.tgz': 'not a tarball',
      'node_modules/local-dep/package.json': JSON.stringify({ name: 'local-dep', version: '1.0.0' }),
      'node_modules/local-dep/index.js': "module.exports = 'shipped local-dep';\n",
      'server.js': SERVER_JS,
    });
    // The premise: npm would have failed on this package.json.
    const control = spawnSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', '--dry-run'], { cwd: sourceDir, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
    assert.notEqual(control.status, 0, `npm install should fail on the garbage tarball:\n${control.stdout}${control.stderr}`);

    const runnable = await build(t, { sourceDir, buildDir, platform: 'nodejs' });
    const log = readFileSync(path.join(buildDir, 'build.log'), 'utf8');
    assert.match(log, /node_modules is in the bundle: .*nothing is installed/);
    assert.doesNotMatch(log, /^\$ npm/m);
    assert.match(run(runnable, root), /shipped local-dep production/);
  });

  test('a broken package.json fails with WHARF_E_BUILD_FAILED and the end of npm’s log', async (t) => {
    const { sourceDir, buildDir } = await version(t, { 'package.json': '{ "name": "app", "version": ', 'server.js': SERVER_JS });
    await assert.rejects(build(t, { sourceDir, buildDir, platform: 'nodejs' }), buildFailed(buildDir, /The nodejs build failed: `npm install` exited with code 1/, /EJSONPARSE/));
    assert.match(readFileSync(`${buildDir}.failed.log`, 'utf8'), /# wharf: build failed after/);
  });

  test('without a start script or server.js the build fails before installing, naming the fix', async (t) => {
    const { sourceDir, buildDir } = await version(t, { 'package.json': JSON.stringify({ name: 'app', version: '1.0.0' }), 'index.js': '' });
    await assert.rejects(build(t, { sourceDir, buildDir, platform: 'nodejs' }), buildFailed(buildDir, /no "start" script and there is no server\.js/, /"scripts": \{ "start"/, /Procfile/));
    assert.doesNotMatch(readFileSync(`${buildDir}.failed.log`, 'utf8'), /^\$ npm/m);
  });

  test('a cancelled build stops its command, removes its folder and throws the reason', async (t) => {
    const { sourceDir, buildDir } = await version(t, {
      'package.json': JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { slow: 'file:./slow' } }),
      // npm keeps a script's output to itself unless it fails: the script leaves a file instead.
      'slow/package.json': JSON.stringify({ name: 'slow', version: '1.0.0', scripts: { install: 'echo $$ > started; exec sleep 60' } }),
      'server.js': '',
    });
    const controller = new AbortController();
    const started = Date.now();
    const building = build(t, { sourceDir, buildDir, platform: 'nodejs', signal: controller.signal });
    const reason = new Error('deploy cancelled');
    const marker = path.join(buildDir, 'app', 'slow', 'started');
    let sleeper: number;
    try {
      for (;;) {
        if (existsSync(marker) && readFileSync(marker, 'utf8').trim() !== '') break;
        assert.ok(Date.now() - started < 30_000, 'the slow install script did not start within 30 s');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      sleeper = Number(readFileSync(marker, 'utf8').trim());
    } finally {
      controller.abort(reason);
      await building.catch(() => undefined);
    }
    await assert.rejects(building, (error) => error === reason);
    assert.ok(Date.now() - started < 20_000, 'the cancelled install did not run on');
    assert.ok(!existsSync(buildDir), 'the build folder is removed');
    assert.throws(() => process.kill(sleeper, 0), { code: 'ESRCH' }, 'the install script is stopped');
  });

  test('the build folder must not exist yet', async (t) => {
    const { sourceDir, buildDir } = await version(t, { 'package.json': '{}', 'server.js': '' });
    await mkdir(buildDir, { recursive: true });
    await writeFile(path.join(buildDir, 'keep'), 'x');
    await assert.rejects(build(t, { sourceDir, buildDir, platform: 'nodejs' }), /already exists/);
    assert.ok(existsSync(path.join(buildDir, 'keep')), 'a folder that was there is left alone');
  });
});

/** Makes a pure-Python wheel of package `greet` at `file` (a local requirement: no index is reachable here). */
function writeWheel(file: string): void {
  const script = `
import sys, zipfile
files = {
  'greet/__init__.py': 'GREETING = "hello from the greet wheel"\\n',
  'greet-1.0.dist-info/METADATA': 'Metadata-Version: 2.1\\nName: greet\\nVersion: 1.0\\n',
  'greet-1.0.dist-info/WHEEL': 'Wheel-Version: 1.0\\nGenerator: wharf-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n',
}
files['greet-1.0.dist-info/RECORD'] = ''.join(name + ',,\\n' for name in list(files) + ['greet-1.0.dist-info/RECORD'])
with zipfile.ZipFile(sys.argv[1], 'w') as wheel:
  for name, content in files.items():
    wheel.writestr(name, content)
`;
  execFileSync('python3', ['-c', script, file]);
}

describe('python builds', () => {
  test('requirements.txt is installed into a virtualenv and application.py is the command', async (t) => {
    const { sourceDir, buildDir, root } = await version(t, {
      'requirements.txt': '# a local wheel: this machine reaches no package index\n./wheels/greet-1.0-py3-none-any.whl\n',
      'application.py': 'import os, greet\nprint(greet.GREETING, os.environ["VIRTUAL_ENV"])\n',
    });
    await mkdir(path.join(sourceDir, 'wheels'));
    writeWheel(path.join(sourceDir, 'wheels', 'greet-1.0-py3-none-any.whl'));
    const runnable = await build(t, { sourceDir, buildDir, platform: 'python' });
    const venv = path.join(buildDir, 'venv');
    assert.equal(runnable.kind, 'process');
    if (runnable.kind !== 'process') return;
    assert.equal(runnable.workingDirectory, path.join(buildDir, 'app'));
    assert.deepEqual(runnable.command, [path.join(venv, 'bin', 'python'), 'application.py']);
    assert.ok(runnable.environment.PATH?.startsWith(`${path.join(venv, 'bin')}:`), runnable.environment.PATH);
    assert.equal(runnable.environment.VIRTUAL_ENV, venv);
    assert.match(readFileSync(path.join(buildDir, 'build.log'), 'utf8'), /Successfully installed greet-1\.0/);
    assert.equal(run(runnable, root).trim(), `hello from the greet wheel ${venv}`);
  });

  test('nothing to install: a virtualenv without pip, and the Procfile web command runs in it', async (t) => {
    const { sourceDir, buildDir, root } = await version(t, {
      'requirements.txt': '# nothing yet\n\n   # really nothing\n',
      Procfile: 'web: python -c "import sys; print(sys.prefix)"\n',
    });
    const runnable = await build(t, { sourceDir, buildDir, platform: 'python' });
    const venv = path.join(buildDir, 'venv');
    assert.deepEqual(runnable.kind === 'process' && runnable.command, ['/bin/sh', '-c', 'python -c "import sys; print(sys.prefix)"']);
    assert.ok(existsSync(path.join(venv, 'bin', 'python')));
    assert.ok(!existsSync(path.join(venv, 'bin', 'pip')), 'no pip when nothing is installed');
    assert.match(readFileSync(path.join(buildDir, 'build.log'), 'utf8'), /requirements\.txt lists nothing/);
    assert.equal(run(runnable, root).trim(), venv, 'python on the runnable’s PATH is the virtualenv’s');
  });

  test('without python3 on the host the build fails saying so', async (t) => {
    const { sourceDir, buildDir } = await version(t, { 'application.py': 'print(1)\n' });
    const empty = await tempDir(t);
    await assert.rejects(build(t, { sourceDir, buildDir, platform: 'python', environment: { PATH: empty } }), buildFailed(buildDir, /`python3` is not installed on this host/, /apt-get install python3 python3-venv/));
  });

  test('without a Procfile or application.py the build fails naming both fixes', async (t) => {
    const { sourceDir, buildDir } = await version(t, { 'requirements.txt': '' });
    await assert.rejects(build(t, { sourceDir, buildDir, platform: 'python' }), buildFailed(buildDir, /no Procfile `web:` process and no application\.py/, /gunicorn/));
  });
});

describe('docker builds', () => {
  const scope = suiteScope();
  let engine: TestDocker;
  before(async () => {
    engine = await useDocker(scope);
  });

  /** A tag no other test file (on the shared engine) uses; the image is removed after the test. */
  function tagFor(t: TestContext): string {
    const tag = imageTagFor(`Build Test ${randomBytes(4).toString('hex')}`, 'v1');
    t.after(() => engine.docker.getImage(tag).remove({ force: true }).catch(() => undefined));
    return tag;
  }

  test('an image FROM the test node image: tagged, its EXPOSE is the container port, .dockerignore applies', async (t) => {
    const node = JSON.stringify(NODE_IN_IMAGE);
    const check = JSON.stringify("const fs = require('fs'); if (!fs.existsSync('/app/server.js') || fs.existsSync('/app/secret.txt')) process.exit(1)");
    const { sourceDir, buildDir } = await version(t, {
      Dockerfile: [`FROM ${NODE_IMAGE}`, 'WORKDIR /app', 'COPY . /app', `RUN [${node}, "-e", ${check}]`, 'EXPOSE 3000', '# the first EXPOSE decides, not the lowest port', 'EXPOSE 2000', `CMD [${node}, "/app/server.js"]`, ''].join('\n'),
      '.dockerignore': 'secret.txt\n',
      'secret.txt': 'not for the image',
      'server.js': "require('http').createServer((_, res) => res.end('ok')).listen(3000);\n",
      'lib/deep/file.txt': 'nested',
    });
    const tag = tagFor(t);
    const runnable = await build(t, { sourceDir, buildDir, platform: 'docker', imageTag: tag, docker: engine.docker });
    assert.deepEqual(runnable, { kind: 'image', image: tag, containerPort: 3000 });
    const image = await engine.docker.getImage(tag).inspect();
    assert.ok(image.RepoTags.includes(tag), `the image is tagged ${tag}: ${image.RepoTags.join(', ')}`);
    assert.deepEqual(Object.keys(image.Config.ExposedPorts ?? {}).sort(), ['2000/tcp', '3000/tcp']);
    assert.deepEqual(image.Config.Cmd, [NODE_IN_IMAGE, '/app/server.js']);
    assert.deepEqual(readdirSync(buildDir), ['build.log']);
    assert.match(readFileSync(path.join(buildDir, 'build.log'), 'utf8'), /Successfully tagged/);
  });

  test('EXPOSE of a build argument: the port the image exposes', async (t) => {
    const { sourceDir, buildDir } = await version(t, { Dockerfile: `FROM ${BUSYBOX_IMAGE}\nARG PORT=4000\nEXPOSE $PORT\nCMD ["httpd", "-f"]\n` });
    const runnable = await build(t, { sourceDir, buildDir, platform: 'docker', imageTag: tagFor(t), docker: engine.docker });
    assert.equal(runnable.kind === 'image' && runnable.containerPort, 4000);
  });

  test('a failing step fails with WHARF_E_BUILD_FAILED, its output in the message, and no image', async (t) => {
    const { sourceDir, buildDir } = await version(t, { Dockerfile: `FROM ${BUSYBOX_IMAGE}\nRUN echo output-before-the-failure && exit 7\n` });
    const tag = tagFor(t);
    await assert.rejects(
      build(t, { sourceDir, buildDir, platform: 'docker', imageTag: tag, docker: engine.docker }),
      buildFailed(buildDir, /The docker build failed: .*returned a non-zero code: 7/, /output-before-the-failure/),
    );
    await assert.rejects(engine.docker.getImage(tag).inspect(), /no such image/i);
  });

  test('a Dockerfile the engine cannot parse fails with WHARF_E_BUILD_FAILED', async (t) => {
    const { sourceDir, buildDir } = await version(t, { Dockerfile: `FROM ${BUSYBOX_IMAGE}\nNOTANINSTRUCTION x\n` });
    await assert.rejects(build(t, { sourceDir, buildDir, platform: 'docker', imageTag: tagFor(t), docker: engine.docker }), buildFailed(buildDir, /unknown instruction: NOTANINSTRUCTION/i));
  });

  test('platform docker without a Dockerfile is refused before anything is built', async (t) => {
    const { sourceDir, buildDir } = await version(t, { 'package.json': '{}' });
    await assert.rejects(build(t, { sourceDir, buildDir, platform: 'docker', imageTag: tagFor(t), docker: engine.docker }), (error: unknown) => {
      assert.ok(error instanceof WharfError && error.code === 'WHARF_E_PLATFORM_UNDETECTED', String(error));
      assert.match(error.message, /platform is docker, but the bundle has no Dockerfile/);
      return true;
    });
    assert.ok(!existsSync(buildDir));
    assert.ok(lstatSync(path.dirname(buildDir)).isDirectory());
  });
});
