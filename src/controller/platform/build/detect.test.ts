// Platform detection and Procfile parsing, on real temp folders.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { WharfError, type ErrorCode } from '../../../model/errors.js';
import { tempDir } from '../../../../test/support/temp.js';
import { detectPlatform, parseProcfile, readProcfile } from './detect.js';

/** A source folder holding `files` (name → content). */
async function source(t: TestContext, files: Record<string, string>): Promise<string> {
  const dir = await tempDir(t, 'wharf-detect-');
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

function isError(code: ErrorCode, ...patterns: RegExp[]) {
  return (error: unknown) => {
    assert.ok(error instanceof WharfError, `expected a WharfError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    for (const pattern of patterns) assert.match(error.message, pattern);
    return true;
  };
}

describe('detectPlatform', () => {
  test('a Dockerfile makes docker, even beside a package.json and a Procfile', async (t) => {
    const dir = await source(t, { Dockerfile: 'FROM scratch\n', 'package.json': '{}', Procfile: 'not a procfile line\n' });
    assert.deepEqual(await detectPlatform(dir), { platform: 'docker' });
  });

  test('a package.json makes nodejs; its Procfile comes along', async (t) => {
    assert.deepEqual(await detectPlatform(await source(t, { 'package.json': '{}' })), { platform: 'nodejs' });
    const dir = await source(t, { 'package.json': '{}', 'requirements.txt': '', Procfile: 'web: node app.js\nworker: node jobs.js\n' });
    assert.deepEqual(await detectPlatform(dir), { platform: 'nodejs', procfile: { web: 'node app.js', worker: 'node jobs.js' } });
  });

  test('requirements.txt or application.py makes python', async (t) => {
    assert.deepEqual(await detectPlatform(await source(t, { 'requirements.txt': 'flask\n' })), { platform: 'python' });
    assert.deepEqual(await detectPlatform(await source(t, { 'application.py': 'print(1)\n' })), { platform: 'python' });
    const dir = await source(t, { 'requirements.txt': '', Procfile: 'web: gunicorn application:application' });
    assert.deepEqual(await detectPlatform(dir), { platform: 'python', procfile: { web: 'gunicorn application:application' } });
  });

  test('only files at the root count, and a folder named like a marker is not one', async (t) => {
    const dir = await source(t, { 'app/package.json': '{}', 'Dockerfile/readme': 'a folder' });
    await assert.rejects(detectPlatform(dir), isError('WHARF_E_PLATFORM_UNDETECTED', /Dockerfile, Procfile, package\.json, requirements\.txt, application\.py/, /zipped from inside that folder/));
  });

  test('a Procfile alone needs the platform named', async (t) => {
    const dir = await source(t, { Procfile: 'web: ./serve\n' });
    await assert.rejects(detectPlatform(dir), isError('WHARF_E_PLATFORM_UNDETECTED', /Procfile but nothing that tells Node\.js from Python/, /solution stack/));
    assert.deepEqual(await detectPlatform(dir, 'python'), { platform: 'python', procfile: { web: './serve' } });
    assert.deepEqual(await detectPlatform(dir, 'nodejs'), { platform: 'nodejs', procfile: { web: './serve' } });
  });

  test('a named platform must fit the bundle, and the error names both', async (t) => {
    const node = await source(t, { 'package.json': '{}' });
    await assert.rejects(detectPlatform(node, 'docker'), isError('WHARF_E_PLATFORM_UNDETECTED', /platform is docker/, /no Dockerfile/));
    await assert.rejects(detectPlatform(node, 'python'), isError('WHARF_E_PLATFORM_UNDETECTED', /platform is python/, /neither requirements\.txt or application\.py nor a Procfile/));
    const python = await source(t, { 'requirements.txt': '' });
    await assert.rejects(detectPlatform(python, 'nodejs'), isError('WHARF_E_PLATFORM_UNDETECTED', /platform is nodejs/, /neither package\.json nor a Procfile/));
  });

  test('a named platform wins over detection when the bundle fits both', async (t) => {
    const dir = await source(t, { Dockerfile: 'FROM scratch\n', 'package.json': '{}' });
    assert.deepEqual(await detectPlatform(dir, 'nodejs'), { platform: 'nodejs' });
    assert.deepEqual(await detectPlatform(dir, 'docker'), { platform: 'docker' });
  });

  test('a bad Procfile fails detection for nodejs and python', async (t) => {
    const dir = await source(t, { 'package.json': '{}', Procfile: 'worker: node jobs.js\n' });
    await assert.rejects(detectPlatform(dir), isError('WHARF_E_PROCFILE_INVALID', /no "web" process/, /"worker"/));
  });
});

describe('Procfile', () => {
  test('parses name: command lines, skipping blank lines and comments', () => {
    const procfile = parseProcfile('\uFEFF# processes\r\nweb:   node server.js --port $PORT  \r\n\r\nworker_1:python -m jobs\nclock-2: ./clock\n');
    assert.deepEqual(procfile, { web: 'node server.js --port $PORT', worker_1: 'python -m jobs', 'clock-2': './clock' });
    assert.ok(Object.isFrozen(procfile));
  });

  test('a command may hold colons; a name like __proto__ is just a name', () => {
    assert.deepEqual(parseProcfile('web: gunicorn application:application -b :$PORT\n__proto__: x'), { web: 'gunicorn application:application -b :$PORT', ['__proto__']: 'x' });
  });

  test('a line that does not match EB’s pattern is named in the error', () => {
    for (const [text, line] of [
      ['web: node a.js\nbad line here\n', /line 2 \("bad line here"\)/],
      ['web:\n', /line 1 \("web:"\)/],
      ['web node a.js', /line 1/],
      ['we b: node a.js', /line 1/],
      ['web.1: node a.js', /line 1/],
    ] as const) {
      assert.throws(() => parseProcfile(text), isError('WHARF_E_PROCFILE_INVALID', line, /is not `<name>: <command>`/));
    }
  });

  test('a process named twice, or no web process, is an error', () => {
    assert.throws(() => parseProcfile('web: a\nweb: b\n'), isError('WHARF_E_PROCFILE_INVALID', /line 2 \("web: b"\) names process "web" a second time/));
    assert.throws(() => parseProcfile('worker: a\n'), isError('WHARF_E_PROCFILE_INVALID', /no "web" process \(it names "worker"\)/));
    assert.throws(() => parseProcfile('# nothing\n\n'), isError('WHARF_E_PROCFILE_INVALID', /names no process at all/));
    // EB's pattern wants a letter-digit name; Web is not web.
    assert.throws(() => parseProcfile('Web: a\n'), isError('WHARF_E_PROCFILE_INVALID', /no "web" process/));
  });

  test('readProcfile: undefined without one', async (t) => {
    assert.equal(await readProcfile(await source(t, { 'package.json': '{}' })), undefined);
    assert.deepEqual(await readProcfile(await source(t, { Procfile: 'web: x' })), { web: 'x' });
  });
});
