/**
 * Small file helpers shared by the processes, and how Wharf keeps its data folders private: every
 * folder it creates for its data is 0700 and every file it writes there 0600 (they hold
 * environment values, credentials and the database in clear).
 */
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';

/** The mode of every folder Wharf creates for its data: its owner's only. */
export const PRIVATE_DIR_MODE = 0o700;
/** The mode of every file Wharf writes in its data folders. */
export const PRIVATE_FILE_MODE = 0o600;
/** The umask of a server process (controller, agent, router, `wharf up`): what it creates is its own. */
export const PRIVATE_UMASK = 0o077;

/** A text file's content, or undefined when it does not exist; any other failure is thrown. */
export async function readOptionalText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Creates a data folder (and missing parents) 0700, and tightens an existing one so that no one else
 * may list or write it (a folder an older Wharf made 0755). Search permission (x) that others have
 * is kept: it is how the unprivileged task user reaches its own folders inside (`allowTraversal` in
 * src/users.ts), and it lets no one read a name they do not know. Use it for every folder Wharf
 * keeps data in.
 */
export async function makePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  await chmod(dir, PRIVATE_DIR_MODE | ((await stat(dir)).mode & SEARCH_BY_OTHERS));
}

/** `makePrivateDir`, synchronously. */
export function makePrivateDirSync(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  tightenDirSync(dir);
}

/** The tightening of `makePrivateDir` alone, for a folder that exists. */
export function tightenDirSync(dir: string): void {
  chmodSync(dir, PRIVATE_DIR_MODE | (statSync(dir).mode & SEARCH_BY_OTHERS));
}

/** Search (x) for group and others: passing through a folder, not listing it. */
const SEARCH_BY_OTHERS = 0o011;

/**
 * Writes a file only its owner may read: created 0600, and an existing one tightened too (the
 * `mode` of writeFile applies only when it creates the file).
 */
export async function writePrivateFile(file: string, data: string | Uint8Array): Promise<void> {
  await writeFile(file, data, { mode: PRIVATE_FILE_MODE });
  await chmod(file, PRIVATE_FILE_MODE);
}

/** `writePrivateFile`, synchronously. */
export function writePrivateFileSync(file: string, data: string | Uint8Array, options: { flush?: boolean } = {}): void {
  writeFileSync(file, data, { mode: PRIVATE_FILE_MODE, ...options });
  chmodSync(file, PRIVATE_FILE_MODE);
}

let inheritedUmask: number | undefined;

/**
 * Makes everything this process creates private from now on (umask 077): files that name no mode
 * (SQLite's -wal and -shm, artifacts, build output, logs) come out 0600, folders 0700. Call it once
 * at the start of a server process (controller, agent, router, `wharf up`), never in the CLI, whose
 * files are the user's. The umask it replaces is kept for the programs users run
 * (`childUmask`).
 */
export function usePrivateUmask(): void {
  const previous = process.umask(PRIVATE_UMASK);
  inheritedUmask ??= previous;
}

/**
 * The umask the programs of users' tasks should run with: the one this process started with when
 * `usePrivateUmask` replaced it, else undefined (they inherit this process's own).
 */
export function childUmask(): number | undefined {
  return inheritedUmask;
}
