/**
 * Packing a project folder into a source bundle (a zip), as the EB CLI does for `eb deploy`:
 * `.ebignore` at the root if there is one, else the `.gitignore` files (the root's and those of
 * subfolders), say what stays out; `.git`, and at the root `.elasticbeanstalk` and `.wharf`, always
 * stay out. The zip is deterministic: entries sorted by path, one fixed timestamp, modes reduced
 * to 0644/0755 (plus a file's executable bits), so the same folder always gives the same bytes and
 * therefore the same SHA-256 in the artifact store.
 *
 * Links inside the folder are stored as links (the entry's content is the target, as Info-ZIP
 * does); a link pointing outside the folder is refused, since unpacking would refuse it too.
 * Sockets, FIFOs and devices cannot be zipped and are left out.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, readdir, readlink, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ignore from 'ignore';
import type { Ignore } from 'ignore';
import yazl from 'yazl';
import { wharfError } from '../model/errors.js';
import { linkTargetProblem, quoteName, unpackedFileMode } from './names.js';
import { readOptionalText } from '../files.js';

/**
 * The modification time of every entry: the earliest a zip (DOS) timestamp can hold, built from
 * local fields so it encodes the same in every time zone.
 */
export const PACK_MTIME = new Date(1980, 0, 1, 0, 0, 0);
/** The EB CLI's own ignore file; when present, `.gitignore` files are not read. */
export const EBIGNORE_FILE = '.ebignore';
/** Git's ignore file, read at the root and in every subfolder when there is no `.ebignore`. */
export const GITIGNORE_FILE = '.gitignore';
/** Marks the temporary file a zip is written to before it is renamed to its name. */
export const PACK_TEMP_SUFFIX = '.packing-';
/** Folders at the root never packed: version control, the EB CLI's settings, Wharf's own data. */
export const ALWAYS_EXCLUDED_AT_ROOT: ReadonlySet<string> = new Set(['.git', '.elasticbeanstalk', '.wharf']);

/** What a pack wrote. */
export interface PackResult {
  /** Files and links in the zip (folders are not counted), as `extractBundle` counts them. */
  readonly files: number;
  /** Bytes of file content (before compression). */
  readonly bytes: number;
}

const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const DIR_MODE = 0o755;
const LINK_MODE = 0o777;

type Item =
  | { readonly kind: 'dir'; readonly rel: string }
  | { readonly kind: 'file'; readonly rel: string; readonly abs: string; readonly mode: number; readonly size: number }
  | { readonly kind: 'link'; readonly rel: string; readonly target: string };

/** Ignore rules read from one folder (`base`, '' for the root), matching paths relative to it. */
interface Rules {
  readonly base: string;
  readonly matcher: Ignore;
}

interface Walk {
  readonly root: string;
  /** The zip being written, when it lies inside the folder: never packed into itself. */
  readonly outFile: string;
  /** Whether subfolders' `.gitignore` files count (no `.ebignore`). */
  readonly nestedGitignore: boolean;
  readonly items: Item[];
}

/**
 * Zips the project folder `dir` into `outFile` (replaced if it exists, and only once the new zip
 * is complete; a failed pack leaves none). Use it where the CLI deploys a folder; the result's counts match what `extractBundle`
 * will report for the zip.
 */
export async function packFolder(dir: string, outFile: string): Promise<PackResult> {
  const root = path.resolve(dir);
  const ebignore = await readOptionalText(path.join(root, EBIGNORE_FILE));
  const rootIgnore = ebignore ?? (await readOptionalText(path.join(root, GITIGNORE_FILE)));
  const walk: Walk = { root, outFile: path.resolve(outFile), nestedGitignore: ebignore === undefined, items: [] };
  await collect(walk, '', rootIgnore === undefined ? [] : [{ base: '', matcher: ignore({ ignorecase: false }).add(rootIgnore) }]);
  const items = walk.items.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));

  const zip = new yazl.ZipFile();
  const common = { mtime: PACK_MTIME, forceDosTimestamp: true };
  let files = 0;
  let bytes = 0;
  for (const item of items) {
    if (item.kind === 'dir') {
      zip.addEmptyDirectory(item.rel, { ...common, mode: S_IFDIR | DIR_MODE });
    } else if (item.kind === 'file') {
      zip.addReadStreamLazy(item.rel, { ...common, mode: S_IFREG | unpackedFileMode(item.mode), size: item.size }, (callback) =>
        callback(null, createReadStream(item.abs)),
      );
      files += 1;
      bytes += item.size;
    } else {
      zip.addBuffer(Buffer.from(item.target), item.rel, { ...common, mode: S_IFLNK | LINK_MODE, compress: false });
      files += 1;
    }
  }
  const failed = new Promise<never>((_, reject) => zip.once('error', reject));
  zip.end();
  const output = zip.outputStream as Readable;
  // Written beside the target and renamed once complete: a failed pack leaves no half zip.
  const temp = `${walk.outFile}${PACK_TEMP_SUFFIX}${randomBytes(6).toString('hex')}`;
  try {
    await Promise.race([pipeline(output, createWriteStream(temp, { flags: 'wx' })), failed]);
    await rename(temp, walk.outFile);
  } catch (error) {
    output.destroy();
    await rm(temp, { force: true });
    throw error;
  }
  return { files, bytes };
}

async function collect(walk: Walk, relDir: string, inherited: readonly Rules[]): Promise<void> {
  const absDir = relDir === '' ? walk.root : path.join(walk.root, ...relDir.split('/'));
  let rules = inherited;
  if (walk.nestedGitignore && relDir !== '') {
    const text = await readOptionalText(path.join(absDir, GITIGNORE_FILE));
    if (text !== undefined) rules = [...rules, { base: relDir, matcher: ignore({ ignorecase: false }).add(text) }];
  }
  for (const name of (await readdir(absDir)).sort()) {
    if (name === '.git' || (relDir === '' && ALWAYS_EXCLUDED_AT_ROOT.has(name))) continue;
    const rel = relDir === '' ? name : `${relDir}/${name}`;
    const abs = path.join(absDir, name);
    if (abs === walk.outFile || abs.startsWith(`${walk.outFile}${PACK_TEMP_SUFFIX}`)) continue;
    const info = await lstat(abs);
    if (isIgnored(rules, rel, info.isDirectory())) continue;
    if (info.isDirectory()) {
      walk.items.push({ kind: 'dir', rel });
      await collect(walk, rel, rules);
    } else if (info.isFile()) {
      walk.items.push({ kind: 'file', rel, abs, mode: info.mode, size: info.size });
    } else if (info.isSymbolicLink()) {
      const target = await readlink(abs);
      const problem = linkTargetProblem(rel.split('/'), target);
      if (problem) throw wharfError('WHARF_E_BUNDLE_INVALID', { reason: `the link ${quoteName(rel)} ${problem}` });
      walk.items.push({ kind: 'link', rel, target });
    }
  }
}

function isIgnored(rules: readonly Rules[], rel: string, isDirectory: boolean): boolean {
  return rules.some(({ base, matcher }) => {
    const below = base === '' ? rel : rel.slice(base.length + 1);
    return matcher.ignores(isDirectory ? `${below}/` : below);
  });
}

