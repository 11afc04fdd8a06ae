/**
 * Path rules shared by unpacking (the controller's `platform/bundles/extract.ts`) and packing
 * (`pack.ts`) a source bundle: how an entry's name becomes a path inside the bundle's folder,
 * whether a link's target stays inside, and the mode a file gets. Pure string and number work, no
 * I/O. Backslashes count as folder separators, as in zips made on Windows.
 */

/** Longest single path component Linux accepts (NAME_MAX), in bytes. */
export const MAX_NAME_BYTES = 255;
/** Longest link target Linux accepts (PATH_MAX less the final NUL), in bytes. */
export const MAX_LINK_TARGET_BYTES = 4095;
/** A file's mode after unpacking, before its executable bits. */
const FILE_MODE = 0o644;
/** The executable bits a file keeps from its archive entry. */
const EXECUTABLE_BITS = 0o111;
/** Longest entry name quoted in an error message; longer ones are cut with an ellipsis. */
const MAX_QUOTED_CHARS = 160;

/** An entry name turned into path components, or the reason it cannot be one. */
export type SplitName = { readonly segments: readonly string[] } | { readonly problem: string };

/** Quotes an archive name for a message: JSON quoting shows NULs and control characters; long names are cut. */
export function quoteName(name: string): string {
  return JSON.stringify(name.length > MAX_QUOTED_CHARS ? `${name.slice(0, MAX_QUOTED_CHARS)}…` : name);
}

/** True for `/x`, `\x`, `C:\x` and `C:x`: names that do not start inside the folder they are unpacked in. */
export function isAbsoluteName(name: string): boolean {
  return /^[\\/]/.test(name) || /^[a-zA-Z]:/.test(name);
}

/**
 * Turns an archive entry's name into its path components below the bundle's root, resolving `.`
 * and `..` as text (`a/../b` is `b`). Refuses NULs, absolute names and any `..` that would climb
 * above the root. An empty list means the root itself (`./`).
 */
export function splitEntryName(name: string): SplitName {
  if (name.includes('\0')) return { problem: 'has a NUL character in its name; rename the file' };
  if (isAbsoluteName(name)) {
    return { problem: 'is an absolute path (it starts with "/", "\\" or a drive letter); store paths relative to the project folder' };
  }
  const segments: string[] = [];
  for (const part of name.split(/[\\/]/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (segments.length === 0) return { problem: 'climbs out of the bundle\'s folder with ".."; store paths inside the project folder' };
      segments.pop();
      continue;
    }
    segments.push(part);
  }
  return { segments };
}

/**
 * Checks a symbolic link's target as text, relative to the folder holding the link (`linkSegments`
 * are the link's own path components). Returns why the target is refused, or undefined when it
 * stays inside the root at every step. Links through other links are checked separately, once all
 * links are known (see `resolvesInside`).
 */
export function linkTargetProblem(linkSegments: readonly string[], target: string): string | undefined {
  const outside = `points to ${quoteName(target)}, outside the bundle's folder; make it point inside the project, or store the file itself`;
  if (target === '') return 'has an empty link target';
  if (target.includes('\0')) return 'has a NUL character in its link target';
  if (Buffer.byteLength(target) > MAX_LINK_TARGET_BYTES) return `has a link target longer than ${MAX_LINK_TARGET_BYTES} bytes`;
  if (isAbsoluteName(target)) return outside;
  const stack = linkSegments.slice(0, -1);
  for (const part of target.split(/[\\/]/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (stack.length === 0) return outside;
      stack.pop();
    } else {
      stack.push(part);
    }
  }
  return undefined;
}

/** How many links one path may pass through before Linux gives up with ELOOP. */
export const MAX_LINK_HOPS = 40;

/**
 * Follows a link's target through the other links of the tree (`links`: path → target, paths
 * joined with `/`), as the kernel would, and says whether it ends inside the root: `inside`,
 * `outside`, or `loop` when it passes through more than MAX_LINK_HOPS links. Components that are
 * not links are taken as folders, which can only make the answer stricter.
 */
export function resolvesInside(links: ReadonlyMap<string, string>, linkSegments: readonly string[], target: string): 'inside' | 'outside' | 'loop' {
  const stack = linkSegments.slice(0, -1);
  const pending = target.split(/[\\/]/);
  let hops = 0;
  for (let part = pending.shift(); part !== undefined; part = pending.shift()) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (stack.length === 0) return 'outside';
      stack.pop();
      continue;
    }
    stack.push(part);
    const next = links.get(stack.join('/'));
    if (next === undefined) continue;
    if (++hops > MAX_LINK_HOPS) return 'loop';
    if (isAbsoluteName(next)) return 'outside';
    stack.pop();
    pending.unshift(...next.split(/[\\/]/));
  }
  return 'inside';
}

/** The mode an unpacked file gets: readable by everyone, executable where the archive says so, never setuid, setgid or sticky. */
export function unpackedFileMode(archiveMode: number): number {
  return FILE_MODE | (archiveMode & EXECUTABLE_BITS);
}
