/**
 * An environment's life after it is created, end to end: RestartAppServer, RebuildEnvironment, a
 * description-only UpdateEnvironment, DescribeEnvironments' and DescribeEvents' filters, and what
 * DeleteApplicationVersion and DeleteApplication refuse and remove.
 *
 * The tests share one cluster and run in order: `life-a` (application `life`, version l1),
 * `life-b` (life, l2) and `other-env` (other, o1), all SingleInstance.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { before, describe, test } from 'node:test';
import { versionDir } from '../../src/controller/platform/context.js';
import { EVENT_SEVERITIES } from '../../src/model/events.js';
import type { TestCluster } from '../support/cluster.js';
import { startTestCluster } from '../support/cluster.js';
import { suiteScope, tempDir } from '../support/temp.js';
import { waitFor } from '../support/wait.js';
import { EB, createVersion, environment, readyOn, uploadBundle, waitForEnvironment, writeNodeApp } from './support.js';

const SINGLE = { Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'EnvironmentType', Value: 'SingleInstance' };

describe('environment lifecycle', () => {
  const scope = suiteScope();
  let cluster: TestCluster;
  let dataDir: string;
  let urlA: string;
  const ids: Record<string, string> = {};
  const call = (op: string, body: unknown) => cluster.controller.call('POST', `${EB}/${op}`, body);
  const names = (list: { EnvironmentName: string }[]) => list.map((e) => e.EnvironmentName).sort();
  const answer = (url: string) => fetch(url).then((r) => (r.ok ? r.text() : ''), () => '');
  const instances = async (name: string): Promise<string[]> => (await cluster.api('POST', `${EB}/DescribeInstancesHealth`, { EnvironmentName: name })).InstanceHealthList.map((i: any) => i.InstanceId);

  before(async () => {
    dataDir = await tempDir(scope);
    cluster = await startTestCluster(scope, { serviceSettleMs: 500, dataDir });
    await cluster.startAgent({ hostId: 'life-host' });
    for (const [application, label] of [['life', 'l1'], ['life', 'l2'], ['other', 'o1']] as const) {
      const source = path.join(await tempDir(scope), label);
      await writeNodeApp(source, label);
      await createVersion(cluster, scope, application, label, source);
    }
    for (const [application, name, label] of [['life', 'life-a', 'l1'], ['life', 'life-b', 'l2'], ['other', 'other-env', 'o1']] as const) {
      const created = await cluster.api('POST', `${EB}/CreateEnvironment`, { ApplicationName: application, EnvironmentName: name, VersionLabel: label, Description: 'first', OptionSettings: [SINGLE] });
      ids[name] = created.EnvironmentId;
    }
    const [a] = await Promise.all([readyOn(cluster, 'life-a', 'l1'), readyOn(cluster, 'life-b', 'l2'), readyOn(cluster, 'other-env', 'o1')]);
    urlA = a.URL;
    await waitFor('life-a answers', async () => (await answer(urlA)) === 'l1 \n', { timeoutMs: 30_000 });
  });

  test('RestartAppServer starts the app again (a new process) and the environment returns to Ready with its event', async () => {
    const pid = await answer(`${urlA}pid`);
    assert.match(pid, /^\d+$/);
    const previous = await environment(cluster, 'life-a');
    assert.deepEqual(await cluster.api('POST', `${EB}/RestartAppServer`, { EnvironmentName: 'life-a' }), {});
    const busy = await call('RestartAppServer', { EnvironmentId: ids['life-a'] });
    assert.equal(busy.json.code, 'WHARF_E_OPERATION_IN_PROGRESS', 'a second restart while one runs is refused');
    const after = await waitForEnvironment(cluster, 'life-a', 'restarted', (e) => {
      if (e.Operation?.Failure) throw new Error(`operation failed: ${e.Operation.Failure}`);
      return e.Status === 'Ready' && e.Operation?.Kind === 'restart' && e.Operation.Step === 'done';
    });
    assert.equal(after.Operation.Id, previous.Operation.Id + 1);
    assert.equal(after.VersionLabel, 'l1');
    const newPid = await waitFor(
      'the app to answer after the restart',
      async () => {
        const text = await answer(`${urlA}pid`);
        return /^\d+$/.test(text) && text;
      },
      { timeoutMs: 30_000 },
    );
    assert.notEqual(newPid, pid, 'the app server is a new process');
    const { Events } = await cluster.api('POST', `${EB}/DescribeEvents`, { EnvironmentName: 'life-a' });
    const messages = Events.map((e: any) => e.Message);
    assert.ok(messages.includes('restartAppServer is starting.'), messages.join('\n'));
    assert.ok(messages.includes('restartAppServer completed successfully.'), messages.join('\n'));
    assert.ok(messages.indexOf('restartAppServer completed successfully.') < messages.indexOf('restartAppServer is starting.'), 'newest first');
  });

  test('RebuildEnvironment replaces the task and the environment returns to Ready on the same version', async () => {
    const old = await instances('life-a');
    assert.equal(old.length, 1);
    await cluster.api('POST', `${EB}/RebuildEnvironment`, { EnvironmentId: ids['life-a'] });
    const rebuilt = await waitForEnvironment(cluster, 'life-a', 'rebuilt', (e) => {
      if (e.Operation?.Failure) throw new Error(`operation failed: ${e.Operation.Failure}`);
      return e.Status === 'Ready' && e.Operation?.Kind === 'rebuild' && e.Operation.Step === 'done';
    });
    assert.equal(rebuilt.VersionLabel, 'l1');
    const now = await waitFor('one running instance', async () => {
      const list = await instances('life-a');
      return list.length === 1 && list;
    });
    assert.notDeepEqual(now, old, 'a new task');
    await waitFor('life-a answers after the rebuild', async () => (await answer(urlA)) === 'l1 \n', { timeoutMs: 30_000 });
  });

  test('UpdateEnvironment with only a Description applies at once, with no operation', async () => {
    const previous = await environment(cluster, 'life-a');
    const { Events: eventsBefore } = await cluster.api('POST', `${EB}/DescribeEvents`, { EnvironmentName: 'life-a', MaxRecords: 1000 });
    const updated = await cluster.api('POST', `${EB}/UpdateEnvironment`, { EnvironmentName: 'life-a', Description: 'the second description' });
    assert.equal(updated.Status, 'Ready');
    assert.equal(updated.Description, 'the second description');
    assert.deepEqual(updated.Operation, previous.Operation, 'no new operation');
    const now = await environment(cluster, 'life-a');
    assert.equal(now.Status, 'Ready');
    assert.equal(now.Description, 'the second description');
    assert.deepEqual(now.Operation, previous.Operation);
    const { Events } = await cluster.api('POST', `${EB}/DescribeEvents`, { EnvironmentName: 'life-a', MaxRecords: 1000 });
    assert.ok(!Events.slice(0, Events.length - eventsBefore.length).some((e: any) => /update is starting/.test(e.Message)), 'no update started');
  });

  test('DescribeEvents: a failed deploy is an ERROR; Severity is a floor; StartTime/EndTime bound the dates; MaxRecords and NextToken page newest first', async () => {
    const broken = path.join(await tempDir(scope), 'broken');
    await writeNodeApp(broken, 'lbad');
    await writeFile(path.join(broken, 'package.json'), '{ "name": "broken", not json');
    await createVersion(cluster, scope, 'life', 'lbad', broken);
    await cluster.api('POST', `${EB}/UpdateEnvironment`, { EnvironmentName: 'life-a', VersionLabel: 'lbad' });
    const failed = await waitForEnvironment(cluster, 'life-a', 'failed on lbad', (e) => e.Status === 'Ready' && e.Operation?.VersionLabel === 'lbad' && Boolean(e.Operation?.Failure));
    assert.equal(failed.VersionLabel, 'l1');

    // A window that has closed: later events (health refreshes) cannot change what it holds.
    const end = new Date(Date.now() + 1).toISOString();
    await delay(300);
    const { Events: all } = await cluster.api('POST', `${EB}/DescribeEvents`, { EnvironmentName: 'life-a', EndTime: end, MaxRecords: 1000 });
    assert.ok(all.length >= 10, `enough events to page through: ${all.length}`);
    assert.ok(all.every((e: any) => e.EnvironmentName === 'life-a' && e.ApplicationName === 'life'));
    const times = all.map((e: any) => Date.parse(e.EventDate));
    assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');
    assert.ok(times.every((time: number) => time < Date.parse(end)), 'EndTime is an upper bound');

    const rank = (severity: string) => EVENT_SEVERITIES.indexOf(severity as (typeof EVENT_SEVERITIES)[number]);
    for (const floor of ['TRACE', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const) {
      const { Events } = await cluster.api('POST', `${EB}/DescribeEvents`, { EnvironmentName: 'life-a', EndTime: end, Severity: floor, MaxRecords: 1000 });
      assert.deepEqual(Events, all.filter((e: any) => rank(e.Severity) >= rank(floor)), `Severity ${floor} keeps ${floor} and above`);
    }
    const { Events: serious } = await cluster.api('POST', `${EB}/DescribeEvents`, { EnvironmentName: 'life-a', EndTime: end, Severity: 'WARN' });
    assert.ok(serious.some((e: any) => e.Severity === 'ERROR' && /Failed to deploy version lbad/.test(e.Message)), 'WARN includes the ERROR above it');
    assert.ok(!serious.some((e: any) => e.Severity === 'INFO'), 'and no INFO below it');

    // A window in the middle: StartTime is inclusive, EndTime exclusive.
    const start = all[Math.floor(all.length * 0.75)].EventDate;
    const stop = all[Math.floor(all.length * 0.25)].EventDate;
    assert.ok(Date.parse(start) < Date.parse(stop), `${start} < ${stop}`);
    const { Events: window } = await cluster.api('POST', `${EB}/DescribeEvents`, { EnvironmentName: 'life-a', StartTime: start, EndTime: stop });
    assert.deepEqual(window, all.filter((e: any) => Date.parse(e.EventDate) >= Date.parse(start) && Date.parse(e.EventDate) < Date.parse(stop)));
    assert.ok(window.length > 0 && window.length < all.length);

    const pages = async (filter: Record<string, unknown>, size: number): Promise<any[][]> => {
      const result: any[][] = [];
      let token: string | undefined;
      do {
        const page = await cluster.api('POST', `${EB}/DescribeEvents`, { ...filter, EndTime: end, MaxRecords: size, ...(token ? { NextToken: token } : {}) });
        result.push(page.Events);
        token = page.NextToken;
        assert.ok(result.length < 100, 'paging ends');
      } while (token);
      return result;
    };
    const byEnvironment = await pages({ EnvironmentName: 'life-a' }, 3);
    assert.deepEqual(byEnvironment.flat(), all, 'the pages, in order, are every event, newest first');
    assert.ok(byEnvironment.slice(0, -1).every((page) => page.length === 3), `every page but the last is full: ${byEnvironment.map((p) => p.length).join(',')}`);
    assert.ok(byEnvironment.at(-1)!.length >= 1 && byEnvironment.at(-1)!.length <= 3);

    // Without a filter: every platform event, and none of the layer below's (services, tasks).
    const { Events: everything } = await cluster.api('POST', `${EB}/DescribeEvents`, { EndTime: end, MaxRecords: 1000 });
    assert.ok(everything.every((e: any) => e.ApplicationName), 'only platform events');
    assert.deepEqual(new Set(everything.map((e: any) => e.EnvironmentName ?? '(application)')), new Set(['life-a', 'life-b', 'other-env', '(application)']));
    const unfiltered = await pages({}, 4);
    assert.deepEqual(unfiltered.flat(), everything);
    assert.ok(unfiltered.slice(0, -1).every((page) => page.length === 4), `every page but the last is full: ${unfiltered.map((p) => p.length).join(',')}`);
  });

  test('DescribeEnvironments filters by application, ids and version; IncludeDeleted shows a terminated one', async () => {
    const { Environments: every } = await cluster.api('POST', `${EB}/DescribeEnvironments`, {});
    assert.deepEqual(names(every), ['life-a', 'life-b', 'other-env']);
    const byApp = await cluster.api('POST', `${EB}/DescribeEnvironments`, { ApplicationName: 'life' });
    assert.deepEqual(names(byApp.Environments), ['life-a', 'life-b']);
    const byIds = await cluster.api('POST', `${EB}/DescribeEnvironments`, { EnvironmentIds: [ids['other-env'], ids['life-b']] });
    assert.deepEqual(names(byIds.Environments), ['life-b', 'other-env']);
    const byVersion = await cluster.api('POST', `${EB}/DescribeEnvironments`, { VersionLabel: 'l1' });
    assert.deepEqual(names(byVersion.Environments), ['life-a'], 'the version deployed, not the one that failed');
    assert.deepEqual((await cluster.api('POST', `${EB}/DescribeEnvironments`, { VersionLabel: 'lbad' })).Environments, []);
    const combined = await cluster.api('POST', `${EB}/DescribeEnvironments`, { ApplicationName: 'other', EnvironmentIds: [ids['life-a']] });
    assert.deepEqual(combined.Environments, [], 'filters combine');

    await cluster.api('POST', `${EB}/TerminateEnvironment`, { EnvironmentName: 'life-b' });
    await waitForEnvironment(cluster, 'life-b', 'Terminated', (e) => e.Status === 'Terminated', 60_000);
    assert.deepEqual(names((await cluster.api('POST', `${EB}/DescribeEnvironments`, { ApplicationName: 'life' })).Environments), ['life-a'], 'a terminated environment is left out');
    assert.deepEqual((await cluster.api('POST', `${EB}/DescribeEnvironments`, { EnvironmentIds: [ids['life-b']] })).Environments, []);
    const withDeleted = await cluster.api('POST', `${EB}/DescribeEnvironments`, { ApplicationName: 'life', IncludeDeleted: true });
    assert.deepEqual(names(withDeleted.Environments), ['life-a', 'life-b']);
    assert.equal(withDeleted.Environments.find((e: any) => e.EnvironmentName === 'life-b').Status, 'Terminated');
    const deletedById = await cluster.api('POST', `${EB}/DescribeEnvironments`, { EnvironmentIds: [ids['life-b']], IncludeDeleted: true });
    assert.equal(deletedById.Environments[0].EnvironmentId, ids['life-b']);
  });

  test('DeleteApplicationVersion: refused while deployed, allowed once nothing runs it; DeleteSourceBundle removes a bundle no other version shares', async () => {
    const inUse = await call('DeleteApplicationVersion', { ApplicationName: 'life', VersionLabel: 'l1' });
    assert.equal(inUse.status, 409, inUse.text);
    assert.equal(inUse.json.code, 'WHARF_E_VERSION_IN_USE');
    assert.match(inUse.text, /life-a/);
    // The version whose deploy failed runs nowhere: life-a kept l1.
    await cluster.api('POST', `${EB}/DeleteApplicationVersion`, { ApplicationName: 'life', VersionLabel: 'lbad' });
    const { ConfigurationSettings } = await cluster.api('POST', `${EB}/DescribeConfigurationSettings`, { ApplicationName: 'life', EnvironmentName: 'life-a' });
    assert.equal(ConfigurationSettings[0].DeploymentStatus, 'failed', "life-a's settings still describe (they are l1's), with the last deploy failed");
    await cluster.api('POST', `${EB}/ValidateConfigurationSettings`, { ApplicationName: 'life', EnvironmentName: 'life-a', OptionSettings: [] });
    // l2's environment is terminated.
    await cluster.api('POST', `${EB}/DeleteApplicationVersion`, { ApplicationName: 'life', VersionLabel: 'l2' });

    // Two versions of one bundle: deleting the first with its bundle keeps the bytes for the second.
    const source = path.join(await tempDir(scope), 'shared');
    await writeNodeApp(source, 'shared');
    const SourceBundle = await uploadBundle(cluster, scope, source);
    for (const label of ['s1', 's2']) await cluster.api('POST', `${EB}/CreateApplicationVersion`, { ApplicationName: 'life', VersionLabel: label, SourceBundle });
    const artifact = path.join(dataDir, 'artifacts', SourceBundle.S3Key);
    assert.ok(existsSync(artifact), `the bundle is stored at ${artifact}`);
    const folder = versionDir(path.join(dataDir, 'platform'), 'life', 's1');
    assert.ok(existsSync(folder));
    await cluster.api('POST', `${EB}/DeleteApplicationVersion`, { ApplicationName: 'life', VersionLabel: 's1', DeleteSourceBundle: true });
    assert.ok(existsSync(artifact), 's2 still uses the bundle');
    assert.ok(!existsSync(folder), "the version's folder is gone");
    await cluster.api('POST', `${EB}/DeleteApplicationVersion`, { ApplicationName: 'life', VersionLabel: 's2', DeleteSourceBundle: true });
    assert.ok(!existsSync(artifact), 'the last version of the bundle takes it along');

    // Without DeleteSourceBundle the bytes stay.
    const l1Bundle = (await cluster.api('POST', `${EB}/DescribeApplicationVersions`, { ApplicationName: 'life', VersionLabels: ['l1'] })).ApplicationVersions[0].SourceBundle.S3Key;
    await cluster.api('POST', `${EB}/TerminateEnvironment`, { EnvironmentName: 'life-a' });
    await waitForEnvironment(cluster, 'life-a', 'Terminated', (e) => e.Status === 'Terminated', 60_000);
    await cluster.api('POST', `${EB}/DeleteApplicationVersion`, { ApplicationName: 'life', VersionLabel: 'l1' });
    assert.ok(existsSync(path.join(dataDir, 'artifacts', l1Bundle)));
    const { ApplicationVersions } = await cluster.api('POST', `${EB}/DescribeApplicationVersions`, { ApplicationName: 'life' });
    assert.deepEqual(ApplicationVersions, []);
    const gone = await call('DeleteApplicationVersion', { ApplicationName: 'life', VersionLabel: 'l1' });
    assert.equal(gone.json.code, 'WHARF_E_VERSION_NOT_FOUND');
  });

  test('DeleteApplication: refused while an environment is live, allowed after it is terminated', async () => {
    const refused = await call('DeleteApplication', { ApplicationName: 'other' });
    assert.equal(refused.status, 409, refused.text);
    assert.equal(refused.json.code, 'WHARF_E_APPLICATION_IN_USE');
    assert.equal((await cluster.api('POST', `${EB}/DescribeApplications`, { ApplicationNames: ['other'] })).Applications.length, 1, 'nothing was deleted');
    assert.deepEqual((await cluster.api('POST', `${EB}/DescribeApplicationVersions`, { ApplicationName: 'other' })).ApplicationVersions.map((v: any) => v.VersionLabel), ['o1']);
    assert.equal((await environment(cluster, 'other-env')).Status, 'Ready');

    await cluster.api('POST', `${EB}/TerminateEnvironment`, { EnvironmentName: 'other-env' });
    await waitForEnvironment(cluster, 'other-env', 'Terminated', (e) => e.Status === 'Terminated', 60_000);
    await cluster.api('POST', `${EB}/DeleteApplication`, { ApplicationName: 'other' });
    assert.deepEqual((await cluster.api('POST', `${EB}/DescribeApplications`, { ApplicationNames: ['other'] })).Applications, []);
  });
});
