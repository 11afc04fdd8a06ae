#!/usr/bin/env node
// The `wharf` executable: runs the compiled program, src/main.ts (built by `npm install` through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/src/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  console.error('wharf: the compiled CLI is missing (dist/). Run `npm install` (or `npm run build`) in the wharf folder first.');
  process.exit(1);
}
await import(main.href);
