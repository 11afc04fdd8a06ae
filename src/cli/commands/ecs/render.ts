/** Readable renderings shared by the `wharf ecs` commands. */
import type { ClusterView, Failure } from '../../../controller/compute/clusters.js';
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
