/** Contract cases for the platform repository (applications, versions, environments, saved configurations), run on every store. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ApplicationVersionRecord, EnvironmentRecord } from '../../src/model/platform.js';
import type { StoreLocationFactory } from './contract.js';

function versionFixture(label: string, overrides: Partial<ApplicationVersionRecord> = {}): ApplicationVersionRecord {
  return {
    applicationName: 'shop',
    versionLabel: label,
    description: '',
    sourceBundle: { sha256: 'a'.repeat(64), size: 10, format: 'zip' },
    platform: 'nodejs',
    ebextensions: [],
    manifest: null,
    status: 'Processed',
    createdAt: 1,
    updatedAt: 1,
    ...overrides,
  };
}

/** A complete environment record to tweak. */
export function environmentFixture(overrides: Partial<EnvironmentRecord> = {}): EnvironmentRecord {
  return {
    environmentId: 'e-0000000001',
    environmentName: 'shop-prod',
    applicationName: 'shop',
    description: '',
    cname: 'shop-prod',
    tier: 'WebServer',
    platform: 'nodejs',
    versionLabel: null,
    optionSettings: [],
    templateName: null,
    status: 'Launching',
    health: 'Grey',
    healthStatus: 'Pending',
    causes: [],
    operation: null,
    resources: { cluster: 'default', serviceName: 'eb-e-0000000001', taskDefinitionFamily: 'eb-e-0000000001', targetGroupArn: null, ruleArn: null, instancePort: null },
    tags: {},
    createdAt: 1,
    updatedAt: 1,
    version: 1,
    ...overrides,
  };
}

export function platformCases(fresh: StoreLocationFactory): void {
  describe('platform: applications, versions, environments, saved configurations', () => {
    test('applications and versions: insert, get, list newest first, delete; names and labels are unique', async (t) => {
      const store = await (await fresh(t)).open();
      await store.platform.insertApplication({ applicationName: 'shop', description: 'd', createdAt: 1, updatedAt: 1 });
      await assert.rejects(store.platform.insertApplication({ applicationName: 'shop', description: '', createdAt: 2, updatedAt: 2 }));
      assert.equal((await store.platform.getApplication('shop'))?.description, 'd');
      await store.platform.insertVersion(versionFixture('v1', { createdAt: 1 }));
      await store.platform.insertVersion(versionFixture('v2', { createdAt: 2 }));
      await store.platform.insertVersion(versionFixture('v1', { applicationName: 'blog', createdAt: 3 }));
      await assert.rejects(store.platform.insertVersion(versionFixture('v1')), 'one label per application');
      assert.deepEqual((await store.platform.listVersions('shop')).map((v) => v.versionLabel), ['v2', 'v1']);
      assert.equal((await store.platform.listVersions()).length, 3);
      await store.platform.replaceVersion(versionFixture('v1', { status: 'Failed' }));
      assert.equal((await store.platform.getVersion('shop', 'v1'))?.status, 'Failed');
      await store.platform.deleteVersion('shop', 'v1');
      assert.equal(await store.platform.getVersion('shop', 'v1'), undefined);
      assert.equal((await store.platform.getVersion('blog', 'v1'))?.applicationName, 'blog');
      await store.platform.deleteApplication('shop');
      assert.deepEqual(await store.platform.listApplications(), []);
    });

    test('environments: live names and CNAMEs are unique, a Terminated one frees them; replace checks the version', async (t) => {
      const store = await (await fresh(t)).open();
      await store.platform.insertEnvironment(environmentFixture());
      await assert.rejects(store.platform.insertEnvironment(environmentFixture({ environmentId: 'e-0000000002', cname: 'other' })), 'a live name is unique');
      await assert.rejects(store.platform.insertEnvironment(environmentFixture({ environmentId: 'e-0000000002', environmentName: 'other' })), 'a live CNAME is unique');
      assert.equal((await store.platform.findLiveEnvironment({ cname: 'shop-prod' }))?.environmentId, 'e-0000000001');
      assert.equal(await store.platform.replaceEnvironment(environmentFixture({ status: 'Terminated', version: 2 })), true);
      assert.equal(await store.platform.replaceEnvironment(environmentFixture({ status: 'Ready', version: 2 })), false, 'a stale version is refused');
      assert.equal(await store.platform.findLiveEnvironment({ environmentName: 'shop-prod' }), undefined);
      await store.platform.insertEnvironment(environmentFixture({ environmentId: 'e-0000000002' }));
      assert.deepEqual((await store.platform.listEnvironments({ applicationName: 'shop' })).map((e) => e.environmentId), ['e-0000000002']);
      assert.deepEqual((await store.platform.listEnvironments({ includeTerminated: true })).map((e) => e.environmentId), ['e-0000000001', 'e-0000000002']);
      assert.deepEqual(await store.platform.listEnvironments({ applicationName: 'blog' }), []);
    });

    test('saved configurations: put replaces, list by name, delete', async (t) => {
      const store = await (await fresh(t)).open();
      const template = { applicationName: 'shop', templateName: 'prod', description: '', platform: null, optionSettings: [], createdAt: 1, updatedAt: 1 };
      await store.platform.putTemplate(template);
      await store.platform.putTemplate({ ...template, description: 'two', updatedAt: 2 });
      await store.platform.putTemplate({ ...template, templateName: 'dev' });
      assert.equal((await store.platform.getTemplate('shop', 'prod'))?.description, 'two');
      assert.deepEqual((await store.platform.listTemplates('shop')).map((x) => x.templateName), ['dev', 'prod']);
      await store.platform.deleteTemplate('shop', 'dev');
      assert.deepEqual((await store.platform.listTemplates('shop')).map((x) => x.templateName), ['prod']);
    });

    test('tags: kept in applications, versions, saved configurations and environments, replaced whole, absent in older records', async (t) => {
      const store = await (await fresh(t)).open();
      await store.platform.insertApplication({ applicationName: 'shop', description: '', createdAt: 1, updatedAt: 1 });
      assert.equal((await store.platform.getApplication('shop'))?.tags, undefined, 'a record made before tags were kept has none');
      await store.platform.replaceApplication({ applicationName: 'shop', description: '', tags: { team: 'web', 'ünï code': 'välue' }, createdAt: 1, updatedAt: 2 });
      assert.deepEqual((await store.platform.getApplication('shop'))?.tags, { team: 'web', 'ünï code': 'välue' });
      await store.platform.insertVersion(versionFixture('v1', { tags: { release: '1' } }));
      await store.platform.replaceVersion(versionFixture('v1', { tags: {} }));
      assert.deepEqual((await store.platform.getVersion('shop', 'v1'))?.tags, {}, 'a removal replaces the whole set');
      const template = { applicationName: 'shop', templateName: 'prod', description: '', platform: null, optionSettings: [], tags: { kind: 'saved' }, createdAt: 1, updatedAt: 1 };
      await store.platform.putTemplate(template);
      assert.deepEqual((await store.platform.listTemplates('shop'))[0]?.tags, { kind: 'saved' });
      await store.platform.insertEnvironment(environmentFixture({ tags: { stage: 'test' } }));
      assert.equal(await store.platform.replaceEnvironment(environmentFixture({ tags: { stage: 'prod', cost: '1' }, version: 2 })), true);
      assert.deepEqual((await store.platform.getEnvironment('e-0000000001'))?.tags, { stage: 'prod', cost: '1' });
    });

    test('events carry and filter by application, environment and version', async (t) => {
      const store = await (await fresh(t)).open();
      await store.events.append({ resourceType: 'environment', resourceId: 'e-1', severity: 'INFO', message: 'a', requestId: null, applicationName: 'shop', environmentName: 'shop-prod', versionLabel: 'v1' });
      await store.events.append({ resourceType: 'environment', resourceId: 'e-1', severity: 'INFO', message: 'b', requestId: null, applicationName: 'shop', environmentName: 'shop-prod', versionLabel: 'v2' });
      await store.events.append({ resourceType: 'cluster', resourceId: 'default', severity: 'INFO', message: 'c', requestId: null });
      assert.deepEqual((await store.events.query({ versionLabel: 'v1', limit: 10 })).map((e) => e.message), ['a']);
      assert.deepEqual((await store.events.query({ environmentName: 'shop-prod', limit: 10 })).map((e) => e.message), ['b', 'a']);
      const [plain] = await store.events.query({ resourceType: 'cluster', limit: 1 });
      assert.equal(plain && 'applicationName' in plain, false, 'other events keep their shape');
    });
  });
}
