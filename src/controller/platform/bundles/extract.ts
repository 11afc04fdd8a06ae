/**
 * Unpacking a source bundle (an Elastic Beanstalk application version's zip, tar or gzipped tar)
 * into a new folder, safely: the bundle comes from a user, so every entry is checked before
 * anything is written, and anything odd refuses the whole bundle with WHARF_E_BUNDLE_INVALID (the
 * reason names the entry and what to fix). Nothing half-unpacked is ever left behind.
 *
 *   detect format (first bytes) ─▶ mkdir dest ─▶ per entry: check name ─▶ make parents ─▶ write
 *   (bytes counted as written) ─▶ check every link through the others ─▶ result
 *        └─ any refusal or failure ─▶ rm -r dest ─▶ throw
 *
 * What is refused: names that are absolute, climb out with `..` or hold a NUL; links whose target
 * leads outside the folder (also through other links); anything written through a link or over an
 * earlier entry; devices, FIFOs and other special entries; hard links (tar) to anything but a file
 * unpacked earlier (they become copies); more entries, bytes, path length or depth than the
 * limits; encrypted, corrupt or truncated archives. Only the file system entries this unpacking
 * made are trusted: the parents of every entry must be folders it created itself.
 */
import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { chmod, constants, mkdir, open, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform, pipeline } from 'node:stream';
import { crc32, createGunzip } from 'node:zlib';
import tarStream from 'tar-stream';
import yauzl from 'yauzl';
import { z } from 'zod';
import { DEFAULT_MAX_BUNDLE_BYTES } from '../../../config/settings.js';
import { WharfError, wharfError } from '../../../model/errors.js';
import { MAX_LINK_HOPS, MAX_LINK_TARGET_BYTES, MAX_NAME_BYTES, linkTargetProblem, quoteName, resolvesInside, splitEntryName, unpackedFileMode } from '../../../bundle/names.js';

/** The largest bundle: the `WHARF_MAX_BUNDLE_BYTES` setting's default (see config/settings.ts). */
export { DEFAULT_MAX_BUNDLE_BYTES };
/** Most entries one bundle may unpack to: files, folders (also those only implied by a path) and links. */
export const DEFAULT_MAX_FILES = 100_000;
/** Most bytes one bundle may unpack to, counted as written (a zip bomb's declared sizes are not believed). */
export const DEFAULT_MAX_UNPACKED_BYTES = 1024 * 1024 * 1024;
/** Most bytes one file of a bundle may unpack to. */
export const DEFAULT_MAX_ENTRY_BYTES = 512 * 1024 * 1024;
/** Longest path of an entry below the bundle's root, in bytes (UTF-8). */
export const DEFAULT_MAX_PATH_BYTES = 1024;
/** Most path components an entry may have (`a/b/c` has 3). */
export const DEFAULT_MAX_PATH_DEPTH = 64;
/**
 * Tar framing allowed per entry on top of the file bytes (header, pax or GNU long-name records,
 * padding), so a gzipped tar of endless zero blocks is cut off rather than read forever.
 */
export const TAR_FRAMING_BYTES_PER_ENTRY = 8 * 1024;

/** The archive formats a bundle may be, told by its first bytes, never by its name. */
export type BundleFormat = 'zip' | 'tar' | 'tar.gz';

/** What one unpacking made. */
export interface ExtractResult {
  readonly format: BundleFormat;
  /** Files and links written (hard links count as the copies they become); folders are not counted. */
  readonly files: number;
  /** Bytes of file content written. */
  readonly bytes: number;
}

/** The limits one unpacking enforces; each defaults to the DEFAULT_* constant of the same meaning. */
export interface ExtractLimits {
  /** Largest archive file, in bytes (above it: WHARF_E_BUNDLE_TOO_LARGE). */
  readonly maxBundleBytes: number;
  /** Most entries of any kind, folders included. */
  readonly maxFiles: number;
  /** Most bytes unpacked in all. */
  readonly maxBytes: number;
  /** Most bytes unpacked for one file. */
  readonly maxEntryBytes: number;
  /** Longest path below the root, in bytes. */
  readonly maxPathBytes: number;
  /** Most path components. */
  readonly maxDepth: number;
}

/** The limits used when a call gives none. */
export const DEFAULT_EXTRACT_LIMITS: ExtractLimits = Object.freeze({
  maxBundleBytes: DEFAULT_MAX_BUNDLE_BYTES,
  maxFiles: DEFAULT_MAX_FILES,
  maxBytes: DEFAULT_MAX_UNPACKED_BYTES,
  maxEntryBytes: DEFAULT_MAX_ENTRY_BYTES,
  maxPathBytes: DEFAULT_MAX_PATH_BYTES,
  maxDepth: DEFAULT_MAX_PATH_DEPTH,
});

const positive = z.number().int().positive();

/** Overrides of the limits, for one call (tests use small ones). */
export const extractLimitsSchema = z
  .object({
    maxBundleBytes: positive,
    maxFiles: positive,
    maxBytes: positive,
    maxEntryBytes: positive,
    maxPathBytes: positive,
    maxDepth: positive,
  })
  .partial()
  .strict();

const DIR_MODE = 0o755;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const SPECIAL_FILE_TYPES = new Map<number, string>([
  [0o010000, 'FIFO'],
  [0o020000, 'character device'],
  [0o060000, 'block device'],
  [0o140000, 'socket'],
]);
const TAR_SPECIAL_TYPES: Readonly<Record<string, string>> = {
  'character-device': 'character device',
  'block-device': 'block device',
  fifo: 'FIFO',
};
const USTAR_MAGIC_OFFSET = 257;
const HEAD_BYTES = 512;

function invalid(reason: string, cause?: unknown): WharfError {
  return wharfError('WHARF_E_BUNDLE_INVALID', { reason }, cause === undefined ? {} : { cause });
}

function hex(bytes: Buffer): string {
  return [...bytes.subarray(0, 8)].map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
}

/**
 * Reads a bundle's first bytes and says which archive it is: zip (`PK\x03\x04`, or `PK\x05\x06`
 * for an empty zip), gzip (taken as a gzipped tar) or tar (`ustar` at offset 257). Anything else,
 * whatever its name, is refused; so is a file over `maxBundleBytes` (WHARF_E_BUNDLE_TOO_LARGE).
 */
export async function detectBundleFormat(file: string, maxBundleBytes = DEFAULT_MAX_BUNDLE_BYTES): Promise<BundleFormat> {
  const handle = await open(file, 'r');
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw invalid('it is not a file');
    if (info.size > maxBundleBytes) throw wharfError('WHARF_E_BUNDLE_TOO_LARGE', { limit: maxBundleBytes }, { context: { size: info.size } });
    if (info.size === 0) throw invalid('the file is empty');
    const head = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0);
    const start = head.subarray(0, bytesRead);
    if (start[0] === 0x50 && start[1] === 0x4b && ((start[2] === 0x03 && start[3] === 0x04) || (start[2] === 0x05 && start[3] === 0x06))) return 'zip';
    if (start[0] === 0x1f && start[1] === 0x8b) return 'tar.gz';
    if (start.subarray(USTAR_MAGIC_OFFSET, USTAR_MAGIC_OFFSET + 5).toString('latin1') === 'ustar') return 'tar';
    throw invalid(`it is neither a zip nor a tar or gzipped tar archive (its first bytes are ${hex(start)}); upload a .zip, .tar or .tar.gz`);
  } finally {
    await handle.close();
  }
}

/**
 * Unpacks the bundle `file` into `dest`, which must not exist yet (it is created; its parent may
 * be). Use it when an application version is created. On any refusal or failure `dest` is removed
 * and the error thrown: WHARF_E_BUNDLE_INVALID (or WHARF_E_BUNDLE_TOO_LARGE) for a bad bundle, the
 * file system's error otherwise. Files get mode 0644 plus the archive's executable bits, folders 0755.
 */
export async function extractBundle(file: string, dest: string, limits: Partial<ExtractLimits> = {}): Promise<ExtractResult> {
  const overrides = Object.entries(extractLimitsSchema.parse(limits)).filter(([, value]) => value !== undefined);
  const effective: ExtractLimits = Object.freeze({ ...DEFAULT_EXTRACT_LIMITS, ...Object.fromEntries(overrides) });
  const format = await detectBundleFormat(file, effective.maxBundleBytes);
  await mkdir(path.dirname(dest), { recursive: true });
  try {
    await mkdir(dest, { mode: 0o700 });
  } catch (error) {
    // Not the bundle's fault, and not ours to remove.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`Cannot unpack a bundle into ${dest}: it already exists`, { cause: error });
    throw error;
  }
  try {
    await chmod(dest, DIR_MODE);
    const tree = new Tree(dest, effective);
    if (format === 'zip') await unpackZip(file, tree);
    else await unpackTar(file, format === 'tar.gz', tree, effective);
    tree.verifyLinks();
    return { format, files: tree.files, bytes: tree.bytes };
  } catch (error) {
    await rm(dest, { recursive: true, force: true });
    throw asBundleError(error);
  }
}

/**
 * Errors of the archive readers (yauzl, tar-stream, zlib) are plain Errors without a syscall: the
 * archive is broken. File system errors and programming errors pass through as they are.
 */
function asBundleError(error: unknown): unknown {
  if (error instanceof WharfError) return error;
  if (error instanceof Error && error.constructor === Error && !('syscall' in error)) {
    return invalid(`the archive is corrupt or truncated (${error.message})`, error);
  }
  return error;
}

type Node = { readonly kind: 'dir' } | { readonly kind: 'file'; readonly mode: number } | { readonly kind: 'link'; readonly target: string };

/**
 * The folder being filled. It remembers every path it made, so it never has to ask the file
 * system what a path is: a parent must be a folder made here, a name must be new.
 */
class Tree {
  /** Paths below the root joined with `/`; the root is ''. */
  private readonly nodes = new Map<string, Node>([['', { kind: 'dir' }]]);
  private readonly links = new Map<string, string>();
  private entries = 0;
  files = 0;
  bytes = 0;

  constructor(
    private readonly root: string,
    private readonly limits: ExtractLimits,
  ) {}

  /** A folder entry; a folder already made (as an entry or as a parent) is fine. */
  async directory(name: string): Promise<void> {
    const segments = this.place(name);
    const key = segments.join('/');
    const existing = this.nodes.get(key);
    if (existing?.kind === 'dir') return;
    this.refuseExisting(name, existing);
    await this.parents(name, segments);
    await this.makeDirectory(name, key);
  }

  /** A file entry: content streamed in, counted as written, checked against `expectedCrc` when given. */
  async file(name: string, archiveMode: number, content: () => Promise<AsyncIterable<Buffer>>, expectedCrc?: number): Promise<void> {
    const key = await this.claim(name, this.place(name));
    this.count(name);
    const mode = unpackedFileMode(archiveMode);
    this.nodes.set(key, { kind: 'file', mode });
    // O_EXCL fails on any existing name, a dangling link included; O_NOFOLLOW is a second guard.
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
    const handle = await open(this.absolute(key), flags, 0o600);
    try {
      await handle.chmod(mode);
      let size = 0;
      let crc = 0;
      for await (const chunk of await content()) {
        size += chunk.length;
        this.addBytes(name, size, chunk.length);
        if (expectedCrc !== undefined) crc = crc32(chunk, crc);
        await writeAll(handle, chunk);
      }
      if (expectedCrc !== undefined && crc !== expectedCrc) throw invalid(`the entry ${quoteName(name)} is corrupt (its CRC-32 does not match)`);
    } finally {
      await handle.close();
    }
    this.files += 1;
  }

  /** A symbolic link, kept as a link when its target stays inside the root. */
  async symlink(name: string, target: string): Promise<void> {
    const segments = this.place(name);
    const problem = linkTargetProblem(segments, target);
    if (problem) throw invalid(`the link ${quoteName(name)} ${problem}`);
    const key = await this.claim(name, segments);
    this.count(name);
    const written = target.replace(/\\/g, '/');
    await symlink(written, this.absolute(key));
    this.nodes.set(key, { kind: 'link', target: written });
    this.links.set(key, written);
    this.files += 1;
  }

  /** A tar hard link: allowed only to a file unpacked earlier, and written as a copy of it. */
  async hardLink(name: string, target: string): Promise<void> {
    const split = splitEntryName(target);
    if ('problem' in split) throw invalid(`the hard link ${quoteName(name)} points to ${quoteName(target)}, which ${split.problem}`);
    const targetKey = split.segments.join('/');
    const node = this.nodes.get(targetKey);
    if (node?.kind !== 'file') {
      throw invalid(`the hard link ${quoteName(name)} points to ${quoteName(target)}, which is not a file unpacked earlier from the archive; store the file itself`);
    }
    const source = this.absolute(targetKey);
    await this.file(name, node.mode, async () => createReadStream(source));
  }

  /** Once every entry is in: no link may lead outside through other links, nor loop. */
  verifyLinks(): void {
    for (const [key, target] of this.links) {
      const verdict = resolvesInside(this.links, key.split('/'), target);
      if (verdict === 'outside') {
        throw invalid(`the link ${quoteName(key)} points to ${quoteName(target)}, which leads outside the bundle's folder through other links; make it point inside the project`);
      }
      if (verdict === 'loop') {
        throw invalid(`the link ${quoteName(key)} points to ${quoteName(target)}, which passes through more than ${MAX_LINK_HOPS} links (a loop); fix or remove the links`);
      }
    }
  }

  /** Checks an entry's name against the path rules and limits; returns its components. */
  private place(name: string): readonly string[] {
    const split = splitEntryName(name);
    if ('problem' in split) throw invalid(`the entry ${quoteName(name)} ${split.problem}`);
    const { segments } = split;
    for (const segment of segments) {
      const bytes = Buffer.byteLength(segment);
      if (bytes > MAX_NAME_BYTES) throw invalid(`the entry ${quoteName(name)} has a name part of ${bytes} bytes; a file or folder name has at most ${MAX_NAME_BYTES}`);
    }
    if (segments.length > this.limits.maxDepth) {
      throw invalid(`the entry ${quoteName(name)} is ${segments.length} levels deep, deeper than the limit of ${this.limits.maxDepth}; flatten the folders`);
    }
    const bytes = Buffer.byteLength(segments.join('/'));
    if (bytes > this.limits.maxPathBytes) {
      throw invalid(`the entry ${quoteName(name)} has a path of ${bytes} bytes, longer than the limit of ${this.limits.maxPathBytes}; shorten it`);
    }
    return segments;
  }

  /** Makes the parents of a new file or link, and checks its own name is new. */
  private async claim(name: string, segments: readonly string[]): Promise<string> {
    if (segments.length === 0) throw invalid(`the entry ${quoteName(name)} has no file name`);
    const key = segments.join('/');
    this.refuseExisting(name, this.nodes.get(key));
    await this.parents(name, segments);
    return key;
  }

  private refuseExisting(name: string, existing: Node | undefined): void {
    if (existing === undefined) return;
    if (existing.kind === 'link') throw invalid(`the entry ${quoteName(name)} appears twice, and would overwrite the link its first copy made; keep one`);
    throw invalid(`the entry ${quoteName(name)} appears twice in the archive (the first time as a ${existing.kind === 'dir' ? 'folder' : 'file'}); keep one`);
  }

  /** Each parent must be a folder made by this unpacking; missing ones are made (0755). */
  private async parents(name: string, segments: readonly string[]): Promise<void> {
    for (let depth = 1; depth < segments.length; depth += 1) {
      const key = segments.slice(0, depth).join('/');
      const node = this.nodes.get(key);
      if (node?.kind === 'dir') continue;
      if (node?.kind === 'link') {
        throw invalid(`the entry ${quoteName(name)} would be written through the link ${quoteName(key)} made by an earlier entry; store the file under its real folder`);
      }
      if (node?.kind === 'file') throw invalid(`the entry ${quoteName(name)} needs ${quoteName(key)} to be a folder, but an earlier entry made it a file`);
      await this.makeDirectory(name, key);
    }
  }

  private async makeDirectory(name: string, key: string): Promise<void> {
    this.count(name);
    const target = this.absolute(key);
    // Not recursive: the parent is a folder made here, so this makes exactly one new folder.
    await mkdir(target, { mode: 0o700 });
    await chmod(target, DIR_MODE);
    this.nodes.set(key, { kind: 'dir' });
  }

  private count(name: string): void {
    this.entries += 1;
    if (this.entries > this.limits.maxFiles) {
      throw invalid(
        `it has more than ${this.limits.maxFiles} entries (files, folders and links; ${quoteName(name)} is one too many); leave generated files out of the bundle (.ebignore) or split the application`,
      );
    }
  }

  private addBytes(name: string, entryBytes: number, chunkBytes: number): void {
    this.bytes += chunkBytes;
    if (entryBytes > this.limits.maxEntryBytes) {
      throw invalid(`the entry ${quoteName(name)} unpacks to more than ${this.limits.maxEntryBytes} bytes, the limit for one file; leave it out of the bundle (.ebignore)`);
    }
    if (this.bytes > this.limits.maxBytes) {
      throw invalid(`it unpacks to more than ${this.limits.maxBytes} bytes in all (reached at ${quoteName(name)}); leave large or generated files out of the bundle (.ebignore)`);
    }
  }

  private absolute(key: string): string {
    return key === '' ? this.root : path.join(this.root, ...key.split('/'));
  }
}

async function writeAll(handle: FileHandle, chunk: Buffer): Promise<void> {
  for (let offset = 0; offset < chunk.length; ) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}

// ── zip ────────────────────────────────────────────────────────────────────────────────────────

async function unpackZip(file: string, tree: Tree): Promise<void> {
  // decodeStrings: false, so that names reach our own checks undecided (yauzl's would refuse some
  // with less helpful messages, and turn backslashes into slashes after checking).
  const zip = await yauzl.openPromise(file, { lazyEntries: true, validateEntrySizes: true, decodeStrings: false, autoClose: false });
  try {
    for (let entry = await nextZipEntry(zip); entry; entry = await nextZipEntry(zip)) await unpackZipEntry(zip, entry, tree);
  } finally {
    if (zip.isOpen) zip.close();
  }
}

function nextZipEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | undefined> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    const onEntry = (entry: yauzl.Entry): void => {
      done();
      resolve(entry);
    };
    const onEnd = (): void => {
      done();
      resolve(undefined);
    };
    const onError = (error: Error): void => {
      done();
      reject(error);
    };
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

async function unpackZipEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, tree: Tree): Promise<void> {
  const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true);
  // The upper 16 bits of the external attributes hold the Unix mode (file type and permissions)
  // when the zip was made on a Unix-like system; zero otherwise.
  const unixMode = entry.externalFileAttributes >>> 16;
  const type = unixMode & S_IFMT;
  if (type !== 0 && type !== S_IFREG && type !== S_IFDIR && type !== S_IFLNK) {
    throw invalid(`the entry ${quoteName(name)} is a ${SPECIAL_FILE_TYPES.get(type) ?? 'special file'}; a bundle holds only files, folders and links`);
  }
  if (type !== S_IFLNK && (type === S_IFDIR || /[\\/]$/.test(name))) return tree.directory(name);
  if (entry.isEncrypted()) throw invalid(`the entry ${quoteName(name)} is encrypted; make the archive without a password`);
  if (!entry.canDecodeFileData()) {
    throw invalid(`the entry ${quoteName(name)} uses compression method ${entry.compressionMethod}, which Wharf cannot read; make the zip with deflate (the usual method)`);
  }
  const content = () => zip.openReadStreamPromise(entry) as Promise<AsyncIterable<Buffer>>;
  if (type === S_IFLNK) return tree.symlink(name, await readLinkTarget(name, await content(), entry.crc32));
  return tree.file(name, unixMode, content, entry.crc32);
}

/** A zip stores a link's target as the entry's content. */
async function readLinkTarget(name: string, content: AsyncIterable<Buffer>, expectedCrc: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of content) {
    size += chunk.length;
    if (size > MAX_LINK_TARGET_BYTES) throw invalid(`the link ${quoteName(name)} has a link target longer than ${MAX_LINK_TARGET_BYTES} bytes`);
    chunks.push(chunk);
  }
  const target = Buffer.concat(chunks);
  if (crc32(target) !== expectedCrc) throw invalid(`the entry ${quoteName(name)} is corrupt (its CRC-32 does not match)`);
  return target.toString('utf8');
}

// ── tar ────────────────────────────────────────────────────────────────────────────────────────

async function unpackTar(file: string, gzipped: boolean, tree: Tree, limits: ExtractLimits): Promise<void> {
  const extract = tarStream.extract();
  const source = createReadStream(file);
  // Counts the tar stream itself: a small gzip can inflate to endless zero blocks, which hold no
  // entry and so would never reach the per-entry limits.
  const cap = limits.maxBytes + (limits.maxFiles + 1) * TAR_FRAMING_BYTES_PER_ENTRY;
  let seen = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > cap) callback(invalid(`it unpacks to more than ${cap} bytes of tar data; leave large or generated files out of the bundle (.ebignore)`));
      else callback(null, chunk);
    },
  });
  const feed = gzipped
    ? pipeline(source, createGunzip(), meter, (error) => error && extract.destroy(error))
    : pipeline(source, meter, (error) => error && extract.destroy(error));
  feed.pipe(extract);
  // A broken archive destroys the entry being read with a bare "Stream was destroyed"; the reason
  // is the error the extractor itself failed with.
  let archiveError: unknown;
  extract.on('error', (error) => {
    archiveError ??= error;
  });
  try {
    for await (const entry of extract) {
      const { header } = entry;
      switch (header.type) {
        case 'file':
        case 'contiguous-file':
          await tree.file(header.name, header.mode ?? 0, async () => entry as AsyncIterable<Buffer>);
          break;
        case 'directory':
          await tree.directory(header.name);
          break;
        case 'symlink':
          await tree.symlink(header.name, header.linkname ?? '');
          break;
        case 'link':
          await tree.hardLink(header.name, header.linkname ?? '');
          break;
        default: {
          const kind = (header.type && TAR_SPECIAL_TYPES[header.type]) ?? `entry of type ${JSON.stringify(header.type ?? 'unknown')}`;
          throw invalid(`the entry ${quoteName(header.name)} is a ${kind}; a bundle holds only files, folders and links`);
        }
      }
      // Whatever a non-file entry carries is skipped.
      entry.resume();
    }
  } catch (error) {
    throw error instanceof WharfError || archiveError === undefined ? error : archiveError;
  } finally {
    source.destroy();
  }
}
