/**
 * `wharf eb create --sample`: the EB CLI launches AWS's sample application; Wharf's is written
 * here, a Node.js page that says the environment works, packed like any project folder.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** The version label of the sample, as the EB CLI shows it. */
export const SAMPLE_LABEL = 'Sample Application';

const SERVER = `const http = require('node:http');
const port = Number(process.env.PORT || 8080);
http
  .createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><title>Wharf sample</title><h1>Congratulations</h1><p>Your Wharf environment is running the sample application.</p>');
  })
  .listen(port, () => console.log('sample application listening on ' + port));
`;

/** Writes the sample application in a new temporary folder and returns its path. */
export async function writeSampleApplication(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wharf-eb-sample-'));
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'wharf-sample', version: '1.0.0', private: true, scripts: { start: 'node server.js' } }, null, 2) + '\n');
  await writeFile(path.join(dir, 'server.js'), SERVER);
  return dir;
}
