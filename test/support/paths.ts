/** Paths of the repository, from compiled test files (dist/test/...) as well as sources. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'wharf') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the wharf repository root above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** The repository root (where package.json is). */
export const REPO_ROOT = findRoot();
/** The `wharf` executable. */
export const WHARF_BIN = path.join(REPO_ROOT, 'bin', 'wharf.js');
