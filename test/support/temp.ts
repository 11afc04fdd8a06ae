/** Temporary folders for tests, removed when the test (or suite) that made them ends. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import type { TestContext } from 'node:test';

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
