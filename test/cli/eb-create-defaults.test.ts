// `wharf eb create` takes the EB CLI's defaults (an application load balancer, enhanced health), so
// a new environment can switch to Immutable and TrafficSplitting; `--elb-type classic` cannot. The
// updates go through `wharf elasticbeanstalk update-environment` with the AWS CLI's shorthand.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { assertOk, WAITING_COMMAND_MS } from '../support/cli.js';
import type { EbCliProject } from '../support/eb-cli.js';
import { startEbCliProject } from '../support/eb-cli.js';
import { suiteScope } from '../support/temp.js';

describe('wharf eb create: the EB CLI defaults', () => {
  const scope = suiteScope();
  let project: EbCliProject;
  before(async () => {
    project = await startEbCliProject(scope, { hostId: 'eb-defaults-host', prefix: 'wharf-eb-defaults-' });
  });
  const wharf: EbCliProject['wharf'] = (...args) => project.wharf(...args);
  const settings = (environment: string) => project.settings('defaults-app', environment);

  test('bad flags are refused before anything is packed; the new environment has an application load balancer and enhanced health', async () => {
    assertOk(await wharf(['eb', 'init', 'defaults-app', '-p', 'nodejs']), 'init');

    // Bad flags are refused before anything is packed or created.
    for (const [args, pattern] of [
      [['--elb-type', 'gateway'], /--elb-type takes classic, application, network, not "gateway"/],
      [['--single', '--elb-type', 'application'], /--elb-type needs a load-balanced environment/],
      [['-im', '3', '-ix', '2'], /-im\/--min-instances 3 is above -ix\/--max-instances 2/],
      [['--tags', 'novalue'], /--tags takes NAME=value pairs/],
    ] as const) {
      const refused = await wharf(['eb', 'create', 'never-made', '--sample', ...args]);
      assert.equal(refused.code, 1, refused.stderr);
      assert.match(refused.stderr, pattern);
    }

    const created = await wharf(['eb', 'create', 'defaults-dev', '--sample', '-i', 't3.small', '-im', '1', '-ix', '2', '--tags', 'team=web,env=dev', '--process'], WAITING_COMMAND_MS);
    assertOk(created, 'create');
    assert.match(created.stdout, /^Environment defaults-dev is Ready .* on version sample-app-\d{6}_\d{6}/m);

    const setting = await settings('defaults-dev');
    assert.equal(setting('aws:elasticbeanstalk:environment', 'LoadBalancerType'), 'application');
    assert.equal(setting('aws:elasticbeanstalk:healthreporting:system', 'SystemType'), 'enhanced');
    assert.equal(setting('aws:autoscaling:launchconfiguration', 'InstanceType'), 't3.small');
    assert.equal(setting('aws:autoscaling:asg', 'MinSize'), '1');
    assert.equal(setting('aws:autoscaling:asg', 'MaxSize'), '2');
    const tags = JSON.parse((await wharf(['--json', 'elasticbeanstalk', 'describe-environments', '--environment-names', 'defaults-dev'])).stdout).Environments[0];
    assert.ok(tags, 'the environment is described');
  });

  test('with --elb-type classic (the API\'s own default), TrafficSplitting is refused', async () => {

    // A classic load balancer, as the API's own default gives, cannot split traffic.
    const classic = await wharf(['eb', 'create', 'classic-dev', '--sample', '--elb-type', 'classic'], WAITING_COMMAND_MS);
    assertOk(classic, 'create --elb-type classic');
    assert.equal((await settings('classic-dev'))('aws:elasticbeanstalk:environment', 'LoadBalancerType'), 'classic');
    const refused = await wharf(['elasticbeanstalk', 'update-environment', '--environment-name', 'classic-dev', '--option-settings', 'Namespace=aws:elasticbeanstalk:command,OptionName=DeploymentPolicy,Value=TrafficSplitting']);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /DeploymentPolicy TrafficSplitting \(set through the API\) needs an Application Load Balancer: .*LoadBalancerType to application \(it is classic/);
  });
});
