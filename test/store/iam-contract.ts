/** Contract cases for the IAM repository's roles, run on every store. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { IamRoleRecord } from '../../src/model/iam/principal.js';
import type { StoreLocationFactory } from './contract.js';

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

/** A complete role record to tweak. */
function roleFixture(roleName: string, overrides: Partial<IamRoleRecord> = {}): IamRoleRecord {
  return {
    roleName,
    roleId: `AROA${roleName.toUpperCase().padEnd(17, 'X').slice(0, 17)}`,
    arn: `arn:wharf:iam::000000000000:role/${roleName}`,
    path: '/',
    createDate: 1_700_000_000_000,
    assumeRolePolicyDocument: TRUST,
    description: 'for tasks',
    maxSessionDuration: 3600,
    inlinePolicies: { read: '{"Statement":{"Effect":"Allow","Action":"ecs:Describe*","Resource":"*"}}' },
    attachedPolicyArns: ['arn:wharf:iam::000000000000:policy/p'],
    tags: [{ Key: 'team', Value: 'web' }],
    ...overrides,
  };
}

export function iamCases(fresh: StoreLocationFactory): void {
  describe('IAM roles', () => {
    test('a role is stored whole, replaced whole by name, and deleted', async (t) => {
      const store = await (await fresh(t)).open();
      assert.equal(await store.iam.getRole('task'), undefined);
      await store.iam.putRole(roleFixture('task'));
      assert.deepEqual(await store.iam.getRole('task'), roleFixture('task'));
      const changed = roleFixture('task', { maxSessionDuration: 43_200, inlinePolicies: {}, attachedPolicyArns: [], description: '' });
      await store.transaction(async (tx) => {
        await tx.iam.putRole(changed);
        assert.deepEqual(await tx.iam.getRole('task'), changed, 'read back in the same transaction');
      });
      assert.deepEqual(await store.iam.getRole('task'), changed);
      await store.iam.deleteRole('task');
      assert.equal(await store.iam.getRole('task'), undefined);
    });

    test('roles are listed by name in byte order, a page after a name', async (t) => {
      const store = await (await fresh(t)).open();
      for (const name of ['b', 'B', 'a-1', 'a_1', 'a', 'Z']) await store.iam.putRole(roleFixture(name));
      const names = async (options: { after?: string; limit: number }) => (await store.iam.listRoles(options)).map((r) => r.roleName);
      assert.deepEqual(await names({ limit: 10 }), ['B', 'Z', 'a', 'a-1', 'a_1', 'b']);
      assert.deepEqual(await names({ after: 'Z', limit: 2 }), ['a', 'a-1']);
      assert.deepEqual(await names({ after: 'b', limit: 2 }), []);
    });

    test('a transaction that fails leaves no role behind', async (t) => {
      const store = await (await fresh(t)).open();
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.iam.putRole(roleFixture('gone'));
          throw new Error('abort');
        }),
        /abort/,
      );
      assert.equal(await store.iam.getRole('gone'), undefined);
      assert.deepEqual(await store.iam.listRoles({ limit: 10 }), []);
    });

    test('roles, users and groups of one name are different things', async (t) => {
      const store = await (await fresh(t)).open();
      await store.iam.putRole(roleFixture('same'));
      assert.equal(await store.iam.getUser('same'), undefined);
      assert.equal(await store.iam.getGroup('same'), undefined);
      await store.iam.deleteUser('same');
      assert.deepEqual(await store.iam.getRole('same'), roleFixture('same'));
    });
  });
}
