// extractBundle: good zips and tars unpack; every kind of bad archive is refused, naming the entry,
// and leaves nothing behind. Archives are built here: with yazl and tar-stream where they allow
// it, by hand (`zipOf`) where yazl refuses the name or the lie.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import tarStream from 'tar-stream';
import yazl from 'yazl';
import { WharfError } from '../../../model/errors.js';
import type { ExtractLimits } from './extract.js';
import { DEFAULT_MAX_BUNDLE_BYTES, extractBundle } from './extract.js';

const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const S_IFIFO = 0o010000;

// ── archive builders ───────────────────────────────────────────────────────────────────────────

interface ZipEntrySpec {
  /** The raw name, as stored (no checks). */
  readonly name: string;
  readonly data?: Buffer | string;
  /** Unix mode with file type bits, stored in the external attributes; 0 for none. */
  readonly mode?: number;
  readonly deflate?: boolean;
  /** Lie about the uncompressed size. */
  readonly declaredSize?: number;
  /** Lie about the CRC-32. */
  readonly crc?: number;
  /** Replace the stored (possibly compressed) data. */
  readonly rawData?: Buffer;
}

/** A zip written field by field, so that names and sizes can be anything. */
function zipOf(entries: readonly ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = Buffer.from(entry.data ?? '');
    const method = entry.deflate ? 8 : 0;
    const stored = entry.rawData ?? (entry.deflate ? deflateRawSync(data) : data);
    const crc = entry.crc ?? crc32(data);
    const size = entry.declaredSize ?? data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(stored.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((entry.mode ?? 0) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, stored);
    centrals.push(central, name);
    offset += local.length + name.length + stored.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

type YazlEntry =
  | { readonly file: string; readonly data: string; readonly mode?: number }
  | { readonly dir: string }
  | { readonly link: string; readonly target: string };

/** A zip made by yazl, as a real tool would make it. */
async function yazlZip(entries: readonly YazlEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    if ('file' in entry) zip.addBuffer(Buffer.from(entry.data), entry.file, { mode: entry.mode ?? S_IFREG | 0o644 });
    else if ('dir' in entry) zip.addEmptyDirectory(entry.dir);
    else zip.addBuffer(Buffer.from(entry.target), entry.link, { mode: S_IFLNK | 0o777 });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

type TarEntrySpec = Partial<tarStream.Header> & { readonly name: string; readonly data?: string };

/** A tar made by tar-stream (which stores whatever names and types it is given). */
async function tarOf(entries: readonly TarEntrySpec[]): Promise<Buffer> {
  const pack = tarStream.pack();
  for (const { data, ...header } of entries) pack.entry(header, data ?? '');
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

// ── harness ────────────────────────────────────────────────────────────────────────────────────

/** A temp folder holding the archive; the destination is `<dir>/x/out`. Removed after the test. */
async function workspace(t: TestContext, bytes: Buffer, name = 'bundle.zip'): Promise<{ dir: string; file: string; dest: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wharf-bundle-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  await mkdir(path.join(dir, 'x'));
  return { dir, file, dest: path.join(dir, 'x', 'out') };
}

/** Every path under `dir`, sorted, folders with a trailing slash. */
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

/** Unpacks and expects WHARF_E_BUNDLE_INVALID matching `reason`, with nothing left in the workspace but the archive. */
async function assertRefused(t: TestContext, bytes: Buffer, reason: RegExp, limits: Partial<ExtractLimits> = {}, name = 'bundle.zip'): Promise<WharfError> {
  const { dir, file, dest } = await workspace(t, bytes, name);
  let caught: unknown;
  await assert.rejects(extractBundle(file, dest, limits), (error: unknown) => {
    caught = error;
    return true;
  });
  assert.ok(caught instanceof WharfError, `a WharfError, not ${String(caught)}`);
  assert.equal(caught.code, 'WHARF_E_BUNDLE_INVALID', caught.message);
  assert.match(caught.message, /^The source bundle is not usable: /);
  assert.match(caught.message, reason);
  assert.deepEqual(await listTree(dir), [name, 'x/'], 'the half-unpacked folder is removed and nothing was written elsewhere');
  return caught;
}

async function extractOk(t: TestContext, bytes: Buffer, name = 'bundle.zip', limits: Partial<ExtractLimits> = {}) {
  const { file, dest } = await workspace(t, bytes, name);
  const result = await extractBundle(file, dest, limits);
  return { dest, result };
}

const modeOf = async (file: string): Promise<number> => (await stat(file)).mode & 0o7777;

// ── good archives ──────────────────────────────────────────────────────────────────────────────

test('a zip with nested folders unpacks with its contents, folders 0755', async (t) => {
  const bytes = await yazlZip([
    { dir: 'src/' },
    { file: 'package.json', data: '{"name":"app"}' },
    { file: 'src/lib/util.js', data: 'export {}' },
    { file: 'src/index.js', data: 'console.log(1)' },
  ]);
  const { dest, result } = await extractOk(t, bytes);
  assert.deepEqual(result, { format: 'zip', files: 3, bytes: 14 + 9 + 14 });
  assert.deepEqual(await listTree(dest), ['package.json', 'src/', 'src/index.js', 'src/lib/', 'src/lib/util.js']);
  assert.equal(await readFile(path.join(dest, 'src/lib/util.js'), 'utf8'), 'export {}');
  assert.equal(await modeOf(path.join(dest, 'src/lib')), 0o755);
  assert.equal(await modeOf(dest), 0o755);
});

test('a tar with nested folders unpacks, and folders are 0755 whatever the archive says', async (t) => {
  const bytes = await tarOf([
    { name: './', type: 'directory', mode: 0o755 },
    { name: 'app/', type: 'directory', mode: 0o777 },
    { name: './app/main.py', data: 'print(1)\n' },
    { name: 'app/pkg/mod.py', data: 'x = 1\n' },
    { name: 'requirements.txt', data: 'flask\n' },
  ]);
  const { dest, result } = await extractOk(t, bytes, 'bundle.tar');
  assert.deepEqual(result, { format: 'tar', files: 3, bytes: 9 + 6 + 6 });
  assert.deepEqual(await listTree(dest), ['app/', 'app/main.py', 'app/pkg/', 'app/pkg/mod.py', 'requirements.txt']);
  assert.equal(await readFile(path.join(dest, 'app/pkg/mod.py'), 'utf8'), 'x = 1\n');
  assert.equal(await modeOf(path.join(dest, 'app')), 0o755);
});

test('a gzipped tar with nested folders unpacks', async (t) => {
  const bytes = gzipSync(await tarOf([{ name: 'a/b/c/deep.txt', data: 'deep' }, { name: 'top.txt', data: 'top' }]));
  const { dest, result } = await extractOk(t, bytes, 'bundle.tgz');
  assert.deepEqual(result, { format: 'tar.gz', files: 2, bytes: 7 });
  assert.deepEqual(await listTree(dest), ['a/', 'a/b/', 'a/b/c/', 'a/b/c/deep.txt', 'top.txt']);
});

test('the format comes from the first bytes, not the name', async (t) => {
  const bytes = await yazlZip([{ file: 'index.js', data: 'x' }]);
  const { result } = await extractOk(t, bytes, 'bundle.tar.gz');
  assert.equal(result.format, 'zip');
});

test('an empty zip unpacks to an empty folder', async (t) => {
  const bytes = await yazlZip([]);
  assert.equal(bytes.readUInt32LE(0), 0x06054b50, 'an empty zip starts with the end record');
  const { dest, result } = await extractOk(t, bytes);
  assert.deepEqual(result, { format: 'zip', files: 0, bytes: 0 });
  assert.deepEqual(await listTree(dest), []);
});

test('backslashes in zip names are folder separators', async (t) => {
  const { dest } = await extractOk(t, zipOf([{ name: 'lib\\util.js', data: 'u' }]));
  assert.deepEqual(await listTree(dest), ['lib/', 'lib/util.js']);
});

test('executable bits are kept; setuid, setgid, sticky and missing read bits are not', async (t) => {
  const bytes = await yazlZip([
    { file: 'bin/start', data: '#!/bin/sh\n', mode: S_IFREG | 0o4755 },
    { file: 'bin/owner-only', data: '#!/bin/sh\n', mode: S_IFREG | 0o7700 },
    { file: 'secret.txt', data: 's', mode: S_IFREG | 0o600 },
  ]);
  const { dest } = await extractOk(t, bytes);
  assert.equal(await modeOf(path.join(dest, 'bin/start')), 0o755);
  assert.equal(await modeOf(path.join(dest, 'bin/owner-only')), 0o744);
  assert.equal(await modeOf(path.join(dest, 'secret.txt')), 0o644);

  const tar = await tarOf([{ name: 'run.sh', mode: 0o2775, data: '#!/bin/sh\n' }]);
  const unpacked = await extractOk(t, tar, 'bundle.tar');
  assert.equal(await modeOf(path.join(unpacked.dest, 'run.sh')), 0o755);
});

test('a link inside the bundle is kept as a link (zip and tar)', async (t) => {
  const zip = await yazlZip([
    { file: 'lib/run.js', data: 'run' },
    { link: 'bin/run', target: '../lib/run.js' },
    { link: 'current', target: 'lib' },
  ]);
  const { dest, result } = await extractOk(t, zip);
  assert.equal(result.files, 3);
  assert.equal(await readlink(path.join(dest, 'bin/run')), '../lib/run.js');
  assert.equal(await readFile(path.join(dest, 'bin/run'), 'utf8'), 'run');
  assert.equal(await readlink(path.join(dest, 'current')), 'lib');

  const tar = await tarOf([
    { name: 'lib/run.js', data: 'run' },
    { name: 'bin/run', type: 'symlink', linkname: '../lib/run.js' },
  ]);
  const unpacked = await extractOk(t, tar, 'bundle.tar');
  assert.equal(await readlink(path.join(unpacked.dest, 'bin/run')), '../lib/run.js');
});

test('a tar hard link to a file unpacked earlier becomes a copy', async (t) => {
  const bytes = await tarOf([
    { name: 'a.txt', data: 'shared', mode: 0o755 },
    { name: 'dir/b.txt', type: 'link', linkname: 'a.txt' },
  ]);
  const { dest, result } = await extractOk(t, bytes, 'bundle.tar');
  assert.deepEqual(result, { format: 'tar', files: 2, bytes: 12 });
  assert.equal(await readFile(path.join(dest, 'dir/b.txt'), 'utf8'), 'shared');
  const [a, b] = await Promise.all([stat(path.join(dest, 'a.txt')), stat(path.join(dest, 'dir/b.txt'))]);
  assert.notEqual(a.ino, b.ino, 'a copy, not a second name of the same file');
  assert.equal(b.mode & 0o777, 0o755);
});

// ── names ──────────────────────────────────────────────────────────────────────────────────────

test('an entry climbing out with ".." is refused', async (t) => {
  await assertRefused(t, zipOf([{ name: '../evil.txt', data: 'x' }]), /the entry "\.\.\/evil\.txt" climbs out of the bundle's folder/);
  await assertRefused(t, zipOf([{ name: 'a/../../../evil.txt', data: 'x' }]), /"a\/\.\.\/\.\.\/\.\.\/evil\.txt" climbs out/);
  await assertRefused(t, await tarOf([{ name: 'ok.txt', data: 'x' }, { name: 'sub/../../evil.txt', data: 'x' }]), /climbs out/, {}, 'bundle.tar');
});

test('a ".." that stays inside is resolved as text', async (t) => {
  const { dest } = await extractOk(t, zipOf([{ name: 'a/../b.txt', data: 'b' }]));
  assert.deepEqual(await listTree(dest), ['b.txt']);
});

test('absolute names are refused: /x, \\x and C:\\x', async (t) => {
  await assertRefused(t, zipOf([{ name: '/tmp/evil.txt', data: 'x' }]), /the entry "\/tmp\/evil\.txt" is an absolute path/);
  await assertRefused(t, zipOf([{ name: '\\evil.txt', data: 'x' }]), /is an absolute path/);
  await assertRefused(t, zipOf([{ name: 'C:\\evil.txt', data: 'x' }]), /the entry "C:\\\\evil\.txt" is an absolute path/);
  await assertRefused(t, await tarOf([{ name: '/etc/evil', data: 'x' }]), /is an absolute path/, {}, 'bundle.tar');
});

test('a NUL in a name is refused', async (t) => {
  await assertRefused(t, zipOf([{ name: 'evil\0.txt', data: 'x' }]), /the entry "evil\\u0000\.txt" has a NUL character/);
});

test('a path longer than the limit, or deeper, or with a too-long part, is refused', async (t) => {
  await assertRefused(t, zipOf([{ name: `${'a'.repeat(30)}.txt`, data: 'x' }]), /has a path of 34 bytes, longer than the limit of 20/, { maxPathBytes: 20 });
  await assertRefused(t, zipOf([{ name: 'a/b/c/d.txt', data: 'x' }]), /is 4 levels deep, deeper than the limit of 3/, { maxDepth: 3 });
  await assertRefused(t, zipOf([{ name: `${'n'.repeat(256)}`, data: 'x' }]), /has a name part of 256 bytes/);
});

// ── links ──────────────────────────────────────────────────────────────────────────────────────

test('a zip link pointing outside the folder is refused', async (t) => {
  await assertRefused(t, zipOf([{ name: 'etc', data: '../../../etc', mode: S_IFLNK | 0o777 }]), /the link "etc" points to "\.\.\/\.\.\/\.\.\/etc", outside the bundle's folder/);
  await assertRefused(t, zipOf([{ name: 'passwd', data: '/etc/passwd', mode: S_IFLNK | 0o777 }]), /the link "passwd" points to "\/etc\/passwd", outside/);
});

test('a tar link pointing outside the folder is refused', async (t) => {
  await assertRefused(t, await tarOf([{ name: 'root', type: 'symlink', linkname: '/' }]), /the link "root" points to "\/", outside/, {}, 'bundle.tar');
  await assertRefused(t, await tarOf([{ name: 'a/up', type: 'symlink', linkname: '../..' }]), /the link "a\/up" points to "\.\.\/\.\.", outside/, {}, 'bundle.tar');
});

test('a link that leads outside only through another link is refused', async (t) => {
  // x/l -> .. is the root; l2 -> x/l/.. reads as "x" but really is the root's parent.
  const bytes = zipOf([
    { name: 'x/', mode: S_IFDIR | 0o755 },
    { name: 'x/l', data: '..', mode: S_IFLNK | 0o777 },
    { name: 'l2', data: 'x/l/..', mode: S_IFLNK | 0o777 },
  ]);
  await assertRefused(t, bytes, /the link "l2" points to "x\/l\/\.\.", which leads outside the bundle's folder through other links/);
});

test('a loop of links is refused', async (t) => {
  const bytes = zipOf([
    { name: 'a', data: 'b', mode: S_IFLNK | 0o777 },
    { name: 'b', data: 'a', mode: S_IFLNK | 0o777 },
  ]);
  await assertRefused(t, bytes, /passes through more than 40 links/);
});

test('an entry written through an earlier link is refused', async (t) => {
  const bytes = zipOf([
    { name: 'sub/keep.txt', data: 'k' },
    { name: 'l', data: 'sub', mode: S_IFLNK | 0o777 },
    { name: 'l/evil.txt', data: 'x' },
  ]);
  await assertRefused(t, bytes, /the entry "l\/evil\.txt" would be written through the link "l"/);
  const tar = await tarOf([
    { name: 'l', type: 'symlink', linkname: '.' },
    { name: 'l/evil.txt', data: 'x' },
  ]);
  await assertRefused(t, tar, /would be written through the link "l"/, {}, 'bundle.tar');
});

test('a duplicate entry over an earlier link is refused', async (t) => {
  const bytes = zipOf([
    { name: 'sub/', mode: S_IFDIR | 0o755 },
    { name: 'l', data: 'sub', mode: S_IFLNK | 0o777 },
    { name: 'l', data: 'x' },
  ]);
  await assertRefused(t, bytes, /the entry "l" appears twice, and would overwrite the link its first copy made/);
});

test('a duplicate file is refused', async (t) => {
  await assertRefused(t, zipOf([{ name: 'a.txt', data: '1' }, { name: './a.txt', data: '2' }]), /the entry "\.\/a\.txt" appears twice in the archive \(the first time as a file\)/);
  await assertRefused(t, zipOf([{ name: 'a/b.txt', data: '1' }, { name: 'a', data: '2' }]), /the entry "a" appears twice in the archive \(the first time as a folder\)/);
});

test('a folder entry over an earlier file or link is refused', async (t) => {
  await assertRefused(t, zipOf([{ name: 'a', data: '1' }, { name: 'a/', mode: S_IFDIR | 0o755 }]), /the entry "a\/" appears twice in the archive \(the first time as a file\)/);
  const overLink = zipOf([
    { name: 'sub/', mode: S_IFDIR | 0o755 },
    { name: 'l', data: 'sub', mode: S_IFLNK | 0o777 },
    { name: 'l/', mode: S_IFDIR | 0o755 },
  ]);
  await assertRefused(t, overLink, /the entry "l\/" appears twice, and would overwrite the link its first copy made/);
});

test('an entry below a file is refused', async (t) => {
  await assertRefused(t, zipOf([{ name: 'a', data: '1' }, { name: 'a/b.txt', data: '2' }]), /the entry "a\/b\.txt" needs "a" to be a folder, but an earlier entry made it a file/);
});

test('a tar hard link to anything but a file unpacked earlier is refused', async (t) => {
  await assertRefused(t, await tarOf([{ name: 'h', type: 'link', linkname: '../../etc/passwd' }]), /the hard link "h" points to "\.\.\/\.\.\/etc\/passwd", which climbs out/, {}, 'bundle.tar');
  await assertRefused(t, await tarOf([{ name: 'h', type: 'link', linkname: '/etc/passwd' }]), /the hard link "h" points to "\/etc\/passwd", which is an absolute path/, {}, 'bundle.tar');
  await assertRefused(t, await tarOf([{ name: 'h', type: 'link', linkname: 'missing' }]), /the hard link "h" points to "missing", which is not a file unpacked earlier/, {}, 'bundle.tar');
  const throughLink = await tarOf([
    { name: 'l', type: 'symlink', linkname: 'real' },
    { name: 'real', data: 'r' },
    { name: 'h', type: 'link', linkname: 'l' },
  ]);
  await assertRefused(t, throughLink, /the hard link "h" points to "l", which is not a file unpacked earlier/, {}, 'bundle.tar');
});

// ── entry types ────────────────────────────────────────────────────────────────────────────────

test('devices and FIFOs are refused (tar)', async (t) => {
  await assertRefused(t, await tarOf([{ name: 'dev/null', type: 'character-device', devmajor: 1, devminor: 3 }]), /the entry "dev\/null" is a character device/, {}, 'bundle.tar');
  await assertRefused(t, await tarOf([{ name: 'sda', type: 'block-device', devmajor: 8, devminor: 0 }]), /is a block device/, {}, 'bundle.tar');
  await assertRefused(t, await tarOf([{ name: 'pipe', type: 'fifo' }]), /the entry "pipe" is a FIFO/, {}, 'bundle.tar');
});

test('a FIFO or socket is refused (zip)', async (t) => {
  await assertRefused(t, zipOf([{ name: 'pipe', mode: S_IFIFO | 0o644 }]), /the entry "pipe" is a FIFO; a bundle holds only files, folders and links/);
  await assertRefused(t, zipOf([{ name: 'sock', mode: 0o140644 }]), /the entry "sock" is a socket/);
});

// ── limits ─────────────────────────────────────────────────────────────────────────────────────

test('more entries than maxFiles are refused, implied folders included', async (t) => {
  const files = ['a', 'b', 'c', 'd'].map((name) => ({ name, data: name }));
  await assertRefused(t, zipOf(files), /it has more than 3 entries \(files, folders and links; "d" is one too many\)/, { maxFiles: 3 });
  await assertRefused(t, zipOf([{ name: 'x/y/z/file', data: '1' }]), /more than 3 entries/, { maxFiles: 3 });
  await extractOk(t, zipOf(files.slice(0, 3)), 'bundle.zip', { maxFiles: 3 });
});

test('more unpacked bytes than maxBytes are refused, counted as written', async (t) => {
  const files = ['a', 'b', 'c'].map((name) => ({ name, data: 'z'.repeat(400), deflate: true }));
  await assertRefused(t, zipOf(files), /it unpacks to more than 1000 bytes in all \(reached at "c"\)/, { maxBytes: 1000 });
  const tar = gzipSync(await tarOf(['a', 'b', 'c'].map((name) => ({ name, data: 'z'.repeat(400) }))));
  await assertRefused(t, tar, /it unpacks to more than 1000 bytes in all/, { maxBytes: 1000 }, 'bundle.tar.gz');
});

test('one entry bigger than maxEntryBytes is refused', async (t) => {
  await assertRefused(t, zipOf([{ name: 'big.bin', data: 'b'.repeat(200), deflate: true }]), /the entry "big\.bin" unpacks to more than 100 bytes, the limit for one file/, {
    maxEntryBytes: 100,
  });
  await assertRefused(t, await tarOf([{ name: 'big.bin', data: 'b'.repeat(200) }]), /the entry "big\.bin" unpacks to more than 100 bytes/, { maxEntryBytes: 100 }, 'bundle.tar');
});

test('a zip bomb whose sizes lie is refused', async (t) => {
  const bomb = zipOf([{ name: 'bomb.txt', data: '0'.repeat(1_000_000), deflate: true, declaredSize: 10 }]);
  assert.ok(bomb.length < 5000, 'the bomb is small');
  await assertRefused(t, bomb, /the archive is corrupt or truncated \(too many bytes in the stream/);
});

test('a gzipped tar that inflates to endless zero blocks is cut off', async (t) => {
  const tar = await tarOf([{ name: 'a.txt', data: 'a' }]);
  const bytes = gzipSync(Buffer.concat([tar, Buffer.alloc(4 * 1024 * 1024)]));
  await assertRefused(t, bytes, /it unpacks to more than 25576 bytes of tar data/, { maxBytes: 1000, maxFiles: 2 }, 'bundle.tar.gz');
});

test('a bundle over maxBundleBytes is refused as too large', async (t) => {
  const { dir, file, dest } = await workspace(t, await yazlZip([{ file: 'a.txt', data: 'a'.repeat(100) }]));
  await assert.rejects(extractBundle(file, dest, { maxBundleBytes: 50 }), (error: unknown) => {
    assert.ok(error instanceof WharfError);
    assert.equal(error.code, 'WHARF_E_BUNDLE_TOO_LARGE');
    assert.equal(error.status, 413);
    assert.match(error.message, /larger than the limit of 50 bytes/);
    return true;
  });
  assert.deepEqual(await listTree(dir), ['bundle.zip', 'x/']);
  assert.equal(DEFAULT_MAX_BUNDLE_BYTES, 500 * 1024 * 1024);
});

test('limits given as undefined keep their default; limits that are not positive integers are a programming error', async (t) => {
  const files = ['a', 'b'].map((name) => ({ name, data: name }));
  const { result } = await extractOk(t, zipOf(files), 'bundle.zip', { maxFiles: undefined });
  assert.equal(result.files, 2);
  const { file, dest } = await workspace(t, zipOf(files));
  await assert.rejects(extractBundle(file, dest, { maxFiles: 0 }), { name: 'ZodError' });
  assert.equal(existsSync(dest), false);
});

// ── broken archives ────────────────────────────────────────────────────────────────────────────

test('a file that is no archive is refused, whatever its name', async (t) => {
  await assertRefused(t, Buffer.from('<!doctype html>\n<p>not a zip</p>\n'), /it is neither a zip nor a tar or gzipped tar archive \(its first bytes are 3c 21 64 6f/, {}, 'bundle.zip');
  await assertRefused(t, Buffer.alloc(0), /the file is empty/);
});

test('a truncated zip is refused', async (t) => {
  const bytes = await yazlZip([{ file: 'a.txt', data: 'a'.repeat(1000) }]);
  await assertRefused(t, bytes.subarray(0, bytes.length - 30), /the archive is corrupt or truncated/);
});

test('a zip entry whose data does not match its CRC-32 is refused', async (t) => {
  await assertRefused(t, zipOf([{ name: 'a.txt', data: 'hello', crc: crc32('jello') }]), /the entry "a\.txt" is corrupt \(its CRC-32 does not match\)/);
});

test('a zip entry with broken compressed data is refused', async (t) => {
  await assertRefused(t, zipOf([{ name: 'a.txt', data: 'hello', deflate: true, rawData: Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff]) }]), /the archive is corrupt or truncated/);
});

test('an encrypted zip entry is refused', async (t) => {
  const bytes = zipOf([{ name: 'secret.txt', data: 'x'.repeat(12 + 3), declaredSize: 3 }]);
  // Set the "encrypted" flag in the central directory (general purpose bit 0).
  const central = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  bytes.writeUInt16LE(bytes.readUInt16LE(central + 8) | 1, central + 8);
  await assertRefused(t, bytes, /the entry "secret\.txt" is encrypted/);
});

test('a truncated tar and a truncated gzipped tar are refused', async (t) => {
  const tar = await tarOf([{ name: 'a.txt', data: 'a'.repeat(5000) }]);
  await assertRefused(t, tar.subarray(0, 2048), /the archive is corrupt or truncated \(Unexpected end of data\)/, {}, 'bundle.tar');
  const gz = gzipSync(tar);
  await assertRefused(t, gz.subarray(0, gz.length - 20), /the archive is corrupt or truncated \(unexpected end of file\)/, {}, 'bundle.tar.gz');
});

test('a tar with a damaged header is refused', async (t) => {
  const tar = await tarOf([{ name: 'a.txt', data: 'a' }, { name: 'b.txt', data: 'b' }]);
  tar[1024] = 0x41; // the second header's name, so its checksum no longer matches
  await assertRefused(t, tar, /the archive is corrupt or truncated \(Invalid tar header/, {}, 'bundle.tar');
});

// ── destination ────────────────────────────────────────────────────────────────────────────────

test('an existing destination is refused and left as it was', async (t) => {
  const { file, dest } = await workspace(t, await yazlZip([{ file: 'a.txt', data: 'a' }]));
  await mkdir(dest);
  await writeFile(path.join(dest, 'mine.txt'), 'mine');
  await assert.rejects(extractBundle(file, dest), /already exists/);
  assert.equal(await readFile(path.join(dest, 'mine.txt'), 'utf8'), 'mine');
  assert.ok(existsSync(dest));
});
