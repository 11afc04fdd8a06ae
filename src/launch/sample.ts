/**
 * `wharf up --sample <folder>`: deploys a project folder as the application `sample`, environment
 * `sample-env`, through the controller's Elastic Beanstalk API (pack, upload, create or update),
 * and waits until it is Ready. The quick start uses it to show a running app and its URL.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { packFolder } from '../bundle/pack.js';
import type { ApiClient } from '../cli/client.js';

export const SAMPLE_APPLICATION = 'sample';
export const SAMPLE_ENVIRONMENT = 'sample-env';
/** How long `wharf up` waits for the sample to be Ready (a first npm install included). */
export const SAMPLE_READY_TIMEOUT_MS = 180_000;

/** Deploys `folder` and returns the environment's URL once it is Ready. */
export async function deploySample(client: ApiClient, folder: string): Promise<string> {
  const work = await mkdtemp(path.join(tmpdir(), 'wharf-sample-'));
  let label: string;
  try {
    const zip = path.join(work, 'bundle.zip');
    await packFolder(path.resolve(folder), zip);
    const { SourceBundle } = await client.upload<{ SourceBundle: { S3Bucket: string; S3Key: string } }>('/v1/elasticbeanstalk/bundles', zip);
    label = `sample-${SourceBundle.S3Key.slice(0, 12)}`;
    const { ApplicationVersions } = await client.request<{ ApplicationVersions: unknown[] }>('POST', '/v1/elasticbeanstalk/DescribeApplicationVersions', { body: { ApplicationName: SAMPLE_APPLICATION, VersionLabels: [label] } });
    if (ApplicationVersions.length === 0) {
      await client.request('POST', '/v1/elasticbeanstalk/CreateApplicationVersion', { body: { ApplicationName: SAMPLE_APPLICATION, VersionLabel: label, SourceBundle, AutoCreateApplication: true } });
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const describe = async () => (await client.request<{ Environments: { Status: string; VersionLabel?: string; URL: string; Operation?: { Failure?: string } }[] }>('POST', '/v1/elasticbeanstalk/DescribeEnvironments', { body: { EnvironmentNames: [SAMPLE_ENVIRONMENT] } })).Environments[0];
  const current = await describe();
  if (!current) await client.request('POST', '/v1/elasticbeanstalk/CreateEnvironment', { body: { ApplicationName: SAMPLE_APPLICATION, EnvironmentName: SAMPLE_ENVIRONMENT, VersionLabel: label } });
  else if (current.VersionLabel !== label) await client.request('POST', '/v1/elasticbeanstalk/UpdateEnvironment', { body: { EnvironmentName: SAMPLE_ENVIRONMENT, VersionLabel: label } });
  const deadline = Date.now() + SAMPLE_READY_TIMEOUT_MS;
  for (;;) {
    const environment = await describe();
    if (environment?.Status === 'Ready' && environment.VersionLabel === label) return environment.URL;
    if (environment?.Status === 'Ready' && environment.Operation?.Failure) {
      throw new Error(`the sample failed to deploy: ${environment.Operation.Failure}`);
    }
    if (Date.now() > deadline) throw new Error(`the sample was not Ready within ${SAMPLE_READY_TIMEOUT_MS / 1000} s (last status ${environment?.Status ?? 'none'})`);
    await delay(500);
  }
}
