/**
 * SwapEnvironmentCNAMEs' bad input: each refusal names the field and the fix, and changes neither
 * the environments' CNAMEs nor the router's host rules.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import type { TestCluster } from '../support/cluster.js';
import { startTestCluster } from '../support/cluster.js';
import { startTestRouter } from '../support/router.js';
import { tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';
import { EB, createVersion, environment, FAST_HEALTH, readyOn, writeNodeApp } from './support.js';

/** The environments' CNAMEs and the router's host rules: what a refused swap must leave as it was. */
async function routing(cluster: TestCluster): Promise<string> {
  const { Environments } = await cluster.api('POST', `${EB}/DescribeEnvironments`, {});
  const { Rules } = await cluster.api('POST', '/v1/elbv2/DescribeRules', {});
  return JSON.stringify({
    cnames: Environments.map((e: any) => [e.EnvironmentName, e.CNAME, e.VersionLabel]).sort(),
    rules: Rules.map((r: any) => [r.RuleArn, r.Conditions, r.Actions]).sort(),
  });
}

test('bad swaps are refused with the field and the fix, and change nothing: same environment, mixed ids and names, another application, a SingleInstance environment, one updating, one terminated', async (t) => {
  const cluster = await startTestCluster(t, { serviceSettleMs: 500 });
  await cluster.startAgent({ hostId: 'bgx-1' });
  await startTestRouter(t, cluster.controller);
  const source = path.join(await tempDir(t), 'app');
  await writeNodeApp(source, 'v1', { '.ebextensions/01-health.config': FAST_HEALTH });
  await createVersion(cluster, t, 'bgx', 'v1', source);
  await createVersion(cluster, t, 'other', 'v1', source);
  const single = [{ Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'EnvironmentType', Value: 'SingleInstance' }];
  await Promise.all([
    cluster.api('POST', `${EB}/CreateEnvironment`, { ApplicationName: 'bgx', EnvironmentName: 'bgx-blue', VersionLabel: 'v1' }),
    cluster.api('POST', `${EB}/CreateEnvironment`, { ApplicationName: 'bgx', EnvironmentName: 'bgx-green', VersionLabel: 'v1' }),
    cluster.api('POST', `${EB}/CreateEnvironment`, { ApplicationName: 'bgx', EnvironmentName: 'bgx-single', VersionLabel: 'v1', OptionSettings: single }),
    cluster.api('POST', `${EB}/CreateEnvironment`, { ApplicationName: 'other', EnvironmentName: 'other-env', VersionLabel: 'v1', OptionSettings: single }),
  ]);
  for (const name of ['bgx-blue', 'bgx-green', 'bgx-single', 'other-env']) await readyOn(cluster, name, 'v1');
  const unchanged = await routing(cluster);
  const swap = (body: Record<string, string>) => cluster.controller.call('POST', `${EB}/SwapEnvironmentCNAMEs`, body);
  const refused = async (body: Record<string, string>, code: string, field: string, message: RegExp) => {
    const answer = await swap(body);
    assert.equal(answer.status >= 400 && answer.status < 500, true, `${JSON.stringify(body)}: ${answer.text}`);
    assert.equal(answer.json.code, code, answer.text);
    assert.match(answer.json.detail, message);
    if (field) assert.deepEqual(answer.json.errors?.map((e: any) => e.field), [field], answer.text);
    assert.equal(await routing(cluster), unchanged, `${JSON.stringify(body)} changed nothing`);
  };
  const blue = await environment(cluster, 'bgx-blue');

  await refused({ SourceEnvironmentName: 'bgx-blue', DestinationEnvironmentName: 'bgx-blue' }, 'WHARF_E_VALIDATION', 'DestinationEnvironmentName', /names the source environment bgx-blue itself/);
  await refused({ SourceEnvironmentId: blue.EnvironmentId, DestinationEnvironmentName: 'bgx-green' }, 'WHARF_E_VALIDATION', 'DestinationEnvironmentName', /SourceEnvironmentId with DestinationEnvironmentId, or SourceEnvironmentName with DestinationEnvironmentName/);
  await refused({ SourceEnvironmentName: 'bgx-blue' }, 'WHARF_E_VALIDATION', 'DestinationEnvironmentName', /Name the destination environment/);
  await refused({ SourceEnvironmentName: 'bgx-blue', DestinationEnvironmentName: 'other-env' }, 'WHARF_E_CNAME_SWAP_REFUSED', 'DestinationEnvironmentName', /other-env belongs to application other, bgx-blue to bgx\. Swap between two environments of one application/);
  await refused({ SourceEnvironmentName: 'bgx-single', DestinationEnvironmentName: 'bgx-blue' }, 'WHARF_E_CNAME_SWAP_REFUSED', 'SourceEnvironmentName', /bgx-single is a SingleInstance environment: it answers at its own address .* not at a host name on the router/);
  await refused({ SourceEnvironmentName: 'bgx-blue', DestinationEnvironmentName: 'nowhere' }, 'WHARF_E_ENVIRONMENT_NOT_FOUND', '', /No running environment is named or numbered nowhere/);

  // One of them updating: refused until it is Ready.
  await cluster.api('POST', `${EB}/UpdateEnvironment`, { EnvironmentName: 'bgx-green', VersionLabel: 'v1' });
  const updating = await swap({ SourceEnvironmentName: 'bgx-blue', DestinationEnvironmentName: 'bgx-green' });
  assert.equal(updating.status, 409);
  assert.equal(updating.json.code, 'WHARF_E_OPERATION_IN_PROGRESS');
  assert.match(updating.json.detail, /Environment bgx-green is Updating: deploy is in progress/);
  await readyOn(cluster, 'bgx-green', 'v1');
  assert.equal(await routing(cluster), unchanged);

  // One of them terminated: it no longer exists for a swap.
  await cluster.api('POST', `${EB}/TerminateEnvironment`, { EnvironmentName: 'bgx-green' });
  const terminating = await swap({ SourceEnvironmentName: 'bgx-blue', DestinationEnvironmentName: 'bgx-green' });
  assert.equal(terminating.json.code, 'WHARF_E_OPERATION_IN_PROGRESS', terminating.text);
  await waitFor('bgx-green terminated', async () => (await environment(cluster, 'bgx-green')).Status === 'Terminated', { timeoutMs: 30_000 });
  const gone = await swap({ SourceEnvironmentName: 'bgx-blue', DestinationEnvironmentName: 'bgx-green' });
  assert.equal(gone.json.code, 'WHARF_E_ENVIRONMENT_NOT_FOUND', gone.text);
  assert.equal((await environment(cluster, 'bgx-blue')).CNAME, 'bgx-blue.localhost', 'blue keeps its name');
});
