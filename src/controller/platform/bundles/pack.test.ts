// packFolder: what the EB CLI would zip (ignore files, fixed exclusions), modes and links kept,
// the same folder giving the same bytes; and the round trip through extractBundle.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { appendFile, chmod, lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { promisify } from 'node:util';
import { WharfError } from '../../../model/errors.js';
import { extractBundle } from './extract.js';
import { packFolder } from '../../../bundle/pack.js';

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wharf-pack-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes files (`content` string) and links (`{ link }`) below `root`, making folders as needed. */
async function layout(root: string, files: Readonly<Record<string, string | { link: string } | { mode: number; content: string }>>): Promise<void> {
  for (const [rel, spec] of Object.entries(files)) {
    const file = path.join(root, rel);
    await mkdir(path.dirname(file), { recursive: true });
    if (typeof spec === 'string') await writeFile(file, spec);
    else if ('link' in spec) await symlink(spec.link, file);
    else {
      await writeFile(file, spec.content);
      await chmod(file, spec.mode);
    }
  }
}

async function listTree(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await readdir(path.join(dir, prefix))).sort()) {
    const rel = prefix ? `${prefix}/${name}` : name;
    const info = await lstat(path.join(dir, rel));
    if (info.isDirectory()) out.push(`${rel}/`, ...(await listTree(dir, rel)));
    else out.push(rel);
  }
  return out;
}

/** A project like one `eb deploy` sees. */
async function project(t: TestContext): Promise<{ work: string; dir: string }> {
  const work = await tempDir(t);
  const dir = path.join(work, 'app');
  await layout(dir, {
    'package.json': '{"name":"app"}',
    'server.js': 'require("http")',
    'bin/start': { mode: 0o755, content: '#!/bin/sh\nnode server.js\n' },
    'lib/util.js': 'module.exports = {}',
    'current': { link: 'lib' },
    'node_modules/dep/index.js': 'dep',
    'debug.log': 'noise',
    '.gitignore': 'node_modules/\n*.log\n',
    'sub/.gitignore': 'secret.txt\n',
    'sub/secret.txt': 'secret',
    'sub/keep.txt': 'keep',
    '.git/HEAD': 'ref: refs/heads/main\n',
    '.elasticbeanstalk/config.yml': 'branch-defaults: {}\n',
    '.wharf/state.json': '{}',
  });
  return { work, dir };
}

test('a folder packs as the EB CLI would: .gitignore files honoured, .git, .elasticbeanstalk and .wharf left out', async (t) => {
  const { work, dir } = await project(t);
  const zip = path.join(work, 'bundle.zip');
  const packed = await packFolder(dir, zip);
  const dest = path.join(work, 'out');
  const unpacked = await extractBundle(zip, dest);
  assert.deepEqual(await listTree(dest), [
    '.gitignore',
    'bin/',
    'bin/start',
    'current',
    'lib/',
    'lib/util.js',
    'package.json',
    'server.js',
    'sub/',
    'sub/.gitignore',
    'sub/keep.txt',
  ]);
  assert.deepEqual({ files: unpacked.files, bytes: unpacked.bytes }, packed, 'extractBundle counts what packFolder packed');
  assert.equal(unpacked.format, 'zip');
  assert.equal((await stat(path.join(dest, 'bin/start'))).mode & 0o777, 0o755, 'the executable bit survives');
  assert.equal((await stat(path.join(dest, 'server.js'))).mode & 0o777, 0o644);
  assert.equal(await readlink(path.join(dest, 'current')), 'lib', 'links are stored as links');
  assert.equal(await readFile(path.join(dest, 'bin/start'), 'utf8'), '#!/bin/sh\nnode server.js\n');
});

test('.ebignore, when present, replaces the .gitignore files', async (t) => {
  const { work, dir } = await project(t);
  await writeFile(path.join(dir, '.ebignore'), '*.log\nlib/\n');
  const zip = path.join(work, 'bundle.zip');
  await packFolder(dir, zip);
  const dest = path.join(work, 'out');
  await extractBundle(zip, dest);
  const tree = await listTree(dest);
  assert.ok(tree.includes('node_modules/dep/index.js'), 'node_modules is only in .gitignore');
  assert.ok(tree.includes('sub/secret.txt'), 'sub/.gitignore is not read');
  assert.ok(!tree.includes('lib/util.js'), '.ebignore leaves lib out');
  assert.ok(!tree.includes('debug.log'));
  assert.ok(!tree.some((rel) => rel.startsWith('.git/') || rel.startsWith('.elasticbeanstalk/') || rel.startsWith('.wharf/')));
});

test('the same folder gives the same bytes, whatever the files\' times', async (t) => {
  const { work, dir } = await project(t);
  const first = path.join(work, 'one.zip');
  const second = path.join(work, 'two.zip');
  await packFolder(dir, first);
  const past = new Date('2001-02-03T04:05:06Z');
  await utimes(path.join(dir, 'server.js'), past, past);
  await utimes(path.join(dir, 'lib'), past, past);
  await packFolder(dir, second);
  const sha = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');
  assert.equal(await sha(first), await sha(second));
  await writeFile(path.join(dir, 'server.js'), 'changed');
  await packFolder(dir, second);
  assert.notEqual(await sha(first), await sha(second), 'a change in content changes the hash');
});

test('the zip is not packed into itself when written inside the folder', async (t) => {
  const { dir } = await project(t);
  const zip = path.join(dir, 'bundle.zip');
  const first = await packFolder(dir, zip);
  // The second time the zip is there while the folder is read.
  assert.deepEqual(await packFolder(dir, zip), first);
  const dest = path.join(path.dirname(dir), 'out');
  await extractBundle(zip, dest);
  assert.ok(!(await listTree(dest)).includes('bundle.zip'));
});

test('a link pointing outside the folder is refused and no zip is left', async (t) => {
  const { work, dir } = await project(t);
  await symlink('/etc/passwd', path.join(dir, 'passwd'));
  const zip = path.join(work, 'bundle.zip');
  await assert.rejects(packFolder(dir, zip), (error: unknown) => {
    assert.ok(error instanceof WharfError);
    assert.equal(error.code, 'WHARF_E_BUNDLE_INVALID');
    assert.match(error.message, /the link "passwd" points to "\/etc\/passwd", outside/);
    return true;
  });
  await assert.rejects(stat(zip), { code: 'ENOENT' });
});

test('the same folder gives the same bytes in any time zone', async (t) => {
  const { work, dir } = await project(t);
  const packIn = async (timeZone: string, zip: string): Promise<string> => {
    const script = `const { packFolder } = await import(${JSON.stringify(new URL('../../../bundle/pack.js', import.meta.url).href)}); await packFolder(process.argv[1], process.argv[2]);`;
    await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, dir, zip], { env: { ...process.env, TZ: timeZone } });
    return createHash('sha256').update(await readFile(zip)).digest('hex');
  };
  assert.equal(await packIn('UTC', path.join(work, 'utc.zip')), await packIn('Pacific/Chatham', path.join(work, 'chatham.zip')));
});

test('a pack that fails part way leaves no zip behind', async (t) => {
  const { work, dir } = await project(t);
  // A large first file keeps the zip busy; meanwhile the last file grows past the size it was
  // listed with, which the zip writer refuses.
  await writeFile(path.join(dir, 'a-large.bin'), randomBytes(32 * 1024 * 1024));
  const zip = path.join(work, 'bundle.zip');
  const packing = packFolder(dir, zip);
  const outcome = packing.then(
    () => 'packed',
    (error: unknown) => error,
  );
  const deadline = Date.now() + 10_000;
  while (!(await readdir(work)).some((name) => name.startsWith('bundle.zip'))) {
    assert.ok(Date.now() < deadline, 'waiting for the zip to be started');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await appendFile(path.join(dir, 'sub/keep.txt'), ' and more');
  const error = await outcome;
  assert.ok(error instanceof Error, `the pack fails (got ${String(error)})`);
  assert.match(error.message, /unexpected number of bytes/);
  assert.deepEqual(await readdir(work), ['app'], 'neither the zip nor its temporary file is left');
});
