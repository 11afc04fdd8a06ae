/**
 * The build's last step (`npm run build`, after `tsc`): writes each AWS-named group's routes and
 * request shapes, read from Wharf's own request schemas, as JSON beside the compiled CLI
 * (`dist/src/cli/aws/models/<group>.json`), so a command starts without loading zod (`model.ts`).
 * Build output: never committed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { modelFile, plainOperations } from './model.js';
import { AWS_SERVICES } from './services.js';

for (const service of AWS_SERVICES) {
  const file = fileURLToPath(modelFile(service.group));
  mkdirSync(new URL('.', modelFile(service.group)), { recursive: true });
  writeFileSync(file, JSON.stringify(await plainOperations(service)));
}
