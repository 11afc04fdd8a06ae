/** Contract cases for the services repositories (services, task sets, deployments), run on every store. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deploymentFixture, serviceFixture, setFixture } from '../../src/controller/deploy/fixtures.test-support.js';
import type { ScalableTargetRecord, ScalingPolicyRecord, ScheduledActionRecord } from '../../src/model/autoscaling.js';
import type { StoreLocationFactory } from './contract.js';

export function servicesCases(fresh: StoreLocationFactory): void {
  describe('services, task sets and deployments', () => {
    test('services: insert, get, replace with a version check, list by status and page, live ones and their count', async (t) => {
      const store = await (await fresh(t)).open();
      await store.services.insert(serviceFixture({ serviceName: 'api' }));
      await store.services.insert(serviceFixture({ serviceName: 'web' }));
      await store.services.insert(serviceFixture({ serviceName: 'old', status: 'INACTIVE' }));
      assert.deepEqual(await store.services.get('default', 'api'), serviceFixture({ serviceName: 'api' }));
      assert.equal(await store.services.replace({ ...serviceFixture({ serviceName: 'api' }), desiredCount: 9, version: 2 }), true);
      assert.equal(await store.services.replace({ ...serviceFixture({ serviceName: 'api' }), desiredCount: 1, version: 2 }), false, 'a stale version is refused');
      assert.equal((await store.services.get('default', 'api'))?.desiredCount, 9);
      const names = async (o: Parameters<typeof store.services.list>[0]) => (await store.services.list(o)).map((s) => s.serviceName);
      assert.deepEqual(await names({ cluster: 'default', limit: 10 }), ['api', 'old', 'web']);
      assert.deepEqual(await names({ cluster: 'default', status: 'ACTIVE', limit: 10 }), ['api', 'web']);
      assert.deepEqual(await names({ cluster: 'default', after: 'api', limit: 1 }), ['old']);
      assert.deepEqual((await store.services.listLive()).map((s) => s.serviceName), ['api', 'web']);
      assert.equal(await store.services.countLive('default'), 2, 'INACTIVE services are not counted');
      assert.equal(await store.services.countLive('other'), 0);
      await assert.rejects(store.services.insert(serviceFixture({ serviceName: 'web' })), 'one service per name and cluster');
    });

    test('task sets: oldest first per service; replace', async (t) => {
      const store = await (await fresh(t)).open();
      await store.taskSets.insert(setFixture('ecs-svc/2', { createdAt: 2 }));
      await store.taskSets.insert(setFixture('ecs-svc/1', { createdAt: 1, status: 'ACTIVE' }));
      await store.taskSets.insert(setFixture('ecs-svc/3', { serviceName: 'other' }));
      assert.deepEqual((await store.taskSets.forService('default', 'web')).map((s) => s.id), ['ecs-svc/1', 'ecs-svc/2']);
      await store.taskSets.replace({ ...setFixture('ecs-svc/1', { createdAt: 1 }), status: 'INACTIVE' });
      assert.equal((await store.taskSets.get('ecs-svc/1'))?.status, 'INACTIVE');
    });

    test('deployments: numbered per service, newest first, replace', async (t) => {
      const store = await (await fresh(t)).open();
      assert.equal(await store.deployments.nextId('default', 'web'), 1);
      await store.deployments.insert(deploymentFixture({ id: 1 }));
      await store.deployments.insert(deploymentFixture({ id: 2 }));
      assert.equal(await store.deployments.nextId('default', 'web'), 3);
      assert.equal(await store.deployments.nextId('default', 'other'), 1);
      await store.deployments.replace({ ...deploymentFixture({ id: 1 }), status: 'COMPLETED' });
      assert.deepEqual((await store.deployments.forService('default', 'web', 10)).map((d) => [d.id, d.status]), [
        [2, 'IN_PROGRESS'],
        [1, 'COMPLETED'],
      ]);
      assert.deepEqual(await store.deployments.get('default', 'web', 2), deploymentFixture({ id: 2 }));
    });
  });

  describe('application auto scaling', () => {
    const target = (resourceId: string): ScalableTargetRecord => ({
      resourceId,
      arn: `arn:wharf:application-autoscaling:local:000000000000:scalable-target/${resourceId.replace(/\W/g, '')}`,
      minCapacity: 1,
      maxCapacity: 4,
      suspended: { dynamicScalingIn: false, dynamicScalingOut: false, scheduledScaling: false },
      lastScaleOutAt: null,
      lastScaleInAt: null,
      createdAt: 1,
      tags: { team: 'web' },
    });
    const policy = (resourceId: string, name: string): ScalingPolicyRecord => ({
      arn: `arn:policy:${resourceId}:${name}`,
      name,
      resourceId,
      metric: 'ECSServiceAverageCPUUtilization',
      resourceLabel: null,
      targetValue: 50,
      scaleOutCooldownSeconds: 60,
      scaleInCooldownSeconds: 60,
      disableScaleIn: false,
      createdAt: 1,
    });
    const action = (resourceId: string, name: string, overrides: Partial<ScheduledActionRecord> = {}): ScheduledActionRecord => ({
      arn: `arn:action:${resourceId}:${name}`,
      name,
      resourceId,
      schedule: 'rate(5 minutes)',
      timezone: 'UTC',
      startTime: null,
      endTime: null,
      minCapacity: 2,
      maxCapacity: null,
      createdAt: 1,
      updatedAt: 1,
      lastFiredAt: null,
      ...overrides,
    });

    test('targets, policies and scheduled actions: put replaces by name, delete says whether there was one, a target takes its own along', async (t) => {
      const store = await (await fresh(t)).open();
      await store.autoScaling.putTarget(target('service/default/web'));
      await store.autoScaling.putTarget(target('service/default/api'));
      assert.deepEqual(await store.autoScaling.targets(), [target('service/default/api'), target('service/default/web')]);
      await store.autoScaling.putPolicy(policy('service/default/web', 'cpu'));
      await store.autoScaling.putPolicy(policy('service/default/api', 'cpu'));
      assert.equal(await store.autoScaling.deletePolicy('service/default/web', 'cpu'), true);
      assert.equal(await store.autoScaling.deletePolicy('service/default/web', 'cpu'), false, 'gone already');
      assert.deepEqual((await store.autoScaling.policies()).map((p) => p.resourceId), ['service/default/api']);

      await store.autoScaling.putScheduledAction(action('service/default/web', 'night'));
      await store.autoScaling.putScheduledAction(action('service/default/web', 'morning'));
      await store.autoScaling.putScheduledAction(action('service/default/api', 'night'));
      await store.autoScaling.putScheduledAction(action('service/default/web', 'night', { schedule: 'cron(0 22 * * ? *)', lastFiredAt: 5, updatedAt: 2 }));
      assert.deepEqual((await store.autoScaling.scheduledActions('service/default/web')).map((a) => [a.name, a.schedule, a.lastFiredAt]), [
        ['morning', 'rate(5 minutes)', null],
        ['night', 'cron(0 22 * * ? *)', 5],
      ]);
      assert.equal((await store.autoScaling.scheduledActions()).length, 3);
      assert.equal(await store.autoScaling.deleteScheduledAction('service/default/web', 'morning'), true);
      assert.equal(await store.autoScaling.deleteScheduledAction('service/default/web', 'morning'), false);

      await store.autoScaling.deleteTarget('service/default/api');
      assert.deepEqual((await store.autoScaling.targets()).map((x) => x.resourceId), ['service/default/web']);
      assert.deepEqual(await store.autoScaling.policies('service/default/api'), []);
      assert.deepEqual((await store.autoScaling.scheduledActions()).map((a) => `${a.resourceId} ${a.name}`), ['service/default/web night']);
    });
  });
}
