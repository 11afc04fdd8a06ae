/** Bad input to the platform API: clear errors, nothing created. */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { startTestCluster } from '../support/cluster.js';
import { tempDir } from '../support/temp.js';
import { EB, createVersion, writeNodeApp } from './support.js';
import { signedFetch } from '../support/signing.js';

test('bad input: names, CNAMEs, labels, settings and bundles get clear errors and change nothing', async (t) => {
  const dataDir = await tempDir(t);
  const cluster = await startTestCluster(t, { dataDir });
  const source = path.join(await tempDir(t), 'app');
  await writeNodeApp(source, 'b1');
  await createVersion(cluster, t, 'bad', 'b1', source);
  const call = (op: string, body: unknown) => cluster.controller.call('POST', `${EB}/${op}`, body);
  const base = { ApplicationName: 'bad', VersionLabel: 'b1' };

  for (const [name, why] of [
    ['abc', 'too short'],
    ['-starts-with-hyphen', 'leading hyphen'],
    ['has_underscore', 'underscore'],
    ['x'.repeat(41), 'too long'],
  ] as const) {
    const res = await call('CreateEnvironment', { ...base, EnvironmentName: name });
    assert.equal(res.status, 400, `${why}: ${res.text}`);
    assert.match(res.text, /EnvironmentName/);
  }
  const worker = await call('CreateEnvironment', { ...base, EnvironmentName: 'bad-worker', Tier: { Name: 'Worker' } });
  assert.equal(worker.json.code, 'WHARF_E_NOT_YET_SUPPORTED');
  const unknownOption = await call('CreateEnvironment', { ...base, EnvironmentName: 'bad-opt', OptionSettings: [{ Namespace: 'aws:autoscaling:asg', OptionName: 'MinSise', Value: '2' }] });
  assert.equal(unknownOption.json.code, 'WHARF_E_INVALID_CONFIGURATION');
  assert.match(unknownOption.text, /MinSise/);
  const range = await call('CreateEnvironment', {
    ...base,
    EnvironmentName: 'bad-range',
    OptionSettings: [
      { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '5' },
      { Namespace: 'aws:autoscaling:asg', OptionName: 'MaxSize', Value: '2' },
    ],
  });
  assert.equal(range.json.code, 'WHARF_E_INVALID_CONFIGURATION');
  const missingVersion = await call('CreateEnvironment', { ...base, VersionLabel: 'nope', EnvironmentName: 'bad-version' });
  assert.equal(missingVersion.json.code, 'WHARF_E_VERSION_NOT_FOUND');
  const { Environments } = await cluster.api('POST', `${EB}/DescribeEnvironments`, { IncludeDeleted: true });
  assert.deepEqual(Environments, [], 'nothing was created');

  const again = await signedFetch(`${cluster.controller.url}${EB}/bundles`, { method: 'PUT', headers: { 'content-type': 'application/zip' }, body: 'not a zip at all' });
  const { SourceBundle } = (await again.json()) as { SourceBundle: unknown };
  const notAnArchive = await call('CreateApplicationVersion', { ApplicationName: 'bad', VersionLabel: 'b2', SourceBundle });
  assert.equal(notAnArchive.json.code, 'WHARF_E_BUNDLE_INVALID');
  const duplicate = await call('CreateApplicationVersion', { ApplicationName: 'bad', VersionLabel: 'b1', SourceBundle });
  assert.equal(duplicate.json.code, 'WHARF_E_VERSION_EXISTS');
  const versions = await cluster.api('POST', `${EB}/DescribeApplicationVersions`, { ApplicationName: 'bad' });
  assert.deepEqual(versions.ApplicationVersions.map((v: any) => v.VersionLabel), ['b1']);

  const badConfig = path.join(await tempDir(t), 'bad-config');
  await writeNodeApp(badConfig, 'b3', { '.ebextensions/01.config': 'commands:\n  hello:\n    command: echo hi\n' });
  const refused = await createVersion(cluster, t, 'bad', 'b3', badConfig).catch((error: Error) => error);
  assert.ok(refused instanceof Error && /commands/.test(refused.message) && /not yet supported/i.test(refused.message), String(refused));

  const badManifest = path.join(await tempDir(t), 'bad-manifest');
  await writeNodeApp(badManifest, 'b4', { 'env.yaml': 'AWSConfigurationTemplateVersion: 1.1.0.0\nEnvironmentNmae: typo\n' });
  const manifest = await createVersion(cluster, t, 'bad', 'b4', badManifest).catch((error: Error) => error);
  assert.ok(manifest instanceof Error && /EnvironmentNmae/.test(manifest.message), String(manifest));
  const after = await cluster.api('POST', `${EB}/DescribeApplicationVersions`, { ApplicationName: 'bad' });
  assert.deepEqual(after.ApplicationVersions.map((v: any) => v.VersionLabel), ['b1'], 'refused versions leave nothing');
  const leftovers = (await readdir(dataDir, { recursive: true })).filter((entry) => path.basename(entry).includes('.tmp-'));
  assert.deepEqual(leftovers, [], 'refused versions leave no staging folder behind');
});
