/**
 * ECS task definitions: RegisterTaskDefinition, DescribeTaskDefinition, ListTaskDefinitions,
 * ListTaskDefinitionFamilies, DeregisterTaskDefinition, DeleteTaskDefinitions. The functions here
 * (their requests and views are in model/api/task-definitions.ts) are shared by the native API and
 * the AWS-compatible facade, so both answer alike. Each change writes its event (resource type `task-definition`, id `family:revision`) in
 * the same transaction.
 *
 *   register ─▶ ACTIVE ─deregister─▶ INACTIVE ─delete─▶ DELETE_IN_PROGRESS
 *
 * Revisions count up per family from 1 and are never reused, whatever happened to earlier ones.
 */
import type { ArnScope, TaskDefinitionRef } from '../../model/arn.js';
import { parseTaskDefinitionRef, taskDefinitionArn } from '../../model/arn.js';
import type { Failure } from '../../model/api/common.js';
import type {
  DeleteTaskDefinitionsRequest,
  DeregisterTaskDefinitionRequest,
  DescribeTaskDefinitionRequest,
  DescribeTaskDefinitionResult,
  ListTaskDefinitionFamiliesRequest,
  ListTaskDefinitionsRequest,
  RegisterTaskDefinitionResult,
  TaskDefinitionView,
} from '../../model/api/task-definitions.js';
import { TASK_DEFINITION_REF_HELP } from '../../model/api/task-definitions.js';
import type { FieldError } from '../../model/errors.js';
import { wharfError } from '../../model/errors.js';
import type { RegisterTaskDefinitionRequest, TaskDefinitionRecord } from '../../model/task-definition.js';
import { registerTaskDefinitionRequestSchema as modelRequestSchema, unsupportedFields } from '../../model/task-definition.js';
import type { Repositories, Store } from '../../store/store.js';
import { decodePageToken, encodePageToken } from '../paging.js';
import { checkClusterQuery } from '../scheduler/index.js';
import type { RequestMeta } from '../request.js';

type Tag = RegisterTaskDefinitionResult['tags'][number];

/** ECS quota: a task definition's JSON is at most 64 KiB. */
export const MAX_TASK_DEFINITION_BYTES = 64 * 1024;
/** Who registered a task definition, as ECS reports it (`registeredBy`). */
export const REGISTERED_BY = 'wharf';
/** What a Wharf task definition runs on: hosts with an agent (EC2-like, and your own machines). */
export const WHARF_COMPATIBILITIES = ['EC2', 'EXTERNAL'] as const;

/**
 * The RegisterTaskDefinition request: the model's schema (every ECS field and rule), plus each
 * placement constraint's expression parsed as the cluster query language, so a bad expression is
 * refused at registration (naming the field and the column) rather than when a task is placed.
 */
export const registerTaskDefinitionRequestSchema = modelRequestSchema.superRefine((td, ctx) => {
  td.placementConstraints.forEach((constraint, i) => {
    const error = checkClusterQuery(constraint.expression);
    if (error) {
      ctx.addIssue({
        code: 'custom',
        path: ['placementConstraints', i, 'expression'],
        message: `Not a valid cluster query at column ${error.position + 1}: expected ${error.expected}, found ${error.found}`,
      });
    }
  });
});

/** Renders a stored revision in ECS's shape. */
export function taskDefinitionView(scope: ArnScope, record: TaskDefinitionRecord): TaskDefinitionView {
  const { tags: _tags, volumes, containerDefinitions, ...rest } = record.definition;
  return {
    taskDefinitionArn: taskDefinitionArn(scope, record.family, record.revision),
    ...rest,
    family: record.family,
    revision: record.revision,
    status: record.status,
    containerDefinitions: containerDefinitions.map((c) => ({ ...c, cpu: c.cpu ?? 0, mountPoints: c.mountPoints ?? [], volumesFrom: c.volumesFrom ?? [] })),
    volumes: volumes ?? [],
    requiresAttributes: [],
    compatibilities: [...WHARF_COMPATIBILITIES],
    registeredAt: new Date(record.registeredAt).toISOString(),
    registeredBy: REGISTERED_BY,
    ...(record.deregisteredAt === null ? {} : { deregisteredAt: new Date(record.deregisteredAt).toISOString() }),
    ...(record.deleteRequestedAt === null ? {} : { deleteRequestedAt: new Date(record.deleteRequestedAt).toISOString() }),
  };
}

function tagsOf(record: TaskDefinitionRecord): Tag[] {
  return (record.definition.tags ?? []).map((t) => ({ key: t.key, value: t.value }));
}

function refText(ref: TaskDefinitionRef): string {
  return ref.revision === undefined ? ref.family : `${ref.family}:${ref.revision}`;
}

/**
 * A task definition's task and execution roles must be roles of this account, by ARN or name, as
 * ECS refuses a role it cannot find ("Role is not valid"), naming the field. (The caller's
 * `iam:PassRole` on each is decided with the call's authorisation, `api/actions.ts`.)
 */
async function checkRolesExist(tx: Repositories, scope: ArnScope, request: RegisterTaskDefinitionRequest): Promise<void> {
  const errors: FieldError[] = [];
  for (const name of ['taskRoleArn', 'executionRoleArn'] as const) {
    const ref = request[name];
    if (ref === undefined) continue;
    const roleName = ref.startsWith('arn:') ? ref.slice(ref.lastIndexOf('/') + 1) : ref;
    const role = /^[\w+=,.@-]{1,64}$/.test(roleName) ? await tx.iam.getRole(roleName) : undefined;
    if (!role || (ref.startsWith('arn:') && role.arn !== ref)) {
      errors.push({ field: name, message: `Role is not valid: no role ${ref.slice(0, 200)} in account ${scope.accountId}. Create it (\`wharf iam create-role\`), or name an existing role by its ARN or name` });
    }
  }
  if (errors.length > 0) throw wharfError('WHARF_E_VALIDATION', { summary: 'Role is not valid' }, { errors });
}

/**
 * RegisterTaskDefinition: stores the next revision of the family, ACTIVE. The request is the
 * parsed `registerTaskDefinitionRequestSchema`; here only the size quota is left to check.
 */
export async function registerTaskDefinition(store: Store, scope: ArnScope, request: RegisterTaskDefinitionRequest, meta: RequestMeta): Promise<RegisterTaskDefinitionResult> {
  const size = Buffer.byteLength(JSON.stringify(request), 'utf8');
  if (size > MAX_TASK_DEFINITION_BYTES) {
    throw wharfError('WHARF_E_TASK_DEFINITION_TOO_LARGE', { family: request.family, size, limit: MAX_TASK_DEFINITION_BYTES });
  }
  return store.transaction(async (tx) => {
    await checkRolesExist(tx, scope, request);
    const record = await tx.taskDefinitions.register(request, meta.now);
    const id = `${record.family}:${record.revision}`;
    await tx.events.append({ resourceType: 'task-definition', resourceId: id, severity: 'INFO', message: `Task definition ${id} registered.`, requestId: meta.requestId, time: meta.now });
    return { taskDefinition: taskDefinitionView(scope, record), tags: tagsOf(record), unsupportedFields: unsupportedFields(record.definition) };
  });
}

/**
 * The stored revision a reference names, or WHARF_E_TASK_DEFINITION_NOT_FOUND. A family alone means
 * its latest ACTIVE revision; an explicit revision is returned whatever its status (callers such as
 * RunTask decide whether an INACTIVE one will do). Works on the store or inside a transaction.
 */
export async function resolveTaskDefinition(repos: Pick<Repositories, 'taskDefinitions'>, ref: string | TaskDefinitionRef): Promise<TaskDefinitionRecord> {
  const parsed = typeof ref === 'string' ? parseTaskDefinitionRef(ref) : ref;
  if (parsed === undefined) {
    throw wharfError(
      'WHARF_E_VALIDATION',
      { summary: `"${String(ref).slice(0, 300)}" is not a task definition reference` },
      { errors: [{ field: 'taskDefinition', message: TASK_DEFINITION_REF_HELP }] },
    );
  }
  if (parsed.revision === undefined) {
    const latest = await repos.taskDefinitions.latestActive(parsed.family);
    if (latest === undefined) throw wharfError('WHARF_E_TASK_DEFINITION_NOT_FOUND', { taskDefinition: parsed.family, reason: 'the family has no ACTIVE revision (name a revision, family:revision, to see a deregistered one)' });
    return latest;
  }
  const record = await repos.taskDefinitions.get(parsed.family, parsed.revision);
  if (record === undefined) throw wharfError('WHARF_E_TASK_DEFINITION_NOT_FOUND', { taskDefinition: refText(parsed), reason: 'no such revision' });
  return record;
}

/** DescribeTaskDefinition: any status; tags with include=TAGS. */
export async function describeTaskDefinition(store: Store, scope: ArnScope, request: DescribeTaskDefinitionRequest): Promise<DescribeTaskDefinitionResult> {
  const record = await resolveTaskDefinition(store, request.taskDefinition);
  return {
    taskDefinition: taskDefinitionView(scope, record),
    ...(request.include?.includes('TAGS') ? { tags: tagsOf(record) } : {}),
    unsupportedFields: unsupportedFields(record.definition),
  };
}

/**
 * DeregisterTaskDefinition: ACTIVE becomes INACTIVE (still describable; no new tasks). A revision
 * that is already INACTIVE (or being deleted) is returned as it is, as ECS does.
 */
export async function deregisterTaskDefinition(store: Store, scope: ArnScope, request: DeregisterTaskDefinitionRequest, meta: RequestMeta): Promise<{ taskDefinition: TaskDefinitionView }> {
  const { family, revision } = request.taskDefinition;
  return store.transaction(async (tx) => {
    const changed = await tx.taskDefinitions.setStatus(family, revision, ['ACTIVE'], 'INACTIVE', meta.now);
    if (changed !== undefined) {
      const id = `${family}:${revision}`;
      await tx.events.append({ resourceType: 'task-definition', resourceId: id, severity: 'INFO', message: `Task definition ${id} deregistered.`, requestId: meta.requestId, time: meta.now });
      return { taskDefinition: taskDefinitionView(scope, changed) };
    }
    return { taskDefinition: taskDefinitionView(scope, await resolveTaskDefinition(tx, request.taskDefinition)) };
  });
}

/**
 * DeleteTaskDefinitions: each INACTIVE revision becomes DELETE_IN_PROGRESS (one already being
 * deleted is returned as it is). ACTIVE and missing ones are reported in `failures`, not as an
 * error, and the others are still deleted. All changes commit together.
 */
export async function deleteTaskDefinitions(
  store: Store,
  scope: ArnScope,
  request: DeleteTaskDefinitionsRequest,
  meta: RequestMeta,
): Promise<{ taskDefinitions: TaskDefinitionView[]; failures: Failure[] }> {
  return store.transaction(async (tx) => {
    const taskDefinitions: TaskDefinitionView[] = [];
    const failures: Failure[] = [];
    for (const { family, revision } of request.taskDefinitions) {
      const id = `${family}:${revision}`;
      const arn = taskDefinitionArn(scope, family, revision);
      const changed = await tx.taskDefinitions.setStatus(family, revision, ['INACTIVE'], 'DELETE_IN_PROGRESS', meta.now);
      if (changed !== undefined) {
        await tx.events.append({ resourceType: 'task-definition', resourceId: id, severity: 'INFO', message: `Task definition ${id} submitted for deletion.`, requestId: meta.requestId, time: meta.now });
        taskDefinitions.push(taskDefinitionView(scope, changed));
        continue;
      }
      const record = await tx.taskDefinitions.get(family, revision);
      if (record === undefined) failures.push({ arn, reason: 'MISSING', detail: `No task definition ${id}` });
      else if (record.status === 'ACTIVE') failures.push({ arn, reason: 'ACTIVE', detail: `Task definition ${id} is ACTIVE: deregister it first (wharf ecs deregister-task-definition --task-definition ${id})` });
      else taskDefinitions.push(taskDefinitionView(scope, record));
    }
    return { taskDefinitions, failures };
  });
}

/** ListTaskDefinitions: revisions' ARNs by family then revision (ASC or DESC), in one status (ACTIVE by default). */
export async function listTaskDefinitions(store: Store, scope: ArnScope, request: ListTaskDefinitionsRequest): Promise<{ taskDefinitionArns: string[]; nextToken?: string }> {
  const after = request.nextToken === undefined ? undefined : decodeRevisionCursor(request.nextToken);
  const page = await store.taskDefinitions.list({
    ...(request.familyPrefix === undefined ? {} : { familyPrefix: request.familyPrefix }),
    status: request.status,
    sort: request.sort,
    ...(after === undefined ? {} : { after }),
    limit: request.maxResults + 1,
  });
  const shown = page.slice(0, request.maxResults);
  const last = shown[shown.length - 1];
  return {
    taskDefinitionArns: shown.map((r) => taskDefinitionArn(scope, r.family, r.revision)),
    ...(page.length > request.maxResults && last ? { nextToken: encodePageToken(`${last.family}:${last.revision}`) } : {}),
  };
}

/** ListTaskDefinitionFamilies: family names; ACTIVE = with an ACTIVE revision, INACTIVE = without one, ALL (default) = both. */
export async function listTaskDefinitionFamilies(store: Store, request: ListTaskDefinitionFamiliesRequest): Promise<{ families: string[]; nextToken?: string }> {
  const after = request.nextToken === undefined ? undefined : decodePageToken(request.nextToken, 'string');
  const page = await store.taskDefinitions.listFamilies({
    ...(request.familyPrefix === undefined ? {} : { familyPrefix: request.familyPrefix }),
    ...(request.status === 'ALL' ? {} : { status: request.status }),
    ...(after === undefined ? {} : { after }),
    limit: request.maxResults + 1,
  });
  const shown = page.slice(0, request.maxResults);
  const last = shown[shown.length - 1];
  return {
    families: shown,
    ...(page.length > request.maxResults && last !== undefined ? { nextToken: encodePageToken(last) } : {}),
  };
}

function decodeRevisionCursor(token: string): { family: string; revision: number } {
  const ref = parseTaskDefinitionRef(decodePageToken(token, 'string'));
  if (ref?.revision === undefined) {
    throw wharfError(
      'WHARF_E_VALIDATION',
      { summary: 'The nextToken is not one ListTaskDefinitions returned' },
      { errors: [{ field: 'nextToken', message: 'Pass the nextToken from the previous page unchanged, or leave it out for the first page' }] },
    );
  }
  return { family: ref.family, revision: ref.revision };
}
