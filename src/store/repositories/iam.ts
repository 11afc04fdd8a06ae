/** IAM users, groups, roles, managed policies and access keys: JSON documents keyed by name, ARN or key id. */
import type { AccessKeyRecord, IamGroupRecord, IamRoleRecord, IamUserRecord, KeyOwner, ManagedPolicyRecord } from '../../model/iam/principal.js';
import type { SqlExecutor } from '../sql.js';
import type { IamRepository } from '../store.js';

const parse = <T>(rows: readonly { document: string }[]): T[] => rows.map((r) => JSON.parse(r.document) as T);

/** The `owner` column: `root`, or `user/<name>`. */
function ownerKey(owner: KeyOwner): string {
  return owner.kind === 'root' ? 'root' : `user/${owner.userName}`;
}

/** One table of whole documents keyed by one column: put (insert or replace), get, list by key, delete. */
function documents<T>(exec: SqlExecutor, table: string, key: string) {
  return {
    async put(id: string, record: T): Promise<void> {
      await exec.run(`INSERT INTO ${table} (${key}, document) VALUES (?, ?) ON CONFLICT (${key}) DO UPDATE SET document = excluded.document`, [id, JSON.stringify(record)]);
    },
    async get(id: string): Promise<T | undefined> {
      return parse<T>(await exec.query<{ document: string }>(`SELECT document FROM ${table} WHERE ${key} = ?`, [id]))[0];
    },
    async list(options: { after?: string; limit: number }): Promise<T[]> {
      return parse<T>(
        await exec.query<{ document: string }>(`SELECT document FROM ${table} WHERE ${key} > ? ORDER BY ${key} LIMIT ?`, [options.after ?? '', options.limit]),
      );
    },
    async remove(id: string): Promise<void> {
      await exec.run(`DELETE FROM ${table} WHERE ${key} = ?`, [id]);
    },
  };
}

export function iamRepository(exec: SqlExecutor): IamRepository {
  const users = documents<IamUserRecord>(exec, 'iam_users', 'user_name');
  const groups = documents<IamGroupRecord>(exec, 'iam_groups', 'group_name');
  const roles = documents<IamRoleRecord>(exec, 'iam_roles', 'role_name');
  const policies = documents<ManagedPolicyRecord>(exec, 'iam_policies', 'arn');
  return {
    putUser: (user) => users.put(user.userName, user),
    getUser: (name) => users.get(name),
    listUsers: (options) => users.list(options),
    deleteUser: (name) => users.remove(name),
    putGroup: (group) => groups.put(group.groupName, group),
    getGroup: (name) => groups.get(name),
    listGroups: (options) => groups.list(options),
    deleteGroup: (name) => groups.remove(name),
    putRole: (role) => roles.put(role.roleName, role),
    getRole: (name) => roles.get(name),
    listRoles: (options) => roles.list(options),
    deleteRole: (name) => roles.remove(name),
    putPolicy: (policy) => policies.put(policy.arn, policy),
    getPolicy: (arn) => policies.get(arn),
    listPolicies: (options) => policies.list(options),
    deletePolicy: (arn) => policies.remove(arn),

    async putAccessKey(key) {
      await exec.run(
        'INSERT INTO access_keys (access_key_id, owner, document) VALUES (?, ?, ?) ON CONFLICT (access_key_id) DO UPDATE SET owner = excluded.owner, document = excluded.document',
        [key.accessKeyId, ownerKey(key.owner), JSON.stringify(key)],
      );
    },
    async getAccessKey(id) {
      return parse<AccessKeyRecord>(await exec.query<{ document: string }>('SELECT document FROM access_keys WHERE access_key_id = ?', [id]))[0];
    },
    async accessKeysOf(owner) {
      return parse<AccessKeyRecord>(await exec.query<{ document: string }>('SELECT document FROM access_keys WHERE owner = ? ORDER BY access_key_id', [ownerKey(owner)]));
    },
    async deleteAccessKey(id) {
      await exec.run('DELETE FROM access_keys WHERE access_key_id = ?', [id]);
    },
  };
}
