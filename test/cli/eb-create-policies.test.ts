// A new environment made by `wharf eb create` (the EB CLI's defaults) switches to Immutable, then to
// TrafficSplitting, through `wharf elasticbeanstalk update-environment` and the AWS CLI's shorthand.
// (The defaults themselves, and a classic load balancer's refusal: eb-create-defaults.test.ts.)
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

describe('wharf eb create: the deployment policies a new environment can take', () => {
  const scope = suiteScope();
  let cluster: TestCluster;
  let env: Record<string, string>;
  before(async () => {
    cluster = await startTestCluster(scope, { serviceSettleMs: 500 });
    await cluster.startAgent({ hostId: 'eb-policies-host' });
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

  test('it switches to Immutable, then TrafficSplitting (wharf elasticbeanstalk update-environment, shorthand option settings)', async () => {
    dir = await tempDir(scope, 'wharf-eb-policies-');
    assertOk(await wharf(['eb', 'init', 'defaults-app', '-p', 'nodejs']), 'init');
    assertOk(await wharf(['eb', 'create', 'defaults-dev', '--sample'], WAITING_COMMAND_MS), 'create');

    for (const policy of ['Immutable', 'TrafficSplitting']) {
      const update = await wharf(['elasticbeanstalk', 'update-environment', '--environment-name', 'defaults-dev', '--option-settings', `Namespace=aws:elasticbeanstalk:command,OptionName=DeploymentPolicy,Value=${policy}`]);
      assertOk(update, `switching to ${policy}`);
      assert.equal((await settings('defaults-dev'))('aws:elasticbeanstalk:command', 'DeploymentPolicy'), policy);
      if (policy === 'Immutable') {
        // The AWS CLI's waiter, before the next update (one operation at a time).
        const waited = await runWharf(['elasticbeanstalk', 'wait', 'environment-updated', '--environment-names', 'defaults-dev'], { cwd: dir, env: { ...env, WHARF_WAIT_DELAY_SECONDS: '1' }, timeoutMs: WAITING_COMMAND_MS });
        assertOk(waited, 'wait environment-updated');
        const status = await wharf(['elasticbeanstalk', 'describe-environments', '--environment-names', 'defaults-dev', '--query', 'Environments[0].Status', '--output', 'text']);
        assert.equal(status.stdout, 'Ready\n');
      }
    }
  });
});
