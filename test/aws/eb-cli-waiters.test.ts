// The AWS CLI v2 (Debian's awscli), unmodified, against a controller with an agent: its Elastic
// Beanstalk waiters (`aws elasticbeanstalk wait environment-exists | environment-updated |
// environment-terminated`, the CLI's own polls of DescribeEnvironments) on one small
// SingleInstance environment.
//
// The waiters poll every 20 s. To keep the suite short, the CLI reads a copy of its own
// waiters-2.json with only `delay` set to 1 s (fastWaiters: AWS_DATA_PATH, ahead of the built-in
// data): the acceptors, which read Wharf's Status, are the CLI's. environment-terminated needs the
// terminated environment in DescribeEnvironments' answer, as EB gives it for an hour unless
// IncludeDeleted is false.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { awsCli, fastWaiters } from '../support/aws.js';
import { startTestCluster } from '../support/cluster.js';
import { credentialsFor } from '../support/signing.js';
import { tempDir } from '../support/temp.js';
import { createVersion, writeNodeApp } from '../platform/support.js';

test("the AWS CLI's Elastic Beanstalk waiters: environment-exists, environment-updated, environment-terminated", async (t) => {
  const cluster = await startTestCluster(t, { serviceSettleMs: 500 });
  await cluster.startAgent({ hostId: 'eb-waits' });
  const source = path.join(await tempDir(t), 'app');
  await writeNodeApp(source, 'w1');
  await createVersion(cluster, t, 'waits-app', 'w1', source);
  const aws = await awsCli(t, cluster.controller.url, credentialsFor(cluster.controller.url)!, { timeoutMs: 90_000 });
  const fast = await fastWaiters(t, ['elasticbeanstalk']);
  const status = async () => (await aws.ok(['elasticbeanstalk', 'describe-environments', '--environment-names', 'waits-env'])).Environments.map((e: any) => e.Status);

  const created = await aws.ok([
    'elasticbeanstalk', 'create-environment', '--application-name', 'waits-app', '--environment-name', 'waits-env', '--version-label', 'w1',
    '--option-settings', 'Namespace=aws:elasticbeanstalk:environment,OptionName=EnvironmentType,Value=SingleInstance',
  ]);
  assert.equal(created.Status, 'Launching');
  await aws.ok(['elasticbeanstalk', 'wait', 'environment-exists', '--environment-names', 'waits-env'], { env: fast });
  assert.deepEqual(await status(), ['Ready']);

  const updating = await aws.ok([
    'elasticbeanstalk', 'update-environment', '--environment-name', 'waits-env',
    '--option-settings', 'Namespace=aws:elasticbeanstalk:application:environment,OptionName=GREETING,Value=hi',
  ]);
  assert.equal(updating.Status, 'Updating');
  await aws.ok(['elasticbeanstalk', 'wait', 'environment-updated', '--environment-names', 'waits-env'], { env: fast });
  assert.deepEqual(await status(), ['Ready']);

  await aws.ok(['elasticbeanstalk', 'terminate-environment', '--environment-name', 'waits-env']);
  await aws.ok(['elasticbeanstalk', 'wait', 'environment-terminated', '--environment-names', 'waits-env'], { env: fast });
  assert.deepEqual(await status(), ['Terminated'], 'a terminated environment is answered for an hour, as EB');
  const live = await aws.ok(['elasticbeanstalk', 'describe-environments', '--environment-names', 'waits-env', '--no-include-deleted']);
  assert.deepEqual(live.Environments, [], 'and not with IncludeDeleted false');
});
