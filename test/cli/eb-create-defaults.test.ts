// `wharf eb create` takes the EB CLI's defaults (an application load balancer, enhanced health), so
// a new environment can switch to Immutable and TrafficSplitting; `--elb-type classic` cannot. The
// updates go through `wharf elasticbeanstalk update-environment` with the AWS CLI's shorthand.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { CliResult } from '../support/cli.js';
import { runWharf } from '../support/cli.js';
import type { TestCluster } from '../support/cluster.js';
import { startTestCluster } from '../support/cluster.js';
import { startTestRouter } from '../support/router.js';
import { suiteScope, tempDir } from '../support/temp.js';

const COMMAND_MS = 60_000;
const WAITING_COMMAND_MS = 100_000;

function assertOk(result: CliResult, what: string): void {
  assert.equal(result.code, 0, `${what} failed:\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
}

describe('wharf eb create: the EB CLI defaults', () => {
  const scope = suiteScope();
  let cluster: TestCluster;
  let env: Record<string, string>;
  before(async () => {
    cluster = await startTestCluster(scope, { serviceSettleMs: 500 });
    await cluster.startAgent({ hostId: 'eb-defaults-host' });
    // Load-balanced environments are Ready once the router sees their targets healthy.
    await startTestRouter(scope, cluster.controller);
    env = { WHARF_ENDPOINT: cluster.controller.url };
  });

  let dir: string;
  const wharf = (args: string[], timeoutMs = COMMAND_MS) => runWharf(args, { cwd: dir, env, timeoutMs });
  const settings = async (name: string) => {
    const res = await wharf(['--json', 'elasticbeanstalk', 'describe-configuration-settings', '--application-name', 'defaults-app', '--environment-name', name]);
    assertOk(res, 'describe-configuration-settings');
    const options = JSON.parse(res.stdout).ConfigurationSettings[0].OptionSettings as { Namespace: string; OptionName: string; Value?: string }[];
    return (namespace: string, option: string) => options.find((o) => o.Namespace === namespace && o.OptionName === option)?.Value;
  };

  test('bad flags are refused before anything is packed; the new environment has an application load balancer and enhanced health', async () => {
    dir = await tempDir(scope, 'wharf-eb-defaults-');
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
