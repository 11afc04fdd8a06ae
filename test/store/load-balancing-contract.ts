/** Contract cases for the load-balancing repository (load balancers, listeners with their rules), run on every store. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ListenerRecord, LoadBalancerRecord, RuleRecord } from '../../src/model/load-balancing.js';
import type { StoreLocationFactory } from './contract.js';

/** A complete load balancer record to tweak. */
function loadBalancerFixture(name: string, overrides: Partial<LoadBalancerRecord> = {}): LoadBalancerRecord {
  return {
    arn: `arn:wharf:elasticloadbalancing:local:000000000000:loadbalancer/app/${name}/0123456789abcdef`,
    name,
    type: 'application',
    scheme: 'internet-facing',
    ipAddressType: 'ipv4',
    attributes: { 'deletion_protection.enabled': 'false' },
    tags: [{ key: 'team', value: 'web' }],
    createdAt: 1,
    ...overrides,
  };
}

function listenerFixture(port: number, overrides: Partial<ListenerRecord> = {}): ListenerRecord {
  return { arn: `arn:wharf:elasticloadbalancing:local:000000000000:listener/app/web/0123456789abcdef/${port}`, port, protocol: 'HTTP', tags: [], createdAt: 1, ...overrides };
}

function ruleFixture(listener: ListenerRecord, priority: number): RuleRecord {
  return {
    arn: `${listener.arn.replace(':listener/', ':listener-rule/')}/${priority}`,
    listenerArn: listener.arn,
    priority,
    conditions: { pathPattern: [`/p${priority}`] },
    action: { type: 'forward', targetGroups: [{ targetGroupArn: 'arn:wharf:elasticloadbalancing:local:000000000000:targetgroup/g/1', weight: 1 }] },
    tags: [{ key: 'k', value: 'v' }],
    createdAt: 1,
  };
}

export function loadBalancingCases(fresh: StoreLocationFactory): void {
  describe('load balancing: load balancers, listeners and their rules', () => {
    test('load balancers: insert once per name (false the second time, nothing changed), list by name, replace, delete', async (t) => {
      const store = await (await fresh(t)).open();
      assert.equal(await store.loadBalancing.insertLoadBalancer(loadBalancerFixture('web')), true);
      assert.equal(await store.loadBalancing.insertLoadBalancer(loadBalancerFixture('web', { arn: 'arn:other', scheme: 'internal' })), false);
      assert.deepEqual(await store.loadBalancing.loadBalancers(), [loadBalancerFixture('web')], 'the first one stays');
      await store.loadBalancing.insertLoadBalancer(loadBalancerFixture('api', { arn: 'arn:api' }));
      assert.deepEqual((await store.loadBalancing.loadBalancers()).map((lb) => lb.name), ['api', 'web']);
      const changed = loadBalancerFixture('web', { attributes: { 'deletion_protection.enabled': 'true' }, tags: [] });
      await store.loadBalancing.replaceLoadBalancer(changed);
      assert.deepEqual((await store.loadBalancing.loadBalancers()).find((lb) => lb.name === 'web'), changed);
      await store.loadBalancing.deleteLoadBalancer('arn:api');
      assert.deepEqual((await store.loadBalancing.loadBalancers()).map((lb) => lb.name), ['web']);
    });

    test('listeners keep their load balancer and tags; deleting one drops its rules and no other', async (t) => {
      const store = await (await fresh(t)).open();
      const lb = loadBalancerFixture('web');
      const mine = listenerFixture(80, { loadBalancerArn: lb.arn, tags: [{ key: 'a', value: '1' }] });
      const other = listenerFixture(81);
      await store.transaction(async (tx) => {
        await tx.loadBalancing.insertLoadBalancer(lb);
        await tx.loadBalancing.insertListener(mine);
        await tx.loadBalancing.insertListener(other);
        await tx.loadBalancing.insertRule(ruleFixture(mine, 1));
        await tx.loadBalancing.insertRule(ruleFixture(mine, 2));
        await tx.loadBalancing.insertRule(ruleFixture(other, 1));
      });
      assert.deepEqual(await store.loadBalancing.listeners(), [mine, other]);
      assert.deepEqual((await store.loadBalancing.rules()).find((r) => r.priority === 2)?.tags, [{ key: 'k', value: 'v' }]);
      await store.loadBalancing.replaceListener({ ...mine, port: 8080 });
      assert.deepEqual((await store.loadBalancing.listeners()).map((l) => l.port), [81, 8080], 'by port');
      await store.loadBalancing.deleteListener(mine.arn);
      assert.deepEqual((await store.loadBalancing.listeners()).map((l) => l.arn), [other.arn]);
      assert.deepEqual((await store.loadBalancing.rules()).map((r) => r.listenerArn), [other.arn]);
    });
  });
}
