/** Wharf's version, from package.json (read once at start). */
import { readFileSync } from 'node:fs';

/** The package.json sits two folders above this file both in src/ and in dist/src/. */
function readVersion(): string {
  for (const relative of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'wharf' && pkg.version) return pkg.version;
    } catch {
      // try the next place
    }
  }
  return '0.0.0-unknown';
}

export const WHARF_VERSION = readVersion();
