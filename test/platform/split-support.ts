/** Shared by the TrafficSplitting tests: a three-instance environment behind the router, and its deployments. */
import path from 'node:path';
import type { TestContext } from 'node:test';
import type { DeploymentRecord } from '../../src/model/service.js';
import type { TestCluster } from '../support/cluster.js';
import { startTestCluster } from '../support/cluster.js';
import { startTestRouter } from '../support/router.js';
import { tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';
import { EB, createVersion, FAST_HEALTH, readyOn, writeNodeApp } from './support.js';

const COMMAND = 'aws:elasticbeanstalk:command';
const SPLIT = 'aws:elasticbeanstalk:trafficsplitting';

/** The environment's service's newest deployment (the test runs one environment). */
export async function newestDeployment(cluster: TestCluster): Promise<DeploymentRecord | undefined> {
  const [service] = await cluster.controller.store.services.listLive();
  if (!service) return undefined;
  const [newest] = await cluster.controller.store.deployments.forService(service.cluster, service.serviceName, 1);
  return newest;
}

/** Three instances of `v1` on three hosts behind the router, Ready; answers the router's port. */
export async function splitEnvironment(t: TestContext, dataPlane: 'node' | 'haproxy' = 'node') {
  const cluster = await startTestCluster(t, { serviceSettleMs: 500 });
  for (const hostId of ['s1', 's2', 's3']) await cluster.startAgent({ hostId });
  const router = await startTestRouter(t, cluster.controller, { dataPlane });
  const source = path.join(await tempDir(t), 'app');
  const version = async (label: string, extra: Record<string, string> = {}) => {
    await writeNodeApp(source, label, { '.ebextensions/01-health.config': FAST_HEALTH, ...extra });
    await createVersion(cluster, t, 'split', label, source);
  };
  await version('v1');
  await cluster.api('POST', `${EB}/CreateEnvironment`, {
    ApplicationName: 'split',
    EnvironmentName: 'split-env',
    VersionLabel: 'v1',
    OptionSettings: [
      { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '3' },
      { Namespace: 'aws:elasticbeanstalk:healthreporting:system', OptionName: 'SystemType', Value: 'enhanced' },
      { Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'LoadBalancerType', Value: 'application' },
    ],
  });
  await readyOn(cluster, 'split-env', 'v1');
  const port = await waitFor('the router to serve listener 80', () => router.address(80)?.port);
  await waitFor('3 healthy targets', () => router.router.targetHealth().filter((d) => d.state === 'healthy').length === 3, { timeoutMs: 30_000 });
  const deploy = (label: string, percent: number, minutes: number, extra: { Namespace: string; OptionName: string; Value: string }[] = []) =>
    cluster.api('POST', `${EB}/UpdateEnvironment`, {
      EnvironmentName: 'split-env',
      VersionLabel: label,
      OptionSettings: [
        { Namespace: COMMAND, OptionName: 'DeploymentPolicy', Value: 'TrafficSplitting' },
        { Namespace: SPLIT, OptionName: 'NewVersionPercent', Value: String(percent) },
        { Namespace: SPLIT, OptionName: 'EvaluationTime', Value: String(minutes) },
        ...extra,
      ],
    });
  return { cluster, router, port, version, deploy };
}

