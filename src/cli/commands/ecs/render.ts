/** Readable renderings shared by the `wharf ecs` commands. */
import type { ClusterView } from '../../../model/api/clusters.js';
import type { Failure } from '../../../model/api/common.js';
import type { ContainerInstanceView } from '../../../model/api/container-instances.js';
import type { ServiceView } from '../../../model/api/services.js';
import type { ContainerDefinitionView, TaskDefinitionView } from '../../../model/api/task-definitions.js';
import type { TaskView } from '../../../model/api/tasks.js';
import type { UnsupportedField } from '../../../model/task-definition.js';
import { table } from '../../output.js';

export function clusterLine(cluster: ClusterView): string {
  return `${cluster.clusterName}  ${cluster.status}  ${cluster.clusterArn}`;
}

export function clusterTable(clusters: readonly ClusterView[]): string {
  return table([
    ['NAME', 'STATUS', 'INSTANCES', 'RUNNING', 'PENDING', 'SERVICES', 'ARN'],
    ...clusters.map((c) => [
      c.clusterName,
      c.status,
      String(c.registeredContainerInstancesCount),
      String(c.runningTasksCount),
      String(c.pendingTasksCount),
      String(c.activeServicesCount),
      c.clusterArn,
    ]),
  ]);
}

export function failureLines(failures: readonly Failure[]): string {
  return failures.map((f) => `failed: ${f.arn}: ${f.reason}${f.detail ? ` (${f.detail})` : ''}`).join('\n');
}

/** `family:revision  STATUS  ARN`: one task definition revision on a line. */
export function taskDefinitionLine(td: TaskDefinitionView): string {
  return `${td.family}:${td.revision}  ${td.status}  ${td.taskDefinitionArn}`;
}

/** One warning line per field Wharf keeps but does not act on yet. */
export function unsupportedFieldLines(fields: readonly UnsupportedField[]): string {
  return fields.map((f) => `warning: ${f.field} is kept but not acted on yet: ${f.reason}`).join('\n');
}

function portText(m: ContainerDefinitionView['portMappings'][number]): string {
  const container = m.containerPort ?? m.containerPortRange ?? '?';
  const host = m.hostPort ?? m.hostPortRange;
  return `${host === undefined || host === 0 ? 'dynamic' : host}->${container}/${m.protocol}`;
}

/** A task definition in full: identity, task-level settings, a container table, tags and warnings. */
export function taskDefinitionDetail(td: TaskDefinitionView, tags?: readonly { key: string; value: string }[], unsupported: readonly UnsupportedField[] = []): string {
  const settings = [`network mode: ${td.networkMode}`, `cpu: ${td.cpu ?? '-'}`, `memory: ${td.memory ?? '-'}`, `registered: ${td.registeredAt}`];
  if (td.deregisteredAt) settings.push(`deregistered: ${td.deregisteredAt}`);
  if (td.deleteRequestedAt) settings.push(`delete requested: ${td.deleteRequestedAt}`);
  const lines = [taskDefinitionLine(td), settings.join('  ')];
  lines.push(
    table([
      ['CONTAINER', 'IMAGE', 'ESSENTIAL', 'CPU', 'MEMORY', 'RESERVATION', 'PORTS'],
      ...td.containerDefinitions.map((c) => [
        c.name,
        c.image,
        c.essential ? 'yes' : 'no',
        String(c.cpu),
        c.memory === undefined ? '-' : String(c.memory),
        c.memoryReservation === undefined ? '-' : String(c.memoryReservation),
        c.portMappings.map(portText).join(',') || '-',
      ]),
    ]),
  );
  for (const constraint of td.placementConstraints) lines.push(`placement: ${constraint.type} ${constraint.expression}`);
  if (tags && tags.length > 0) lines.push(`tags: ${tags.map((t) => `${t.key}=${t.value}`).join(', ')}`);
  if (unsupported.length > 0) lines.push(unsupportedFieldLines(unsupported));
  return lines.join('\n');
}

/** `… (more: --starting-token T)` after a page of list output. */
export function pageLines(items: readonly string[], page: PageTokens): string {
  const more = page.NextToken ? `(more: --starting-token ${page.NextToken})` : page.nextToken ? `(more: --next-token ${page.nextToken})` : undefined;
  return [...items, ...(more ? [more] : [])].join('\n');
}

/**
 * Where a list stopped: `NextToken` when the CLI stopped at `--max-items` (resume with
 * `--starting-token`), the API's `nextToken` when one page was asked for (`--max-results`,
 * `--no-paginate`; resume with `--next-token`).
 */
export interface PageTokens {
  readonly NextToken?: string;
  readonly nextToken?: string;
}

/** Tasks as a table: id, status, desired, health, family:revision, host, stop reason. */
export function taskTable(tasks: readonly TaskView[]): string {
  return table([
    ['TASK', 'LAST', 'DESIRED', 'HEALTH', 'DEFINITION', 'PORTS', 'STOPPED REASON'],
    ...tasks.map((t) => [
      t.taskArn.split('/').pop() ?? t.taskArn,
      t.lastStatus,
      t.desiredStatus,
      t.healthStatus,
      t.taskDefinitionArn.split('/').pop() ?? '',
      t.containers.flatMap((c) => c.networkBindings.map((b) => `${b.hostPort}->${b.containerPort}`)).join(',') || '-',
      t.stoppedReason ? `${t.stopCode ?? ''}: ${t.stoppedReason}` : '',
    ]),
  ]);
}

/** Container instances as a table. */
export function containerInstanceTable(instances: readonly ContainerInstanceView[]): string {
  const value = (resources: ContainerInstanceView['remainingResources'], name: string) => String(resources.find((r) => r.name === name)?.integerValue ?? '');
  return table([
    ['ID', 'HOST', 'STATUS', 'CONNECTED', 'CPU LEFT', 'MEMORY LEFT', 'RUNNING', 'PENDING'],
    ...instances.map((i) => [
      i.containerInstanceArn.split('/').pop() ?? '',
      i.ec2InstanceId,
      i.status,
      i.agentConnected ? 'yes' : 'no',
      `${value(i.remainingResources, 'CPU')}/${value(i.registeredResources, 'CPU')}`,
      `${value(i.remainingResources, 'MEMORY')}/${value(i.registeredResources, 'MEMORY')}`,
      String(i.runningTasksCount),
      String(i.pendingTasksCount),
    ]),
  ]);
}

/** A service with its deployments, as a few readable lines. */
export function serviceLines(s: ServiceView): string {
  const head = `${s.serviceName}  ${s.status}  desired ${s.desiredCount}, running ${s.runningCount}, pending ${s.pendingCount}  ${s.taskDefinition.split('/').pop() ?? ''}`;
  const deployments = table([
    ['  DEPLOYMENT', 'STATUS', 'ROLLOUT', 'DEFINITION', 'TARGET', 'RUNNING', 'PENDING', 'FAILED'],
    ...s.deployments.map((d) => [`  ${d.id}`, d.status, d.rolloutState, d.taskDefinition.split('/').pop() ?? '', String(d.desiredCount), String(d.runningCount), String(d.pendingCount), String(d.failedTasks)]),
  ]);
  const events = s.events.slice(0, 5).map((e) => `  ${e.createdAt}  ${e.message}`);
  return [head, deployments, ...(events.length ? ['  recent events:', ...events] : [])].join('\n');
}
