/** A Python app end to end: detected from its files, built into a virtualenv, run as a SingleInstance environment. */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { startTestCluster } from '../support/cluster.js';
import { tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';
import { EB, createVersion, readyOn } from './support.js';

/** Only the standard library: answers `/` with its greeting and `/env/NAME` with a variable, on $PORT. */
const APPLICATION_PY = `import os
from http.server import BaseHTTPRequestHandler, HTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.startswith('/env/'):
            body = os.environ.get(self.path[5:], '')
        else:
            body = 'python ' + os.environ.get('GREETING', '') + '\\n'
        data = body.encode()
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        pass


HTTPServer(('127.0.0.1', int(os.environ['PORT'])), Handler).serve_forever()
`;

test('a Python app (application.py on the standard library, requirements.txt with only comments) answers as a SingleInstance environment', async (t) => {
  const cluster = await startTestCluster(t, { serviceSettleMs: 500 });
  await cluster.startAgent({ hostId: 'py-host' });
  const source = path.join(await tempDir(t), 'py-app');
  await mkdir(source, { recursive: true });
  await writeFile(path.join(source, 'application.py'), APPLICATION_PY);
  await writeFile(path.join(source, 'requirements.txt'), '# nothing beyond the standard library\n\n# (http.server)\n');

  const { ApplicationVersion } = await createVersion(cluster, t, 'py', 'p1', source);
  assert.equal(ApplicationVersion.Platform, 'python');
  assert.equal(ApplicationVersion.Status, 'Processed');
  const created = await cluster.api('POST', `${EB}/CreateEnvironment`, {
    ApplicationName: 'py',
    EnvironmentName: 'py-env',
    VersionLabel: 'p1',
    OptionSettings: [
      { Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'EnvironmentType', Value: 'SingleInstance' },
      { Namespace: 'aws:elasticbeanstalk:application:environment', OptionName: 'GREETING', Value: 'from-python' },
    ],
  });
  assert.equal(created.SolutionStackName, 'Python running on Wharf');
  const ready = await readyOn(cluster, 'py-env', 'p1');
  assert.match(ready.URL, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const answer = await waitFor('the Python app answers', async () => {
    const response = await fetch(ready.URL).catch(() => undefined);
    return response?.ok ? response.text() : undefined;
  }, { timeoutMs: 30_000 });
  assert.equal(answer, 'python from-python\n');
  assert.match(await fetch(`${ready.URL}env/VIRTUAL_ENV`).then((r) => r.text()), /\/venv$/, 'it runs in the version’s virtualenv');
  const { Events } = await cluster.api('POST', `${EB}/DescribeEvents`, { EnvironmentName: 'py-env' });
  assert.ok(Events.some((e: any) => e.Message === 'Building version p1 (python).'), Events.map((e: any) => e.Message).join('\n'));
});
