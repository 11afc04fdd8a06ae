/**
 * The data-folder lock: one controller per SQLite data folder. The lock is a file
 * (`controller.lock`) holding the pid of the controller that owns the folder. A lock whose pid is
 * no longer running (the controller was killed) is stale and is taken over.
 */
import { linkSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writePrivateFileSync } from '../files.js';
import { wharfError } from '../model/errors.js';
import type { StoreLog } from './log.js';

/** The lock file's name inside the data folder. */
export const DATA_DIR_LOCK_FILE = 'controller.lock';

/** How many times to retry taking the lock after removing a stale one (another process may race us). */
const STALE_TAKEOVER_ATTEMPTS = 3;

/** A held data-folder lock. */
export interface DataDirLock {
  readonly file: string;
  /** Removes the lock file if it still names this process; safe to call more than once. */
  release(): void;
}

/**
 * Takes the data-folder lock for this process, or throws WHARF_E_DATA_DIR_LOCKED when a running
 * process holds it (this one included: one store per folder), or WHARF_E_DATA_DIR_NOT_WRITABLE when
 * the folder cannot be written. The folder must exist.
 */
export function lockDataDir(dataDir: string, log: StoreLog): DataDirLock {
  const file = join(dataDir, DATA_DIR_LOCK_FILE);
  // Write the pid to a private file first and link it into place: link fails if the lock exists,
  // and the lock is never seen empty or half-written.
  const staging = join(dataDir, `${DATA_DIR_LOCK_FILE}.${process.pid}.tmp`);
  try {
    writePrivateFileSync(staging, `${process.pid}\n`, { flush: true });
  } catch (cause) {
    throw notWritable(dataDir, cause);
  }
  try {
    for (let attempt = 0; attempt < STALE_TAKEOVER_ATTEMPTS; attempt++) {
      try {
        linkSync(staging, file);
        return { file, release: () => releaseLock(file) };
      } catch (cause) {
        if (errorCode(cause) !== 'EEXIST') throw notWritable(dataDir, cause);
      }
      const holder = readLockPid(file);
      if (holder !== undefined && processIsRunning(holder)) {
        throw wharfError('WHARF_E_DATA_DIR_LOCKED', { pid: holder, dataDir }, { context: { lockFile: file } });
      }
      log.warn({ lockFile: file, stalePid: holder ?? null }, 'taking over stale data-folder lock');
      removeIfPresent(file);
    }
    throw wharfError('WHARF_E_DATA_DIR_LOCKED', { pid: readLockPid(file) ?? 'unknown', dataDir }, { context: { lockFile: file } });
  } finally {
    removeIfPresent(staging);
  }
}

/** The pid written in a lock file, or undefined when the file is gone, empty or not a pid. */
export function readLockPid(file: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
  const pid = Number(text);
  return /^\d+$/.test(text) && Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

/** True when a process with this pid exists and is not a zombie (a killed child its parent has not reaped). */
export function processIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return errorCode(error) === 'EPERM';
  }
  try {
    // Field 3 of /proc/<pid>/stat is the state; the command name before it is in parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true; // No /proc (not Linux): trust kill(0).
  }
}

function releaseLock(file: string): void {
  if (readLockPid(file) === process.pid) removeIfPresent(file);
}

function removeIfPresent(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}

function notWritable(dataDir: string, cause: unknown) {
  return wharfError('WHARF_E_DATA_DIR_NOT_WRITABLE', { dataDir, reason: describeFsError(cause) }, { cause });
}

/** A short reason for a file-system error: its code and message. */
export function describeFsError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}
