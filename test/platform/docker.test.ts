/**
 * A Docker platform environment end to end: the version's Dockerfile builds an image on a real
 * Docker Engine, a `wharf agent --driver docker` runs it, and the router serves it at its host name.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { startTestCluster } from '../support/cluster.js';
import { startTestRouter } from '../support/router.js';
import { NODE_IMAGE, NODE_IN_IMAGE, useDocker } from '../support/docker.js';
import { tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';
import { EB, createVersion, httpGet, readyOn } from './support.js';

test('a Docker app: its image is built per version, runs under the docker driver and answers through the router', async (t) => {
  const engine = await useDocker(t);
  const cluster = await startTestCluster(t, { serviceSettleMs: 500, dockerHost: `unix://${engine.socketPath}` });
  await cluster.startAgent({ hostId: 'docker-host', driver: 'docker', dockerSocket: engine.socketPath, cpu: 2048, memory: 2048 });
  const router = await startTestRouter(t, cluster.controller);

  const source = path.join(await tempDir(t), 'docker-app');
  await mkdir(path.join(source, '.ebextensions'), { recursive: true });
  await writeFile(
    path.join(source, 'server.js'),
    `require('http').createServer((q, r) => r.end('docker ' + (process.env.GREETING || '') + ' on ' + process.env.PORT + '\\n')).listen(Number(process.env.PORT), '0.0.0.0');\n`,
  );
  await writeFile(path.join(source, 'Dockerfile'), `FROM ${NODE_IMAGE}\nCOPY server.js /app/server.js\nEXPOSE 3000\nCMD ["${NODE_IN_IMAGE}", "/app/server.js"]\n`);
  await writeFile(
    path.join(source, '.ebextensions', 'health.config'),
    'option_settings:\n  aws:elasticbeanstalk:environment:process:default:\n    HealthCheckInterval: 5\n    HealthCheckTimeout: 2\n    HealthyThresholdCount: 2\n    DeregistrationDelay: 1\n',
  );
  const version = await createVersion(cluster, t, 'boxed', 'd1', source);
  assert.equal(version.ApplicationVersion.Platform, 'docker');

  await cluster.api('POST', `${EB}/CreateEnvironment`, {
    ApplicationName: 'boxed',
    EnvironmentName: 'boxed-env',
    VersionLabel: 'd1',
    OptionSettings: [
      { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '2' },
      { Namespace: 'aws:elasticbeanstalk:application:environment', OptionName: 'GREETING', Value: 'hello' },
    ],
  });
  await readyOn(cluster, 'boxed-env', 'd1');
  const port = await waitFor('the router to serve listener 80', () => router.address(80)?.port);
  await waitFor('the app to answer at boxed-env.localhost', async () => (await httpGet(port, '/', 'boxed-env.localhost')).status === 200, { timeoutMs: 30_000 });
  assert.equal((await httpGet(port, '/', 'boxed-env.localhost')).text, 'docker hello on 3000\n', 'the image listens on its EXPOSE port, which PORT names');
  const images = await engine.docker.listImages({ filters: { reference: ['wharf-app/boxed'] } });
  assert.equal(images.length, 1, 'one image for the version');
  const { InstanceHealthList } = await cluster.api('POST', `${EB}/DescribeInstancesHealth`, { EnvironmentName: 'boxed-env' });
  assert.equal(InstanceHealthList.length, 2);
});
