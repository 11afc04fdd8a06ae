// A new environment made by `wharf eb create` (the EB CLI's defaults) switches to Immutable, then to
// TrafficSplitting, through `wharf elasticbeanstalk update-environment` and the AWS CLI's shorthand.
// (The defaults themselves, and a classic load balancer's refusal: eb-create-defaults.test.ts.)
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { assertOk, WAITING_COMMAND_MS } from '../support/cli.js';
import type { EbCliProject } from '../support/eb-cli.js';
import { startEbCliProject } from '../support/eb-cli.js';
import { suiteScope } from '../support/temp.js';

describe('wharf eb create: the deployment policies a new environment can take', () => {
  const scope = suiteScope();
  let project: EbCliProject;
  before(async () => {
    project = await startEbCliProject(scope, { hostId: 'eb-policies-host', prefix: 'wharf-eb-policies-' });
  });
  const wharf: EbCliProject['wharf'] = (...args) => project.wharf(...args);
  const settings = (environment: string) => project.settings('defaults-app', environment);

  test('it switches to Immutable, then TrafficSplitting (wharf elasticbeanstalk update-environment, shorthand option settings)', async () => {
    assertOk(await wharf(['eb', 'init', 'defaults-app', '-p', 'nodejs']), 'init');
    assertOk(await wharf(['eb', 'create', 'defaults-dev', '--sample'], WAITING_COMMAND_MS), 'create');

    for (const policy of ['Immutable', 'TrafficSplitting']) {
      const update = await wharf(['elasticbeanstalk', 'update-environment', '--environment-name', 'defaults-dev', '--option-settings', `Namespace=aws:elasticbeanstalk:command,OptionName=DeploymentPolicy,Value=${policy}`]);
      assertOk(update, `switching to ${policy}`);
      assert.equal((await settings('defaults-dev'))('aws:elasticbeanstalk:command', 'DeploymentPolicy'), policy);
      if (policy === 'Immutable') {
        // The AWS CLI's waiter, before the next update (one operation at a time).
        const waited = await wharf(['elasticbeanstalk', 'wait', 'environment-updated', '--environment-names', 'defaults-dev'], WAITING_COMMAND_MS, { WHARF_WAIT_DELAY_SECONDS: '1' });
        assertOk(waited, 'wait environment-updated');
        const status = await wharf(['elasticbeanstalk', 'describe-environments', '--environment-names', 'defaults-dev', '--query', 'Environments[0].Status', '--output', 'text']);
        assert.equal(status.stdout, 'Ready\n');
      }
    }
  });
});
