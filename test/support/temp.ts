/** Temporary folders for tests, removed when the test (or suite) that made them ends. */
import { chown, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import type { TestContext } from 'node:test';
import { DEFAULT_TASK_USER, lookupUser, runningAsRoot } from '../../src/users.js';

/** Anything with an `after` hook: a TestContext, or a suite via `{ after }` from node:test. */
export interface CleanupScope {
  after(fn: () => Promise<void> | void): void;
}

/** A fresh folder under the OS temp folder, removed after `scope`. */
export async function tempDir(scope: CleanupScope | TestContext, prefix = 'wharf-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  scope.after(() => rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 }));
  return dir;
}

/**
 * A fresh folder that process tasks may read and write, as a folder of the user's own would be: an
 * agent running as root runs them as its task user, so the folder is handed to that user.
 */
export async function taskDir(scope: CleanupScope | TestContext, prefix = 'wharf-test-'): Promise<string> {
  const dir = await tempDir(scope, prefix);
  if (runningAsRoot()) {
    const user = lookupUser(DEFAULT_TASK_USER);
    if ('error' in user) throw new Error(`${user.error}: run scripts/install-deps.sh (as root) to create it`);
    await chown(dir, user.uid, user.gid);
  }
  return dir;
}

/**
 * A cleanup scope for a `describe` block: call it in the block's body (not in a hook); what is
 * registered on it runs, last first, after the block's tests.
 */
export function suiteScope(): CleanupScope {
  const cleanups: (() => Promise<void> | void)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
  return { after: (fn) => void cleanups.push(fn) };
}
